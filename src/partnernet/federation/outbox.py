"""Capturing local changes as signed activities in this instance's feed.

Every change to a local row of a federated kind becomes, in the same transaction, one or more ``FeedEvent``
rows: the activity signed once, with the next sequence number taken from the locked counter row. Taking the
lock in the changing transaction makes sequence order commit order, which is what lets a peer's cursor
stand for "everything up to here".

Who receives an activity is decided per row. Peers are seen through two channels, *movement* peers and the
*others* (plus one channel per peer for records addressed to it alone). For each channel the record is
never sent, live or gone there, read from the events already published; a change sends the full record to
the channels allowed to see it and a tombstone to channels that saw it before but may not any more (a
partnership made private is deleted everywhere it went). A record that may reach a channel again (made
public again) is sent there again in full, under a newer sequence than its tombstone, which is what brings
it back on the peers (``core.federation.changes``); a peer added later reads the whole history and ends with
the current state.

Records about an entity (``RecordKind.home_field``: stewardships, needs, profiles) are published only while
the entity is homed on this instance; otherwise they are withdrawn like a private row. A seeded affiliate
that no claim homed here is nobody's to speak for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from partnernet.base.bulk import insert_rows
from partnernet.base.identity import instance_id
from partnernet.base.registry import RecordKind, home_of
from partnernet.core.federation.activities import Activity, Verb, signed_activities_json
from partnernet.core.federation.canonical import JsonValue
from partnernet.core.federation.identity import GlobalId
from partnernet.core.federation.signing import KeyPair
from partnernet.federation.keys import instance_key_pair
from partnernet.federation.models import Audience, FeedEvent, FeedSequence
from partnernet.federation.registry import federated_kind, kind_of_model

MOVEMENT = "movement"
OTHERS = "others"


def wire_value(value: Any) -> JsonValue:
    """An exchange value in activity form: dates ISO, decimals as strings (canonical JSON has no floats)."""
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return value
    if isinstance(value, Decimal | float):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return sorted(str(item) for item in value)
    raise TypeError(f"{type(value).__name__} cannot travel in an activity")


def wire_fields(kind_name: str, obj: Any) -> dict[str, JsonValue]:
    """The exchange row of ``obj`` without its key, in activity form."""
    kind = federated_kind(kind_name)
    if kind is None:
        raise KeyError(f"kind {kind_name} does not federate")
    return wire_row(kind.serializer.row(obj))


def wire_row(row: dict[str, Any]) -> dict[str, JsonValue]:
    """An exchange row without its key, in activity form."""
    return {name: wire_value(value) for name, value in row.items() if name != "key"}


def channels_of(recipients: str | None) -> frozenset[str]:
    """The channels a row may be sent on now, from its kind's ``recipients``."""
    if recipients is None:
        return frozenset()
    if recipients == Audience.ALL:
        return frozenset({MOVEMENT, OTHERS})
    if recipients == Audience.MOVEMENT:
        return frozenset({MOVEMENT})
    if recipients == Audience.OTHERS:
        return frozenset({OTHERS})
    return frozenset({recipients})


def _channels(kind: RecordKind, row: Any, origin: str) -> frozenset[str]:
    """The channels ``row`` may reach now: its kind's recipients, none if its home is another instance."""
    if kind.home_field is not None and home_of(kind, row) != origin:
        return frozenset()
    return channels_of(kind.recipients(row))


def audiences_for(channels: frozenset[str]) -> list[str]:
    """Event audiences covering ``channels`` with as few events as possible."""
    if {MOVEMENT, OTHERS} <= channels:
        rest = sorted(channels - {MOVEMENT, OTHERS})
        return [Audience.ALL.value, *rest]
    return sorted(channels)


def _channel_states(kind: str, record: UUID) -> dict[str, str]:
    """Per channel, whether the record is ``live`` or ``gone`` there (absent: never sent)."""
    states: dict[str, str] = {}
    events = FeedEvent.objects.filter(kind=kind, record_uuid=record).order_by("-sequence")
    for audience, verb in events.values_list("audience", "verb"):
        covered = [MOVEMENT, OTHERS] if audience == Audience.ALL else [audience]
        for channel in covered:
            states.setdefault(channel, "gone" if verb == Verb.DELETE else "live")
    return states


def _reserve(count: int) -> int:
    """Lock the counter and take ``count`` sequence numbers; returns the first. Call inside a transaction."""
    counter = FeedSequence.objects.select_for_update().filter(pk=1).first()
    if counter is None:
        counter = FeedSequence.objects.create(pk=1, last=0)
    first = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    return first


@dataclass(frozen=True)
class _Planned:
    """One activity to publish: about which row, with which verb and fields, for which audience."""

    row: Any
    verb: Verb
    fields: dict[str, JsonValue] | None
    audience: str


_EVENT_FIELDS = ("sequence", "kind", "record_uuid", "verb", "audience", "published_at", "document")


def _events(
    kind: str, plan: list[_Planned], first: int, origin: str, key_pair: KeyPair
) -> list[tuple[Any, ...]]:
    """The values of the plan's feed events (``_EVENT_FIELDS``), numbered from ``first``, their activities
    signed together (``signing.sign_all``)."""
    now = timezone.now()
    activities = [
        Activity(
            verb=planned.verb,
            actor=origin,
            sequence=first + offset,
            published=now,
            record=GlobalId(origin, planned.row.uuid),
            kind=kind,
            key=planned.row.key,
            fields=planned.fields,
        )
        for offset, planned in enumerate(plan)
    ]
    documents = signed_activities_json(activities, key_pair)
    return [
        (
            activity.sequence,
            kind,
            planned.row.uuid,
            planned.verb.value,
            planned.audience,
            now,
            document.decode(),
        )
        for activity, planned, document in zip(activities, plan, documents, strict=True)
    ]


def publish_change(obj: Model, *, deleted: bool = False, audience_only: bool = False) -> list[FeedEvent]:
    """Publish the current state of local row ``obj`` (or its deletion) to the channels that may see it.

    Does nothing for rows that are not of a federated kind or not this instance's own (seed reference data
    and copies of peers' records are never sent). With ``audience_only`` the row itself did not change:
    only channels it newly may reach get it, and channels it may no longer reach get a tombstone. When the
    channels ``obj`` reaches change, the records that follow it (its kind's ``followers``) are re-examined
    that way afterwards; an ordinary edit leaves them alone.
    """
    kind = kind_of_model(type(obj))
    origin = instance_id()
    if kind is None or getattr(obj, "origin", None) != origin:
        return []
    row: Any = obj
    with transaction.atomic():
        states = _channel_states(kind.name, row.uuid)
        allowed = frozenset() if deleted else _channels(kind, row, origin)
        send = allowed
        live = frozenset(channel for channel, state in states.items() if state == "live")
        withdraw = live - allowed
        audience_changed = bool(withdraw or send - live)
        if audience_only:
            send -= live
        if not send and not withdraw:
            return []
        fields = wire_fields(kind.name, row) if send else None
        verb = Verb.UPDATE if any(state == "live" for state in states.values()) else Verb.CREATE
        plan = [_Planned(row, verb, fields, audience) for audience in audiences_for(send)]
        plan += [_Planned(row, Verb.DELETE, None, audience) for audience in audiences_for(withdraw)]
        first = _reserve(len(plan))
        events = [
            FeedEvent(**dict(zip(_EVENT_FIELDS, values, strict=True)))
            for values in _events(kind.name, plan, first, origin, instance_key_pair())
        ]
        FeedEvent.objects.bulk_create(events)
        if audience_changed:
            events += _follow(kind, row, deleted)
    return events


def _follow(kind: RecordKind, row: Any, deleted: bool) -> list[FeedEvent]:
    """Re-examine the records whose audience derives from ``row``'s (deletions cascade on their own)."""
    if kind.followers is None or deleted:
        return []
    events: list[FeedEvent] = []
    for follower in kind.followers(row):
        events += publish_change(follower, audience_only=True)
    return events


def publish_new(
    model: type[Model],
    objs: Sequence[Model] | Iterable[Model],
    rows: Sequence[dict[str, Any]] | None = None,
) -> int:
    """Publish rows that were just made in bulk (``bulk_create`` sends no signals); returns events made.

    Call it in the transaction that inserted the rows, after their many-to-many links, with the rows'
    primary keys set. ``rows``, when given, are the objects' exchange rows in the same order, as the writer
    that inserted them already holds them (``Kind.clean_is_row``); they are used only when the kind travels
    in its exchange form. Otherwise the rows are read back through the kind, so related keys are resolved in
    a few queries. Sequence numbers are reserved in one step per batch, the key is loaded once, and each
    activity is encoded once.
    """
    kind = kind_of_model(model)
    origin = instance_id()
    if kind is None:
        return 0
    objs = list(objs)
    if rows is not None and kind.wire is None and len(rows) == len(objs):
        own = [
            (obj, row) for obj, row in zip(objs, rows, strict=True) if getattr(obj, "origin", None) == origin
        ]
        made = 0
        with transaction.atomic():
            for start in range(0, len(own), 2000):
                made += _publish_batch(kind, own[start : start + 2000], origin)
        return made
    pks = [obj.pk for obj in objs if getattr(obj, "origin", None) == origin]
    if not pks:
        return 0
    return _publish_rows(kind, pks, origin)


def _publish_rows(kind: RecordKind, pks: list[int], origin: str) -> int:
    made = 0
    with transaction.atomic():
        for start in range(0, len(pks), 2000):
            chunk = pks[start : start + 2000]
            objs = list(kind.serializer.queryset().filter(pk__in=chunk).order_by("pk"))
            made += _publish_batch(kind, [(obj, kind.serializer.row(obj)) for obj in objs], origin)
    return made


def _publish_batch(kind: RecordKind, rows: list[tuple[Any, dict[str, Any]]], origin: str) -> int:
    """Sign and store the Create activities of new rows given with their exchange rows."""
    plan = [
        _Planned(obj, Verb.CREATE, wire_row(row), audience)
        for obj, row in rows
        for audience in audiences_for(_channels(kind, obj, origin))
    ]
    if not plan:
        return 0
    first = _reserve(len(plan))
    return insert_rows(FeedEvent, _EVENT_FIELDS, _events(kind.name, plan, first, origin, instance_key_pair()))
