"""Needs and pledges in exchange form (FORMATS.md kinds ``needs`` and ``pledges``), and where they travel.

Both follow their need's visibility, like partnerships: public needs go to every peer, ``movement`` ones (the
default) to movement peers, private ones never leave this instance. A pledge travels with its need.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet

from partnernet.base import fields as f
from partnernet.base.cleaning import Clean, Cleaner, Kind, Problems, one_of
from partnernet.base.fields import FieldError, Raw
from partnernet.base.identity import instance_id
from partnernet.base.references import References
from partnernet.base.registry import Recipients, visibility_recipients
from partnernet.directory.models import Entity
from partnernet.framework.models import Stewardship
from partnernet.sustainability.models import Need, NeedStatus, NeedUnit, Pledge, PledgeStatus

NEED_FIELDS = (
    "key", "entity", "kind", "title", "stewardships", "amount", "unit", "currency", "start", "end", "why",
    "urgency", "visibility", "status",
)  # fmt: skip
PLEDGE_FIELDS = ("key", "need", "entity", "partner", "person", "what", "amount", "when", "status")


def positive_amount(raw: Raw) -> Decimal | None:
    """An amount: a decimal number above 0 with at most two decimal places, or empty."""
    value = f.decimal(raw, minimum=Decimal("-Infinity"))
    if value is not None and value <= 0:
        raise FieldError(f"{value} is not more than 0 (an amount is a positive number)")
    return value


def _is_local_write(refs: References) -> bool:
    """A write of this instance (form, API, import), not a peer's copy being applied."""
    return refs.preferred in (None, instance_id())


class NeedKind(Kind):
    name = "needs"
    model = Need
    fields = NEED_FIELDS
    required = frozenset({"key", "entity", "kind", "title"})
    m2m = {"stewardships": "stewardships"}

    def referenced(self, values: dict[str, Raw]) -> dict[str, list[str]]:
        try:
            stewardships = f.keys(values.get("stewardships"))
        except FieldError:
            stewardships = []
        return {"entities": one_of(values, "entity"), "stewardships": stewardships}

    def clean(self, values: dict[str, Raw], refs: References) -> tuple[Clean, Problems]:
        c = Cleaner(values, self.required)
        c.take("key", f.key)
        c.take("entity", f.key)
        c.check("entity", refs.entity)
        c.take("kind", lambda raw: f.choice(raw, Need.Kind))
        c.take("title", lambda raw: f.required_text(raw, 300))
        c.take("stewardships", f.keys)
        c.each("stewardships", lambda key: _known(refs, "stewardships", key, "stewardship"))
        c.take("amount", positive_amount)
        c.take("unit", lambda raw: f.choice(raw, NeedUnit, default=""))
        c.take("currency", f.currency)
        c.take("start", f.date)
        c.take("end", f.date)
        c.take("why", lambda raw: f.optional_text(raw, 5000))
        c.take("urgency", lambda raw: f.choice(raw, Need.Urgency, default="normal"))
        c.take("visibility", lambda raw: f.choice(raw, Need.Visibility, default="movement"))
        c.take("status", lambda raw: f.choice(raw, NeedStatus, default="open"))
        clean = c.clean
        _check_amount(clean, c.errors)
        if clean.get("start") and clean.get("end") and clean["end"] < clean["start"]:
            c.errors.append(("end", f"{clean['end']} is before the start {clean['start']}"))
        if clean.get("entity") and clean.get("stewardships"):
            _check_own_stewardships(clean, refs, c.errors)
        if clean.get("entity"):
            _check_home(clean, refs, c.errors)
        return clean, c.errors

    def queryset(self) -> QuerySet[Need]:
        return Need.objects.select_related("entity").prefetch_related(
            Prefetch("stewardships", queryset=Stewardship.objects.only("key"))
        )

    def row(self, obj: Need) -> Clean:
        return {
            "key": obj.key,
            "entity": obj.entity.key,
            "kind": obj.kind,
            "title": obj.title,
            "stewardships": sorted(s.key for s in obj.stewardships.all()),
            "amount": obj.amount,
            "unit": obj.unit,
            "currency": obj.currency,
            "start": obj.start,
            "end": obj.end,
            "why": obj.why,
            "urgency": obj.urgency,
            "visibility": obj.visibility,
            "status": obj.status,
        }

    def assign(self, obj: Need, clean: Clean, present: frozenset[str], refs: References) -> None:
        for name in ("key", "kind", "title", "amount", "unit", "currency", "start", "end", "why", "urgency",
                     "visibility", "status"):  # fmt: skip
            if name in present:
                setattr(obj, name, clean[name])
        if "entity" in present:
            obj.entity_id = refs.entities[clean["entity"]]

    def m2m_ids(self, clean: Clean, refs: References) -> dict[str, list[int]]:
        return {"stewardships": [refs.ids("stewardships")[k] for k in clean.get("stewardships", [])]}


def _known(refs: References, kind_name: str, key: str, noun: str) -> str:
    if key not in refs.ids(kind_name):
        raise FieldError(f"unknown {noun} key '{key}'")
    return key


def _check_amount(clean: Clean, errors: Problems) -> None:
    """An amount comes with its unit, and money with its currency (and nothing else with one)."""
    amount, unit, currency = clean.get("amount"), clean.get("unit", ""), clean.get("currency", "")
    if "amount" not in clean or "unit" not in clean or "currency" not in clean:
        return
    if amount is not None and not unit:
        errors.append(("unit", "is required with an amount (one of: fte, hours, money)"))
    if amount is None and unit:
        errors.append(("amount", f"is required with the unit '{unit}'"))
    if unit == NeedUnit.MONEY and not currency:
        errors.append(("currency", "is required for money (an ISO 4217 code such as EUR)"))
    if unit != NeedUnit.MONEY and currency:
        errors.append(("currency", "is only given for money"))


def _check_home(clean: Clean, refs: References, errors: Problems) -> None:
    """Only the instance that publishes an entity (its home) publishes its needs; an entity without a home
    yet (an unclaimed seeded row) may be spoken for by the instance writing."""
    entity_id = refs.entities.get(clean["entity"])
    entity = Entity.objects.filter(pk=entity_id).only("home", "origin").first() if entity_id else None
    if entity is None:
        return
    writer = refs.preferred or instance_id()
    home = entity.home_instance
    if home and home != writer:
        errors.append(("entity", f"'{clean['entity']}' is homed on {home}: its needs are published there"))


def _check_own_stewardships(clean: Clean, refs: References, errors: Problems) -> None:
    entity_id = refs.entities.get(clean["entity"])
    ids = refs.ids("stewardships")
    owners = dict(
        Stewardship.objects.filter(pk__in=[ids[k] for k in clean["stewardships"] if k in ids]).values_list(
            "key", "entity_id"
        )
    )
    for key in clean["stewardships"]:
        if key in owners and owners[key] != entity_id:
            errors.append(("stewardships", f"'{key}' is not a stewardship of '{clean['entity']}'"))


class PledgeKind(Kind):
    name = "pledges"
    model = Pledge
    fields = PLEDGE_FIELDS
    required = frozenset({"key", "need", "what"})

    def referenced(self, values: dict[str, Raw]) -> dict[str, list[str]]:
        return {
            "needs": one_of(values, "need"),
            "entities": one_of(values, "entity"),
            "partners": one_of(values, "partner"),
        }

    def clean(self, values: dict[str, Raw], refs: References) -> tuple[Clean, Problems]:
        c = Cleaner(values, self.required)
        c.take("key", f.key)
        c.take("need", f.key)
        c.check("need", lambda key: _known(refs, "needs", key, "need"))
        c.take("entity", lambda raw: f.key(raw) if f.text(raw) else "")
        c.check("entity", refs.entity)
        c.take("partner", lambda raw: f.key(raw) if f.text(raw) else "")
        c.check("partner", refs.partner)
        c.take("person", lambda raw: f.optional_text(raw, 200))
        c.take("what", lambda raw: f.required_text(raw, 300))
        c.take("amount", positive_amount)
        c.take("when", f.date)
        c.take("status", lambda raw: f.choice(raw, PledgeStatus, default="pledged"))
        clean = c.clean
        if clean.get("entity") and clean.get("partner"):
            c.errors.append(("partner", "a pledge comes from an entity or a partner institution, not both"))
        if clean.get("partner") and "person" in clean and not clean["person"]:
            c.errors.append(("person", "name the person who pledges for the partner institution"))
        if all(name in clean for name in ("entity", "partner", "person")) and not (
            clean["entity"] or clean["partner"] or clean["person"]
        ):
            c.errors.append(("person", "name who pledges: an entity, a partner institution or a person"))
        if clean.get("need"):
            _check_against_need(clean, refs, c.errors)
        return clean, c.errors

    def queryset(self) -> QuerySet[Pledge]:
        return Pledge.objects.select_related("need", "need__entity", "entity", "partner")

    def row(self, obj: Pledge) -> Clean:
        return {
            "key": obj.key,
            "need": obj.need.key,
            "entity": obj.entity.key if obj.entity else "",
            "partner": obj.partner.key if obj.partner else "",
            "person": obj.person,
            "what": obj.what,
            "amount": obj.amount,
            "when": obj.due,
            "status": obj.status,
        }

    def assign(self, obj: Pledge, clean: Clean, present: frozenset[str], refs: References) -> None:
        for name in ("key", "person", "what", "amount", "status"):
            if name in present:
                setattr(obj, name, clean[name])
        if "when" in present:
            obj.due = clean["when"]
        if "need" in present:
            obj.need_id = refs.ids("needs")[clean["need"]]
        if "entity" in present:
            obj.entity_id = refs.entities[clean["entity"]] if clean["entity"] else None
        if "partner" in present:
            obj.partner_id = refs.partners[clean["partner"]] if clean["partner"] else None


def _check_against_need(clean: Clean, refs: References, errors: Problems) -> None:
    """The rules that read the need: its unit, its entity, where it lives and whether it takes pledges."""
    need_id = refs.ids("needs").get(clean["need"])
    if need_id is None:
        return
    facts = (
        Need.objects.filter(pk=need_id).values("amount", "unit", "status", "origin", "entity__key").first()
    )
    if facts is None:
        return
    if "amount" in clean:
        if facts["amount"] is not None and clean["amount"] is None:
            errors.append(("amount", f"is required: the need is counted in {facts['unit']}"))
        if facts["amount"] is None and clean["amount"] is not None:
            errors.append(("amount", "must be empty: the need has no amount"))
    if clean.get("entity") and clean["entity"] == facts["entity__key"]:
        errors.append(("entity", "an entity does not pledge to its own need"))
    if _is_local_write(refs):
        if facts["origin"] != instance_id():
            errors.append(("need", f"'{clean['need']}' is a need of another instance; pledge there"))
        elif facts["status"] == NeedStatus.WITHDRAWN and clean.get("status") == PledgeStatus.PLEDGED:
            errors.append(("need", f"'{clean['need']}' was withdrawn and takes no pledges"))


def need_recipients(obj: Need) -> Recipients:
    """Public needs go to every peer, ``movement`` ones to movement peers, private ones nowhere."""
    return visibility_recipients(obj.visibility)


def pledge_recipients(obj: Pledge) -> Recipients:
    """A pledge goes where its need goes."""
    return visibility_recipients(obj.need.visibility)


def need_followers(obj: Need) -> QuerySet[Any]:
    """A need's pledges follow it into (and out of) every channel."""
    return obj.pledges.all()
