"""Sustainability of the steward nodes: the facts behind the core's indicators, read in a fixed number of
queries for every steward (``analyze``, the dashboard) or for one entity (its page)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from partnernet.analytics.models import Snapshot
from partnernet.analytics.selectors import CHUNK, NetworkData, StewardshipRow
from partnernet.core.sustainability import EntityFacts, LoadPoint, Sustainability, assess
from partnernet.directory.models import Entity, EntityKind, Membership
from partnernet.framework.models import Stewardship
from partnernet.partnerships.models import Partnership
from partnernet.support.models import LOAD_STATUSES, RequestStatus, SupportRequest


def load_history(keys: Iterable[str] | None = None) -> dict[str, list[LoadPoint]]:
    """Each entity's ``(taken, load, capacity)`` in every snapshot, oldest first (one query)."""
    wanted = None if keys is None else set(keys)
    history: dict[str, list[LoadPoint]] = defaultdict(list)
    for taken, loads in Snapshot.objects.order_by("month").values_list("taken", "loads"):
        for key, (load, capacity) in (loads or {}).items():
            if wanted is None or key in wanted:
                history[key].append(LoadPoint(taken.date(), int(load), int(capacity)))
    return history


def _closed_requests(steward_ids: Iterable[int] | None = None) -> dict[int, tuple[int, int, list[float]]]:
    """Per steward entity id: (resolved, declined, days from created to resolved of each resolved one)."""
    rows = SupportRequest.objects.filter(
        steward__isnull=False, status__in=(RequestStatus.RESOLVED, RequestStatus.DECLINED)
    )
    if steward_ids is not None:
        rows = rows.filter(steward_id__in=list(steward_ids))
    closed: dict[int, tuple[int, int, list[float]]] = {}
    for steward_id, status, created, resolved in rows.values_list(
        "steward_id", "status", "created", "resolved"
    ).iterator(chunk_size=CHUNK):
        done, declined, days = closed.get(steward_id, (0, 0, []))
        if status == RequestStatus.RESOLVED:
            done += 1
            if resolved is not None:
                days.append(float((resolved - created).days))
        else:
            declined += 1
        closed[steward_id] = (done, declined, days)
    return closed


def offer_answers(steward_ids: Iterable[int] | None = None) -> dict[int, tuple[list[float], list[float]]]:
    """Per steward entity id: days from offer to answer (accept or decline), and days from offer to timeout.

    Read from the support workflow's timeline: an ``offered`` event opens the clock for the steward it names,
    and the next ``accepted``, ``declined`` or ``timed_out`` event for that steward on the same request stops
    it. An offer that timed out was never answered: it counts as a slow response (``core.sustainability``).
    Offers still waiting are left out.
    """
    from partnernet.support.models import EventKind, RequestEvent

    stops = [EventKind.ACCEPTED, EventKind.DECLINED, EventKind.TIMED_OUT]
    events = RequestEvent.objects.filter(kind__in=[EventKind.OFFERED, *stops], steward__isnull=False)
    if steward_ids is not None:
        events = events.filter(steward_id__in=list(steward_ids))
    result: dict[int, tuple[list[float], list[float]]] = {}
    open_offer: dict[int, tuple[int, dt.datetime]] = {}
    rows = events.order_by("request_id", "at", "pk").values_list("request_id", "kind", "steward_id", "at")
    for request_id, kind, steward_id, at in rows.iterator(chunk_size=5000):
        if kind == EventKind.OFFERED:
            open_offer[request_id] = (steward_id, at)
            continue
        offer = open_offer.pop(request_id, None)
        if offer is not None and offer[0] == steward_id:
            answered, timed_out = result.setdefault(steward_id, ([], []))
            days = (at - offer[1]).total_seconds() / 86400
            (timed_out if kind == EventKind.TIMED_OUT else answered).append(days)
    return result


def response_days_by_steward(steward_ids: Iterable[int] | None = None) -> dict[int, list[float]]:
    """Days from offer to answer per steward entity id (answered offers only; see ``offer_answers``)."""
    return {pk: answered for pk, (answered, _) in offer_answers(steward_ids).items() if answered}


def sustainability(data: NetworkData, today: dt.date | None = None) -> dict[str, Sustainability]:
    """Indicators and alerts of every steward node: each entity holding an active stewardship or having
    been the steward of a support request. Keyed by entity key, in key order."""
    day = today or timezone.localdate()
    closed = _closed_requests()
    responses = offer_answers()
    members = dict(
        Membership.objects.values("entity_id").annotate(n=Count("pk")).values_list("entity_id", "n")
    )
    held: dict[int, list[StewardshipRow]] = defaultdict(list)
    for row in data.stewardships:
        held[row.entity].append(row)
    stewards = set(held) | {p for p in (data.position(pk) for pk in closed) if p is not None}
    history = load_history(data.entities[p] for p in stewards)
    result: dict[str, Sustainability] = {}
    for position in sorted(stewards, key=lambda p: data.entities[p]):
        pk = int(data.ids[position])
        entity = data.rows[position]
        rows = held.get(position, [])
        done, declined, days = closed.get(pk, (0, 0, []))
        facts = EntityFacts(
            key=entity.key,
            is_individual=entity.kind == EntityKind.INDIVIDUAL,
            founded=entity.founded,
            staff_fte=entity.staff_fte,
            volunteers=entity.volunteers,
            members=members.get(pk, 0),
            holds_lead=any(row.level == Stewardship.Level.LEAD for row in rows),
            load=sum(row.load for row in rows),
            capacity=sum(row.capacity for row in rows),
            committed_response_days=max((row.response_days for row in rows), default=None),
            response_days=responses.get(pk, ([], []))[0],
            timed_out_days=responses.get(pk, ([], []))[1],
            resolution_days=days,
            resolved=done,
            declined=declined,
            partnership_types=_experience(data, position),
            history=history.get(entity.key, []),
        )
        result[entity.key] = assess(facts, day)
    return result


def _experience(data: NetworkData, position: int) -> dict[str, int]:
    return {
        key: int(count) for key, count in zip(data.types, data.experience[position], strict=False) if count
    }


@dataclass(frozen=True)
class EntitySustainability:
    """What the entity page shows: the indicators and the monthly load history for its chart."""

    entity: Entity
    indicators: Sustainability
    history: list[LoadPoint]
    is_steward: bool


def entity_sustainability(entity: Entity, today: dt.date | None = None) -> EntitySustainability:
    """Indicators of one entity in a handful of queries, whatever the size of the instance (entity page)."""
    day = today or timezone.localdate()
    held = list(
        Stewardship.objects.filter(entity=entity, status=Stewardship.Status.ACTIVE)
        .annotate(load=Count("requests", filter=Q(requests__status__in=LOAD_STATUSES)))
        .values_list("level", "capacity", "response_days", "load")
    )
    done, declined, days = _closed_requests([entity.pk]).get(entity.pk, (0, 0, []))
    types = dict(
        Partnership.objects.filter(Q(lead=entity) | Q(supporters=entity))
        .values("type__key")
        .annotate(n=Count("pk", distinct=True))
        .values_list("type__key", "n")
    )
    history = load_history([entity.key]).get(entity.key, [])
    answers = offer_answers([entity.pk]).get(entity.pk, ([], []))
    facts = EntityFacts(
        key=entity.key,
        is_individual=entity.kind == EntityKind.INDIVIDUAL,
        founded=entity.founded,
        staff_fte=float(entity.staff_fte) if entity.staff_fte is not None else None,
        volunteers=entity.volunteers,
        members=Membership.objects.filter(entity=entity).count(),
        holds_lead=any(level == Stewardship.Level.LEAD for level, *_ in held),
        load=sum(row[3] for row in held),
        capacity=sum(row[1] for row in held),
        committed_response_days=max((row[2] for row in held), default=None),
        response_days=answers[0],
        timed_out_days=answers[1],
        resolution_days=days,
        resolved=done,
        declined=declined,
        partnership_types=types,
        history=history,
    )
    return EntitySustainability(
        entity=entity,
        indicators=assess(facts, day),
        history=history,
        is_steward=bool(held) or bool(done + declined),
    )
