"""Reads about support requests, the stewardships they count against, and who may see them."""

from __future__ import annotations

import difflib
import re
import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from partnernet.directory.models import Entity, Partner
from partnernet.directory.rules import entity_ids_of, is_facilitator
from partnernet.framework.models import Region, Stewardship
from partnernet.framework.selectors import StewardView, active_stewards, region_path, region_tree
from partnernet.support.models import (
    LOAD_STATUSES,
    EventKind,
    Hosting,
    RequestEvent,
    RequestStatus,
    SupportRequest,
)


def covering_stewardship(
    entity_id: int, type_id: int, theme_id: int | None, region_code: str
) -> Stewardship | None:
    """The active stewardship of ``entity_id`` that a request of this cell counts against (FORMATS.md).

    Among the entity's active stewardships of the request's type whose cell covers the request, the most
    specific wins: a matching theme before "any theme", then the region nearest the request's region, then the
    key, so the choice is stable.
    """
    tree = region_tree()
    best: tuple[tuple[int, int, str], Stewardship] | None = None
    for stewardship in Stewardship.objects.filter(
        entity_id=entity_id, type_id=type_id, status=Stewardship.Status.ACTIVE
    ).select_related("region"):
        if stewardship.theme_id is not None and stewardship.theme_id != theme_id:
            continue
        steps = tree.steps_up(region_code, stewardship.region.code)
        if steps is None:
            continue
        rank = (0 if stewardship.theme_id is not None else 1, steps, stewardship.key)
        if best is None or rank < best[0]:
            best = (rank, stewardship)
    return best[1] if best else None


def filter_requests(
    queryset: QuerySet[SupportRequest],
    *,
    status: str | None = None,
    need: str | None = None,
    type: str | None = None,
    region: str | None = None,
    requester: str | None = None,
    steward: str | None = None,
) -> QuerySet[SupportRequest]:
    """The support queue's filters. Apply them to an already visibility-filtered queryset."""
    rows = queryset
    if status:
        rows = rows.filter(status=status)
    if need:
        rows = rows.filter(need=need)
    if type:
        rows = rows.filter(type__key=type)
    if region:
        path = region_path(region)
        if path is None:
            return rows.none()
        rows = rows.filter(region__in=Region.objects.filter(path__startswith=path))
    if requester:
        rows = rows.filter(requester__key=requester)
    if steward:
        rows = rows.filter(steward__key=steward)
    return rows


def stewardship_loads(stewardship_ids: Iterable[int]) -> dict[int, int]:
    """Load per stewardship id, for pages that show capacity."""
    rows = (
        SupportRequest.objects.filter(stewardship_id__in=list(stewardship_ids), status__in=LOAD_STATUSES)
        .values("stewardship_id")
        .annotate(load=Count("pk"))
        .order_by()
    )
    return {row["stewardship_id"]: row["load"] for row in rows}


def _with_relations(rows: QuerySet[SupportRequest]) -> QuerySet[SupportRequest]:
    return rows.select_related(
        "requester", "partner", "type", "theme", "region", "steward", "stewardship", "partnership"
    )


def requests_visible_to(user: Any) -> QuerySet[SupportRequest]:
    """Requests the person may read: their entities' own, those routed to their entities; all for
    facilitators. One SQL filter, shared by the pages and the API."""
    rows = _with_relations(SupportRequest.objects.all())
    if is_facilitator(user):
        return rows
    own = entity_ids_of(user)
    if not own:
        return rows.none()
    return rows.filter(Q(requester_id__in=own) | Q(steward_id__in=own))


def requests_of(user: Any) -> QuerySet[SupportRequest]:
    """Requests made by the person's entities, newest first."""
    own = entity_ids_of(user)
    return _with_relations(SupportRequest.objects.filter(requester_id__in=own)).order_by("-created_at")


def steward_inbox(user: Any) -> QuerySet[SupportRequest]:
    """Requests offered to, accepted by or being worked on by the person's entities: offers due first."""
    own = entity_ids_of(user)
    return _with_relations(
        SupportRequest.objects.filter(steward_id__in=own, status__in=LOAD_STATUSES)
    ).order_by("status", "due_at", "created_at")


@dataclass(frozen=True)
class StewardCapacity:
    """One active stewardship of the person's entities with its load, as the inbox shows it."""

    stewardship: Any
    load: int

    @property
    def at_capacity(self) -> bool:
        return self.load >= self.stewardship.capacity


def inbox_capacity(user: Any) -> list[StewardCapacity]:
    """The person's entities' active stewardships with their load and capacity (two queries)."""
    from partnernet.framework.models import Stewardship

    held = list(
        Stewardship.objects.filter(entity_id__in=entity_ids_of(user), status=Stewardship.Status.ACTIVE)
        .select_related("entity", "type", "theme", "region")
        .order_by("entity__name", "type__position", "key")
    )
    loads = stewardship_loads(s.pk for s in held)
    return [StewardCapacity(s, loads.get(s.pk, 0)) for s in held]


def passed_on(user: Any, limit: int = 20) -> list[SupportRequest]:
    """Requests the person's entities declined or let time out, newest first, with where they are now: the
    steward who holds them, or the facilitators' queue (only that much is shown: the request is no longer
    theirs to read)."""
    from partnernet.framework.models import Stewardship

    own = entity_ids_of(user)
    if not own:
        return []
    mine = set(Stewardship.objects.filter(entity_id__in=own).values_list("pk", flat=True))
    if not mine:
        return []
    left = (
        RequestEvent.objects.filter(
            steward_id__in=own, kind__in=[EventKind.DECLINED, EventKind.TIMED_OUT, EventKind.LAPSED]
        )
        .order_by("-at")
        .values_list("request_id", flat=True)[: limit * 3]
    )
    seen: list[int] = []
    for pk in left:
        if pk not in seen:
            seen.append(pk)
    rows = SupportRequest.objects.filter(pk__in=seen[:limit]).exclude(steward_id__in=own)
    by_pk = {r.pk: r for r in rows.select_related("steward", "type", "region")}
    return [by_pk[pk] for pk in seen if pk in by_pk]


def facilitators_queue() -> QuerySet[SupportRequest]:
    """Open requests that no steward holds: nobody matched, or every candidate declined or timed out."""
    return _with_relations(SupportRequest.objects.filter(status=RequestStatus.OPEN)).order_by("created_at")


def find_request(key: str) -> SupportRequest | None:
    """A request of this instance by key (keys are unique per origin; local rows are the ones acted on)."""
    from partnernet.base.identity import instance_id

    return _with_relations(SupportRequest.objects.filter(key=key, origin=instance_id())).first()


def request_timeline(request: SupportRequest) -> QuerySet[Any]:
    return request.events.select_related("steward").order_by("at", "pk")


def hostings() -> QuerySet[Hosting]:
    """Every hosting with the rows its API answer names (both sides, the side that ended it, the request)."""
    return Hosting.objects.select_related("host", "hosted", "ended_by", "request")


def filter_hostings(
    queryset: QuerySet[Hosting],
    *,
    host: str | None = None,
    hosted: str | None = None,
    entity: str | None = None,
    status: str | None = None,
) -> QuerySet[Hosting]:
    """The hosting list's filters by entity key: the host, the hosted entity, or either side (what an entity
    page lists), and the status."""
    rows = queryset
    if host:
        rows = rows.filter(host__key=host)
    if hosted:
        rows = rows.filter(hosted__key=hosted)
    if entity:
        rows = rows.filter(Q(host__key=entity) | Q(hosted__key=entity))
    if status:
        rows = rows.filter(status=status)
    return rows


def find_hosting(key: str) -> Hosting | None:
    """A hosting by its UUID (a hosting has no key: its global id is its origin and UUID); this instance's
    row first should a copy from elsewhere share the UUID. ``None`` for an unknown or malformed UUID."""
    from partnernet.base.identity import instance_id
    from partnernet.base.references import origin_rank

    try:
        wanted = uuid.UUID(key)
    except ValueError:
        return None
    local = instance_id()
    found = list(hostings().filter(uuid=wanted))
    return min(found, key=lambda row: origin_rank(row.origin, local)) if found else None


def hostings_of(entity: Entity) -> QuerySet[Hosting]:
    """Hostings the entity gives or receives, active first."""
    return (
        Hosting.objects.filter(Q(host=entity) | Q(hosted=entity))
        .select_related("host", "hosted", "ended_by")
        .order_by("status", "-term_start")
    )


def entity_support(entity: Entity, stewards: list[StewardView] | None = None) -> dict[str, Any]:
    """What an entity page shows about support: live loads of its stewardships, its hostings, open asks.

    ``stewards``: the entity's active stewards when the caller has read them already (``active_stewards``,
    with their load), so the page does not read them twice.
    """
    if stewards is None:
        stewards = active_stewards(entity=entity)
    return {
        "entity": entity,
        "loads": sorted(stewards, key=lambda steward: steward.key),
        "hostings": list(hostings_of(entity)),
        "open_requests": SupportRequest.objects.filter(
            requester=entity, status__in=[RequestStatus.OPEN, *LOAD_STATUSES]
        ).count(),
    }


GENERIC_WORDS = frozenset(
    [
        "the",
        "and",
        "for",
        "of",
        "de",
        "du",
        "la",
        "le",
        "les",
        "der",
        "die",
        "das",
        "het",
        "van",
        "museum",
        "museo",
        "musee",
        "library",
        "biblioteca",
        "bibliotheque",
        "bibliothek",
        "archive",
        "archives",
        "archivo",
        "archief",
        "university",
        "universidad",
        "universite",
        "universitat",
        "national",
        "nacional",
        "city",
        "state",
        "royal",
        "gallery",
        "foundation",
        "institute",
    ]
)


def _compact(name: str) -> str:
    """A name without accents, case, punctuation or spaces: "Tropen Museum" and "tropenmuseum" agree."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]", "", plain)


def _close(one: str, other: str) -> bool:
    a, b = _compact(one), _compact(other)
    if not a or not b:
        return False
    shorter, longer = sorted((a, b), key=len)
    if len(shorter) >= 6 and shorter in longer:
        return True
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.85


def matching_partners(partner: Partner, limit: int = 5) -> list[Partner]:
    """Other partner records that may stand for the same institution as ``partner``: the same Wikidata item
    first, then close names (the same letters but for spacing, accents and case, one name inside the other,
    or nearly the same spelling). The steward chooses; nothing is merged by guess."""
    rows = Partner.objects.exclude(pk=partner.pk).select_related("country")
    found: list[Partner] = []
    if partner.wikidata:
        found += list(rows.filter(wikidata=partner.wikidata).order_by("origin", "key")[:limit])
    words = sorted(
        {w for w in re.findall(r"\w{4,}", partner.name.lower()) if w not in GENERIC_WORDS},
        key=len,
        reverse=True,
    )[:2]
    if words:
        wanted = Q()
        for word in words:
            wanted |= Q(name__icontains=word)
        seen = {p.pk for p in found}
        for row in rows.filter(wanted).order_by("origin", "key")[:2000]:
            if row.pk not in seen and _close(partner.name, row.name):
                found.append(row)
    return found[:limit]
