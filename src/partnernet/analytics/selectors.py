"""Loading the movement's network from the database, in a fixed number of queries, for the analytics core.

Everything the report needs is read once into :class:`NetworkData` as flat arrays: at a million partnerships
model instances would cost minutes and gigabytes, so rows come through ``values_list(...).iterator()`` into
numpy and every join (partnership -> lead, entity id -> position) is a ``searchsorted``. The report
(``report.py``), the sustainability indicators (``sustainability.py``), the suggestions (``suggestions.py``)
and the dashboard's graph (``graph.py``) all read the same value.

The graph (FORMATS.md, ``analyze --json``): every entity is a node; two entities are tied when they share
a partnership (as lead or supporter: lead-supporter and supporter-supporter pairs) or when one resolved a
support request of the other (status ``resolved``, steward and requester). Every partnership counts,
whatever its visibility: the analytics publish counts and entity keys, never a partnership's title,
partners or parties.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db.models import Count, QuerySet

from partnernet.base.identity import instance_id
from partnernet.base.references import origin_rank
from partnernet.directory.models import Entity
from partnernet.framework.models import PartnershipType, Stewardship
from partnernet.partnerships.models import Partnership
from partnernet.support.models import LOAD_STATUSES, RequestStatus, SupportRequest

IntArray = npt.NDArray[np.int64]
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


def entity_loads(data: NetworkData) -> dict[str, tuple[int, int]]:
    """Total ``(load, capacity)`` per entity holding an active stewardship, keyed by entity key."""
    totals: dict[str, tuple[int, int]] = {}
    for row in data.stewardships:
        key = data.entities[row.entity]
        load, capacity = totals.get(key, (0, 0))
        totals[key] = (load + row.load, capacity + row.capacity)
    return totals
