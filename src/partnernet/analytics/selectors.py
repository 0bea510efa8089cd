"""Loading the movement's network from the database, in a fixed number of queries, for the analytics core.

Everything the report needs is read once into :class:`NetworkData` as flat arrays: at a million partnerships
model instances would cost minutes and gigabytes, so rows come through ``values_list(...).iterator()`` into
numpy and every join (partnership -> lead, entity id -> position) is a ``searchsorted``. The report, the
sustainability indicators, the suggestions and the dashboard's graph all read the same value.

The graph (FORMATS.md, ``analyze --json``): every entity is a node; two entities are tied when they share
a partnership (as lead or supporter: lead-supporter and supporter-supporter pairs) or when one resolved a
support request of the other (status ``resolved``, steward and requester). Every partnership counts,
whatever its visibility: the analytics publish counts and entity keys, never a partnership's title,
partners or parties.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from partnernet.analytics.models import Snapshot
from partnernet.core.analytics import AnalyticsReport, StewardshipLoad, analyze
from partnernet.core.coverage import StewardshipCell
from partnernet.core.network import build_graph
from partnernet.core.regions import RegionTree
from partnernet.core.suggestions import Candidate, Suggestion, suggest
from partnernet.core.sustainability import EntityFacts, LoadPoint, Sustainability, assess
from partnernet.directory.models import Entity, EntityKind, Membership
from partnernet.exchange.references import origin_rank
from partnernet.federation.selectors import instance_id
from partnernet.framework.models import PartnershipType, Region, Stewardship
from partnernet.framework.selectors import region_tree
from partnernet.partnerships.models import Partnership
from partnernet.support.models import LOAD_STATUSES, RequestStatus, SupportRequest

IntArray = npt.NDArray[np.int64]
LEVELS = ("subregion", "region")
"""Column levels of the coverage matrix; ``subregion`` is the default (see :func:`matrix_columns`)."""
CHUNK = 20_000


@dataclass(frozen=True)
class EntityRow:
    key: str
    name: str
    kind: str
    country: str | None
    founded: int | None
    staff_fte: float | None
    volunteers: int | None
    languages: tuple[str, ...]


@dataclass(frozen=True)
class StewardshipRow:
    """An active stewardship; ``entity`` is the holder's position in :attr:`NetworkData.entities`."""

    entity: int
    level: str
    capacity: int
    load: int
    response_days: int
    type: str
    theme: str | None
    region: str


@dataclass(frozen=True)
class NetworkData:
    """The whole instance as the analytics see it. Position ``i`` is entity ``entities[i]`` everywhere.

    ``pairs`` holds one row per tie occurrence (a pair repeats for every partnership or resolved request it
    comes from; the core counts it once, the dashboard shows the repeats as edge weights). ``handled[i]`` is
    the number of requests entity ``i`` resolved as steward; ``experience[i, t]`` the partnerships of type
    ``types[t]`` it leads or supports.
    """

    entities: tuple[str, ...]
    rows: tuple[EntityRow, ...]
    ids: IntArray
    pairs: IntArray
    handled: IntArray
    stewardships: tuple[StewardshipRow, ...]
    types: tuple[str, ...]
    experience: IntArray
    regions: dict[int, tuple[str, ...]]

    def position(self, pk: int) -> int | None:
        index = int(np.searchsorted(self.ids, pk))
        return index if index < len(self.ids) and int(self.ids[index]) == pk else None


def _int_rows(queryset: QuerySet[Any], fields: int) -> IntArray:
    """``values_list`` rows of integers as an ``(n, fields)`` array, streamed without model instances."""
    flat: Iterator[Any] = chain.from_iterable(queryset.iterator(chunk_size=CHUNK))
    return np.fromiter(flat, dtype=np.int64).reshape(-1, fields)


def _labels(rows: Iterable[tuple[int, str, str]]) -> list[str]:
    """Entity keys as labels; when a key exists under several origins the preferred row keeps the bare key
    (this instance's, then the seed's, then a peer's) and the others are labelled ``key@origin``."""
    listed = list(rows)
    local = instance_id()
    best: dict[str, tuple[int, int]] = {}
    for pk, key, origin in listed:
        rank = (origin_rank(origin, local), pk)
        if key not in best or rank < best[key]:
            best[key] = rank
    return [key if best[key][1] == pk else f"{key}@{origin}" for pk, key, origin in listed]


def network_data() -> NetworkData:
    """Read the network in a fixed number of queries (about a dozen, whatever the size of the instance)."""
    entity_rows = list(
        Entity.objects.order_by("pk").values_list(
            "pk",
            "key",
            "origin",
            "name",
            "kind",
            "country__code",
            "founded",
            "staff_fte",
            "volunteers",
            "languages",
        )
    )
    ids = np.fromiter((row[0] for row in entity_rows), dtype=np.int64, count=len(entity_rows))
    labels = _labels((row[0], row[1], row[2]) for row in entity_rows)
    rows = tuple(
        EntityRow(
            key=label,
            name=row[3],
            kind=row[4],
            country=row[5],
            founded=row[6],
            staff_fte=float(row[7]) if row[7] is not None else None,
            volunteers=row[8],
            languages=tuple(row[9] or ()),
        )
        for label, row in zip(labels, entity_rows, strict=True)
    )

    index_of = {int(pk): position for position, pk in enumerate(ids.tolist())}

    def positions(pks: IntArray) -> IntArray:
        return np.searchsorted(ids, pks).astype(np.int64)

    type_rows = list(PartnershipType.objects.order_by("position", "key").values_list("pk", "key"))
    type_keys = tuple(key for _, key in type_rows)
    type_index = np.zeros(max((pk for pk, _ in type_rows), default=0) + 1, dtype=np.int64)
    for index, (pk, _) in enumerate(type_rows):
        type_index[pk] = index
    partnerships = _int_rows(Partnership.objects.order_by("pk").values_list("pk", "lead_id", "type_id"), 3)
    supporters = _int_rows(
        Partnership.supporters.through.objects.order_by("partnership_id", "entity_id").values_list(
            "partnership_id", "entity_id"
        ),
        2,
    )
    resolved = _int_rows(
        SupportRequest.objects.filter(status=RequestStatus.RESOLVED, steward__isnull=False).values_list(
            "steward_id", "requester_id"
        ),
        2,
    )
    lead_of = positions(partnerships[:, 1])
    row_of = np.searchsorted(partnerships[:, 0], supporters[:, 0])
    supporter = positions(supporters[:, 1])
    chunks = [np.column_stack((lead_of[row_of], supporter))]
    for offset in range(1, len(supporters)):
        same = supporters[:-offset, 0] == supporters[offset:, 0]
        if not same.any():
            break
        chunks.append(np.column_stack((supporter[:-offset][same], supporter[offset:][same])))
    steward = positions(resolved[:, 0])
    chunks.append(np.column_stack((steward, positions(resolved[:, 1]))))
    pairs = np.concatenate(chunks).astype(np.int64)

    n, t = len(ids), max(len(type_keys), 1)
    type_of = type_index[partnerships[:, 2]]
    codes = np.concatenate((lead_of * t + type_of, supporter * t + type_of[row_of]))
    experience = np.bincount(codes, minlength=n * t).reshape(n, t) if n else np.zeros((0, t), dtype=np.int64)

    loads = dict(
        SupportRequest.objects.filter(status__in=LOAD_STATUSES, stewardship__isnull=False)
        .values("stewardship_id")
        .annotate(n=Count("pk"))
        .values_list("stewardship_id", "n")
    )
    active = (
        Stewardship.objects.filter(status=Stewardship.Status.ACTIVE)
        .order_by("key", "pk")
        .values_list(
            "pk", "entity_id", "level", "capacity", "response_days", "type__key", "theme__key", "region__code"
        )
    )
    stewardships = tuple(
        StewardshipRow(
            entity=index_of[entity_id],
            level=level,
            capacity=capacity,
            load=loads.get(pk, 0),
            response_days=response_days,
            type=type_key,
            theme=theme_key,
            region=region_code,
        )
        for pk, entity_id, level, capacity, response_days, type_key, theme_key, region_code in active
    )
    regions: dict[int, list[str]] = defaultdict(list)
    for entity_id, code in Entity.regions.through.objects.values_list("entity_id", "region__code").iterator(
        chunk_size=CHUNK
    ):
        regions[index_of[entity_id]].append(code)
    return NetworkData(
        entities=tuple(labels),
        rows=rows,
        ids=ids,
        pairs=pairs,
        handled=np.bincount(steward, minlength=n).astype(np.int64),
        stewardships=stewardships,
        types=type_keys,
        experience=experience.astype(np.int64),
        regions={position: tuple(codes) for position, codes in regions.items()},
    )


def matrix_columns(level: str = "subregion") -> list[str]:
    """The region columns of the coverage matrix, in M49 order.

    ``subregion`` (the default): M49's sub-regions (Northern Europe, Sub-Saharan Africa, ...), plus any region
    that has no sub-region, so every part of the world has a column. ``region``: the five M49 regions.
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}")
    if level == "region":
        return list(Region.objects.filter(level=Region.Level.REGION).values_list("code", flat=True))
    return list(
        Region.objects.filter(level__in=(Region.Level.REGION, Region.Level.SUBREGION))
        .exclude(level=Region.Level.REGION, children__level=Region.Level.SUBREGION)
        .distinct()
        .values_list("code", flat=True)
    )


def active_types() -> list[str]:
    return list(
        PartnershipType.objects.filter(active=True).order_by("position", "key").values_list("key", flat=True)
    )


def build_report(
    data: NetworkData, *, level: str = "subregion", with_betweenness: bool = True
) -> AnalyticsReport:
    """The core report over ``data``: graph, support, load and coverage figures."""
    return analyze(
        entities=data.entities,
        edges=data.pairs,
        support_handled={
            data.entities[index]: int(count) for index, count in enumerate(data.handled) if count
        },
        loads=[
            StewardshipLoad(entity=data.entities[row.entity], load=row.load, capacity=row.capacity)
            for row in data.stewardships
        ],
        types=active_types(),
        regions=matrix_columns(level),
        tree=region_tree(),
        stewardships=[
            StewardshipCell(
                entity=data.entities[row.entity], type=row.type, theme=row.theme, region=row.region
            )
            for row in data.stewardships
        ],
        with_betweenness=with_betweenness,
    )


def entity_loads(data: NetworkData) -> dict[str, tuple[int, int]]:
    """Total ``(load, capacity)`` per entity holding an active stewardship, keyed by entity key."""
    totals: dict[str, tuple[int, int]] = {}
    for row in data.stewardships:
        key = data.entities[row.entity]
        load, capacity = totals.get(key, (0, 0))
        totals[key] = (load + row.load, capacity + row.capacity)
    return totals


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


def response_days_by_steward(steward_ids: Iterable[int] | None = None) -> dict[int, list[float]]:
    """Days from offer to answer per steward entity id: the input of ``median_response_days``.

    Read from the support workflow's timeline: an ``offered`` event opens the clock for the steward it names,
    and the next ``accepted`` or ``declined`` event by that steward on the same request stops it. Offers that
    timed out or are still waiting are not answers and are left out (the SLA escalation covers them).
    """
    from partnernet.support.models import EventKind, RequestEvent

    events = RequestEvent.objects.filter(
        kind__in=[EventKind.OFFERED, EventKind.ACCEPTED, EventKind.DECLINED], steward__isnull=False
    )
    if steward_ids is not None:
        events = events.filter(steward_id__in=list(steward_ids))
    result: dict[int, list[float]] = defaultdict(list)
    open_offer: dict[int, tuple[int, dt.datetime]] = {}
    rows = events.order_by("request_id", "at", "pk").values_list("request_id", "kind", "steward_id", "at")
    for request_id, kind, steward_id, at in rows.iterator(chunk_size=5000):
        if kind == EventKind.OFFERED:
            open_offer[request_id] = (steward_id, at)
            continue
        offer = open_offer.pop(request_id, None)
        if offer is not None and offer[0] == steward_id:
            result[steward_id].append((at - offer[1]).total_seconds() / 86400)
    return dict(result)


def sustainability(data: NetworkData, today: dt.date | None = None) -> dict[str, Sustainability]:
    """Indicators and alerts of every steward node: each entity holding an active stewardship or having
    been the steward of a support request. Keyed by entity key, in key order."""
    day = today or timezone.localdate()
    closed = _closed_requests()
    responses = response_days_by_steward()
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
            response_days=responses.get(pk, []),
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


def analysis_document(
    *, level: str = "subregion", today: dt.date | None = None, data: NetworkData | None = None
) -> dict[str, Any]:
    """The ``analyze --json`` document of FORMATS.md, ``sustainability`` included, for the whole instance."""
    network = data if data is not None else network_data()
    document = build_report(network, level=level).to_json()
    document["sustainability"] = {
        key: value.to_json() for key, value in sustainability(network, today).items()
    }
    return document


def suggestions_for(
    data: NetworkData, cell_type: str, cell_region: str, *, limit: int = 5
) -> list[Suggestion]:
    """Ranked candidates to steward (``cell_type``, ``cell_region``), for a gap or a single-steward cell.

    Candidates are every entity but individuals (a steward signs for others, which an individual cannot);
    their regions are their country, their regions and the regions of their active stewardships; capacity left
    is the sum over their active stewardships of capacity minus load. The region's languages are those of the
    entities located inside it. Entities already stewarding the type over the region are excluded.
    """
    tree = region_tree()
    if cell_region not in tree:
        raise ValueError(f"unknown region {cell_region!r}")
    capacity: dict[int, int] = {}
    own_regions: dict[int, set[str]] = defaultdict(set)
    current: set[str] = set()
    for row in data.stewardships:
        capacity[row.entity] = capacity.get(row.entity, 0) + max(0, row.capacity - row.load)
        own_regions[row.entity].add(row.region)
        if row.type == cell_type and tree.covers(row.region, cell_region):
            current.add(data.entities[row.entity])
    type_column = data.types.index(cell_type) if cell_type in data.types else None
    inside = tree.descendants(cell_region)
    spoken: set[str] = set()
    for position, entity in enumerate(data.rows):
        if entity.country in inside or not inside.isdisjoint(data.regions.get(position, ())):
            spoken.update(entity.languages)
    free = [p for p, left in capacity.items() if left > 0 and data.entities[p] not in current]
    # Entities with free capacity rank before all others, so when there are enough of them nobody else can
    # reach the list and the other entities need not be looked at (a large speed-up on big instances).
    pool = free if len(free) >= limit else range(len(data.rows))
    candidates: list[Candidate] = []
    for position in pool:
        entity = data.rows[position]
        if entity.kind == EntityKind.INDIVIDUAL:
            continue
        places = own_regions.get(position, set()) | set(data.regions.get(position, ()))
        if entity.country:
            places.add(entity.country)
        experience = int(data.experience[position, type_column]) if type_column is not None else 0
        candidates.append(
            Candidate(
                entity=entity.key,
                regions=tuple(sorted(places)),
                languages=frozenset(entity.languages),
                capacity_left=capacity.get(position),
                experience={cell_type: experience},
            )
        )
    return suggest(
        cell_type, cell_region, candidates, tree, region_languages=spoken, exclude=current, limit=limit
    )


def region_names(codes: Iterable[str]) -> dict[str, str]:
    tree: RegionTree = region_tree()
    return {code: tree.name(code) for code in codes}


def type_names() -> dict[str, str]:
    return dict(PartnershipType.objects.values_list("key", "name"))


def snapshots() -> QuerySet[Snapshot]:
    return Snapshot.objects.order_by("month")


TREND_FIGURES = (
    "entities",
    "edges",
    "degree_centralization",
    "betweenness_centralization",
    "top1_share",
    "top3_share",
    "hhi",
    "gini",
    "covered",
    "cells",
    "gaps",
    "single_steward",
    "over_capacity",
)
"""Columns of a trend row: the report's numbers, with coverage and lists reduced to counts."""


def trend_rows() -> list[dict[str, Any]]:
    """One row per monthly snapshot, oldest first: ``month`` (``YYYY-MM``) and the :data:`TREND_FIGURES`."""
    rows: list[dict[str, Any]] = []
    for month, figures in Snapshot.objects.order_by("month").values_list("month", "figures"):
        coverage = figures.get("coverage") or {}
        row: dict[str, Any] = {"month": month.strftime("%Y-%m")}
        for name in TREND_FIGURES[:8]:
            row[name] = figures.get(name)
        row["covered"] = coverage.get("covered")
        row["cells"] = coverage.get("cells")
        row["gaps"] = len(coverage.get("gaps") or [])
        row["single_steward"] = len(coverage.get("single_steward") or [])
        row["over_capacity"] = len(figures.get("over_capacity") or [])
        rows.append(row)
    return rows


LIVE_BETWEENNESS_BUDGET = 20_000_000
"""Largest nodes x edges for which a page computes exact betweenness while the reader waits (about a second);
beyond it the page shows the figure of the latest snapshot."""


@dataclass(frozen=True)
class PageReport:
    """The report as a page shows it: ``betweenness_from`` names the snapshot month when the betweenness
    figure was not computed live (see :data:`LIVE_BETWEENNESS_BUDGET`), else ``None``."""

    document: dict[str, Any]
    betweenness_from: str | None


def page_report(data: NetworkData, *, level: str = "subregion") -> PageReport:
    """The report for a page: exact betweenness live up to the budget, else from the latest snapshot."""
    live = len(data.entities) * len(data.pairs) <= LIVE_BETWEENNESS_BUDGET
    document = build_report(data, level=level, with_betweenness=live).to_json()
    if live:
        return PageReport(document, None)
    latest = Snapshot.objects.order_by("-month").values_list("month", "figures").first()
    if latest is None:
        return PageReport(document, "")
    document["betweenness_centralization"] = latest[1].get("betweenness_centralization")
    return PageReport(document, latest[0].strftime("%Y-%m"))


def cell_holders(
    data: NetworkData, types: Iterable[str], columns: Iterable[str]
) -> dict[tuple[str, str], list[str]]:
    """Entity keys stewarding each (type, column) cell of the matrix, sorted (the same rule as the core)."""
    tree = region_tree()
    wanted = set(types)
    cols = list(columns)
    holders: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in data.stewardships:
        if row.type not in wanted or row.region not in tree:
            continue
        for column in cols:
            if tree.covers(row.region, column):
                holders[(row.type, column)].add(data.entities[row.entity])
    return {cell: sorted(keys) for cell, keys in holders.items()}


def region_group(tree: RegionTree, code: str | None, groups: list[str]) -> int | None:
    """Index in ``groups`` (the M49 regions) of the region holding ``code``; ``None`` outside them all."""
    if not code or code not in tree:
        return None
    for ancestor in tree.chain(code):
        if ancestor in groups:
            return groups.index(ancestor)
    return None


def graph_elements(
    data: NetworkData, over_capacity: Iterable[str], *, limit: int = 150, edge_limit: int = 1500
) -> dict[str, Any]:
    """Cytoscape elements for the ``limit`` most connected entities and the ``edge_limit`` heaviest ties
    among them (a drawing of more is unreadable and slow).

    Nodes carry the entity's name, its load as ``weight`` (size) and a ``group-N`` class for its M49 region
    (colour); ``over`` marks an entity at capacity. Edge ``weight`` is how many partnerships and resolved
    requests tie the two. Only entities and counts appear: never a partnership's title or partners.
    """
    n = len(data.entities)
    graph_pairs = data.pairs[data.pairs[:, 0] != data.pairs[:, 1]] if len(data.pairs) else data.pairs
    if n == 0 or len(graph_pairs) == 0:
        return {"elements": [], "groups": []}
    low = np.minimum(graph_pairs[:, 0], graph_pairs[:, 1])
    high = np.maximum(graph_pairs[:, 0], graph_pairs[:, 1])
    codes, weights = np.unique(low * n + high, return_counts=True)
    a, b = codes // n, codes % n
    degrees = np.bincount(a, minlength=n) + np.bincount(b, minlength=n)
    order = sorted(
        (p for p in range(n) if degrees[p] > 0), key=lambda p: (-int(degrees[p]), data.entities[p])
    )
    chosen = order[:limit]
    keep = np.zeros(n, dtype=bool)
    keep[chosen] = True
    loads = entity_loads(data)
    full = set(over_capacity)
    tree = region_tree()
    groups = list(Region.objects.filter(level=Region.Level.REGION).values_list("code", flat=True))
    elements: list[dict[str, Any]] = []
    for position in chosen:
        row = data.rows[position]
        classes = []
        group = region_group(tree, row.country or next(iter(data.regions.get(position, ())), None), groups)
        if group is not None:
            classes.append(f"group-{group}")
        if row.key in full:
            classes.append("over")
        node: dict[str, Any] = {"data": {"id": row.key, "label": row.name}, "classes": " ".join(classes)}
        if row.key in loads:
            node["data"]["weight"] = loads[row.key][0]
        elements.append(node)
    mask = keep[a] & keep[b]
    heaviest = np.argsort(-weights[mask], kind="stable")[:edge_limit]
    for source, target, weight in zip(
        a[mask][heaviest], b[mask][heaviest], weights[mask][heaviest], strict=True
    ):
        elements.append(
            {
                "data": {
                    "source": data.entities[source],
                    "target": data.entities[target],
                    "weight": int(weight),
                }
            }
        )
    return {"elements": elements, "groups": groups}


def node_rows(data: NetworkData, over_capacity: Iterable[str]) -> list[dict[str, Any]]:
    """Every entity with its degree, support handled, load and capacity: the network as a table."""
    graph = build_graph(data.entities, data.pairs)
    loads = entity_loads(data)
    full = set(over_capacity)
    rows: list[dict[str, Any]] = []
    for position, entity in enumerate(data.rows):
        load, capacity = loads.get(entity.key, (None, None))
        rows.append(
            {
                "entity": entity.key,
                "name": entity.name,
                "country": entity.country,
                "degree": int(graph.degrees[position]),
                "support_handled": int(data.handled[position]),
                "load": load,
                "capacity": capacity,
                "over_capacity": entity.key in full,
            }
        )
    return rows


def edge_rows(data: NetworkData) -> list[dict[str, Any]]:
    """Every tie once, with how many partnerships and resolved requests make it (its weight)."""
    n = len(data.entities)
    if n == 0 or len(data.pairs) == 0:
        return []
    low = np.minimum(data.pairs[:, 0], data.pairs[:, 1])
    high = np.maximum(data.pairs[:, 0], data.pairs[:, 1])
    keep = low != high
    codes, weights = np.unique(low[keep] * n + high[keep], return_counts=True)
    return [
        {
            "source": data.entities[int(code // n)],
            "target": data.entities[int(code % n)],
            "weight": int(weight),
        }
        for code, weight in zip(codes, weights, strict=True)
    ]


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
        response_days=response_days_by_steward([entity.pk]).get(entity.pk, []),
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


CELL_SAMPLE = 8


@dataclass(frozen=True)
class MatrixCell:
    region: str
    stewards: list[str]
    over: bool

    @property
    def count(self) -> int:
        return len(self.stewards)

    @property
    def sample(self) -> list[str]:
        """The first stewards, for a tooltip; a world-wide cell can have thousands."""
        return self.stewards[:CELL_SAMPLE]

    @property
    def more(self) -> int:
        return max(0, len(self.stewards) - CELL_SAMPLE)

    @property
    def css(self) -> str:
        return (
            "pn-matrix-none"
            if not self.stewards
            else ("pn-matrix-one" if len(self.stewards) == 1 else "pn-matrix-several")
        )


SUSTAINABILITY_ROWS = 200
"""Stewards listed on the page: those with alerts first, then the fullest; the download has them all."""


@dataclass(frozen=True)
class Dashboard:
    """Everything the analytics page shows, read in a fixed number of queries."""

    level: str
    report: PageReport
    types: list[tuple[str, str]]
    columns: list[tuple[str, str]]
    matrix: list[tuple[str, str, list[MatrixCell]]]
    names: dict[str, str]
    type_labels: dict[str, str]
    region_labels: dict[str, str]
    graph: dict[str, Any]
    group_names: list[str]
    trends: list[dict[str, Any]]
    sustainability: dict[str, Sustainability] | None
    assessed: int


def dashboard(level: str, scope: set[int] | None) -> Dashboard:
    """The analytics page. ``scope`` limits sustainability: ``None`` all entities, a set of entity ids only
    those, an empty set none and the section is left out (see ``analytics.rules.sustainability_scope``)."""
    data = network_data()
    report = page_report(data, level=level)
    type_keys = active_types()
    columns = matrix_columns(level)
    tree = region_tree()
    names_of_types = type_names()
    holders = cell_holders(data, type_keys, columns)
    full = set(report.document["over_capacity"])
    matrix = [
        (
            key,
            names_of_types.get(key, key),
            [
                MatrixCell(code, holders.get((key, code), []), bool(full & set(holders.get((key, code), []))))
                for code in columns
            ],
        )
        for key in type_keys
    ]
    graph = graph_elements(data, full)
    sustained: dict[str, Sustainability] | None = None
    assessed = 0
    if scope is None or scope:
        everyone = sustainability(data)
        if scope is not None:
            allowed = {data.entities[p] for p in (data.position(pk) for pk in scope) if p is not None}
            everyone = {key: value for key, value in everyone.items() if key in allowed}
        assessed = len(everyone)
        ranked = sorted(
            everyone.items(), key=lambda item: (not item[1].alerts, -(item[1].load_ratio or 0), item[0])
        )
        sustained = dict(ranked[:SUSTAINABILITY_ROWS])
    return Dashboard(
        level=level,
        report=report,
        types=[(key, names_of_types.get(key, key)) for key in type_keys],
        columns=[(code, tree.name(code)) for code in columns],
        matrix=matrix,
        names={row.key: row.name for row in data.rows},
        type_labels=names_of_types,
        region_labels={code: tree.name(code) for code in columns},
        graph=graph,
        group_names=[tree.name(code) for code in graph["groups"]],
        trends=trend_rows(),
        sustainability=sustained,
        assessed=assessed,
    )
