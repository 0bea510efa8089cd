"""Support requests in exchange form (FORMATS.md kind ``requests``), and as they travel between instances."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from partnernet.base import fields as f
from partnernet.base.cleaning import Clean, Cleaner, Kind, Problems, key_or_empty, one_of
from partnernet.base.fields import Raw
from partnernet.base.peering import peering
from partnernet.base.references import References
from partnernet.base.registry import Recipients, one_peer
from partnernet.support.models import SupportRequest


class RequestKind(Kind):
    name = "requests"
    model = SupportRequest
    fields = (
        "key", "requester", "partnership", "type", "theme", "region", "need", "language", "status", "steward",
        "created", "resolved",
    )  # fmt: skip
    required = frozenset({"key", "requester", "type", "region", "need", "status"})
    export_columns = {
        "key": "key", "requester": "requester__key", "partnership": "partnership__key", "type": "type__key",
        "theme": "theme__key", "region": "region__code", "need": "need", "language": "language",
        "status": "status", "steward": "steward__key", "created": "created", "resolved": "resolved",
    }  # fmt: skip

    def referenced(self, values: dict[str, Raw]) -> dict[str, list[str]]:
        return {
            "entities": [*one_of(values, "requester"), *one_of(values, "steward")],
            "partnerships": one_of(values, "partnership"),
        }

    def clean(self, values: dict[str, Raw], refs: References) -> tuple[Clean, Problems]:
        c = Cleaner(values, self.required)
        c.take("key", f.key)
        c.take("requester", f.key)
        c.check("requester", refs.entity)
        c.take("partnership", key_or_empty)
        c.check("partnership", refs.partnership)
        c.take("type", refs.type)
        c.take("theme", refs.theme)
        c.take("region", refs.region)
        c.take("need", lambda raw: f.choice(raw, SupportRequest.Need))
        c.take("language", f.language)
        c.take("status", lambda raw: f.choice(raw, SupportRequest.Status))
        c.take("steward", key_or_empty)
        c.check("steward", refs.entity)
        c.take("created", f.date)
        c.take("resolved", f.date)
        clean = c.clean
        if clean.get("created") and clean.get("resolved") and clean["resolved"] < clean["created"]:
            c.errors.append(
                ("resolved", f"{clean['resolved']} is before the creation date {clean['created']}")
            )
        for name in ("partnership", "steward"):
            if clean.get(name) == "":
                clean[name] = None
        return clean, c.errors

    def queryset(self) -> QuerySet[SupportRequest]:
        """Requests of movement entities; proposals from the public form have no requester to name."""
        return SupportRequest.objects.filter(requester__isnull=False).select_related(
            "requester", "partnership", "type", "theme", "region", "steward"
        )

    def row(self, obj: SupportRequest) -> Clean:
        return {
            "key": obj.key,
            "requester": obj.requester.key if obj.requester else None,
            "partnership": obj.partnership.key if obj.partnership else None,
            "type": obj.type.key,
            "theme": obj.theme.key if obj.theme else None,
            "region": obj.region.code,
            "need": obj.need,
            "language": obj.language,
            "status": obj.status,
            "steward": obj.steward.key if obj.steward else None,
            "created": obj.created,
            "resolved": obj.resolved,
        }

    def assign(self, obj: SupportRequest, clean: Clean, present: frozenset[str], refs: References) -> None:
        for name in ("key", "need", "language", "status", "resolved"):
            if name in present:
                setattr(obj, name, clean[name])
        if "created" in present or obj.created is None:
            obj.created = clean.get("created") or dt.date.today()
        if "requester" in present:
            obj.requester_id = refs.entities[clean["requester"]]
        if "partnership" in present:
            obj.partnership_id = refs.partnerships[clean["partnership"]] if clean["partnership"] else None
        if "type" in present:
            obj.type_id = refs.types[clean["type"]].pk
        if "theme" in present:
            obj.theme_id = refs.themes[clean["theme"]].pk if clean["theme"] else None
        if "region" in present:
            obj.region_id = refs.regions[clean["region"]].pk
        if "steward" in present:
            obj.steward_id = refs.entities[clean["steward"]] if clean["steward"] else None

    def prepare(self, obj: SupportRequest, refs: References) -> None:
        """A routed request counts against the stewardship routing would pick for its cell (FORMATS.md)."""
        from partnernet.support.selectors import covering_stewardship

        region_code = refs.regions_by_id[obj.region_id].code
        obj.stewardship = (
            covering_stewardship(obj.steward_id, obj.type_id, obj.theme_id, region_code)
            if obj.steward_id
            else None
        )


class PeerRequestKind(RequestKind):
    """A request's exchange row without its partnership, as it travels to another instance, with what the
    steward there needs to act on first contact: the ``description``, and once declined the ``reason``
    (the steward's note), so it comes back to the sender.

    The partnership may be private, and the receiving instance could not resolve it anyway (it only holds
    the partnerships it was sent).
    """

    export_columns = {}
    """Its rows are not plain column values (see ``row``), so it is never streamed from values."""

    def row(self, obj: SupportRequest) -> Clean:
        row: Clean = {**super().row(obj), "partnership": None, "description": obj.description or None}
        if obj.status == "declined":
            row["reason"] = decline_reason(obj)
        return row


def decline_reason(obj: SupportRequest) -> str | None:
    """The note of the request's last decline, as its steward wrote it (``None`` when none was given)."""
    event = obj.events.filter(kind__in=("declined", "timed_out", "lapsed")).order_by("-at", "-pk").first()
    return event.note if event is not None and event.note else None


def request_recipients(obj: SupportRequest) -> Recipients:
    """A support request leaves only for the one peer it concerns: as the answer to the peer that delivered
    it here, or, for our own request, to the peer whose stewardship it is offered to now (so that peer
    learns when it is withdrawn; once it moves elsewhere the peer's channel gets a tombstone)."""
    sender = peering().sender_of(obj)
    if sender:
        return one_peer(sender)
    if obj.stewardship_id is None:
        return None
    delivered = peering().delivered_to(obj, obj.stewardship_id)
    return one_peer(delivered) if delivered else None
