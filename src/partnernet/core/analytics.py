"""The network analytics report: is the movement distributed, or hub and spokes under another name?

DESIGN.md asks for measured decentralisation rather than a claim of it. This module gathers the figures of
``partnernet analyze`` from plain data that the analytics app loads: the partnership graph (how central the
most central entity is), the support handled (how much of it the top 1 and top 3 entities carry), the
stewardship load (how concentrated it is, and who is at capacity) and the coverage matrix. It does no I/O and
knows nothing of Django; the caller adds the ``sustainability`` object and stores or prints the result.

Definitions chosen here, so every instance reports the same thing:

- *Load concentration* (``hhi``, ``gini``) is over **entities that hold at least one of the stewardships
  given**, each with the sum of its stewardships' loads. A node is the unit of the distributed model, so an
  entity holding three cells is one holder, not three; an entity with no stewardship is not a steward and is
  left out, while a steward with no load is in (idle capacity is part of the spread).
- *At capacity* (``over_capacity``) follows FORMATS.md's rule "load >= capacity", applied to the entity as a
  node: the sum of its stewardships' loads reaches the sum of their capacities. A steward full in one cell but
  free in another is not listed (routing already skips the full cell); an entity whose stewardships all have
  capacity 0 is listed, because it cannot take a case.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from partnernet.core.coverage import Coverage, StewardshipCell, coverage_matrix
from partnernet.core.inequality import gini, hhi, top_share
from partnernet.core.network import (
    Edges,
    SimpleGraph,
    betweenness_centralization,
    build_graph,
    degree_centralization,
)
from partnernet.core.regions import RegionTree


@dataclass(frozen=True)
class StewardshipLoad:
    """One active stewardship's current load (cases offered, accepted or in progress) and its capacity."""

    entity: str
    load: int
    capacity: int


@dataclass(frozen=True)
class NetworkFigures:
    """The decentralisation figures; ``None`` where the data leave a figure undefined.

    ``betweenness_centralization`` is also ``None`` when it was not asked for (see :func:`network_figures`).
    ``over_capacity`` is sorted by entity key.
    """

    entities: int
    edges: int
    degree_centralization: float | None
    betweenness_centralization: float | None
    top1_share: float | None
    top3_share: float | None
    hhi: float | None
    gini: float | None
    over_capacity: tuple[str, ...]


@dataclass(frozen=True)
class AnalyticsReport:
    network: NetworkFigures
    coverage: Coverage

    def to_json(self) -> dict[str, Any]:
        """The keys of ``analyze --json`` (FORMATS.md) in their documented order, but ``sustainability``."""
        figures = self.network
        return {
            "entities": figures.entities,
            "edges": figures.edges,
            "degree_centralization": figures.degree_centralization,
            "betweenness_centralization": figures.betweenness_centralization,
            "top1_share": figures.top1_share,
            "top3_share": figures.top3_share,
            "hhi": figures.hhi,
            "gini": figures.gini,
            "coverage": self.coverage.to_json(),
            "over_capacity": list(figures.over_capacity),
        }


def analyze(
    *,
    entities: Sequence[str],
    edges: Edges,
    support_handled: Mapping[str, int],
    loads: Iterable[StewardshipLoad],
    types: Sequence[str],
    regions: Sequence[str],
    tree: RegionTree,
    stewardships: Iterable[StewardshipCell],
    with_betweenness: bool = True,
) -> AnalyticsReport:
    """The whole report: :func:`network_figures` plus :func:`~partnernet.core.coverage.coverage_matrix`.

    Every argument may be empty; an empty instance yields counts of 0, ``None`` figures and no gaps.
    """
    return AnalyticsReport(
        network=network_figures(entities, edges, support_handled, loads, with_betweenness=with_betweenness),
        coverage=coverage_matrix(types, regions, tree, stewardships),
    )


def network_figures(
    entities: Sequence[str],
    edges: Edges,
    support_handled: Mapping[str, int],
    loads: Iterable[StewardshipLoad],
    *,
    with_betweenness: bool = True,
) -> NetworkFigures:
    """Graph, support and load figures for the given entities.

    ``entities`` are all the nodes (isolated ones included); ``edges`` ties between them (see
    :data:`~partnernet.core.network.Edges`); ``support_handled`` the number of support requests each entity
    handled as steward (absent means 0); ``loads`` one row per active stewardship. Exact betweenness is the
    only costly figure (time grows as nodes x edges); ``with_betweenness=False`` skips it and reports
    ``None``. Raises ``ValueError`` for repeated or unknown entity keys and for negative counts.
    """
    graph = build_graph(entities, edges)
    handled = _known_counts(graph, support_handled)
    held = _entity_loads(graph, loads)
    load_values = [load for load, _ in held.values()]
    return NetworkFigures(
        entities=graph.node_count,
        edges=graph.edge_count,
        degree_centralization=degree_centralization(graph),
        betweenness_centralization=betweenness_centralization(graph) if with_betweenness else None,
        top1_share=top_share(handled, 1),
        top3_share=top_share(handled, 3),
        hhi=hhi(load_values),
        gini=gini(load_values),
        over_capacity=tuple(sorted(key for key, (load, capacity) in held.items() if load >= capacity)),
    )


def _known_counts(graph: SimpleGraph, support_handled: Mapping[str, int]) -> list[int]:
    for key in support_handled:
        if key not in graph.positions:
            raise ValueError(f"support handled by an unknown entity: {key!r}")
    return list(support_handled.values())


def _entity_loads(graph: SimpleGraph, loads: Iterable[StewardshipLoad]) -> dict[str, tuple[int, int]]:
    """Total ``(load, capacity)`` of each entity that holds a stewardship."""
    totals: dict[str, tuple[int, int]] = {}
    for row in loads:
        if row.entity not in graph.positions:
            raise ValueError(f"a stewardship load names an unknown entity: {row.entity!r}")
        if row.load < 0 or row.capacity < 0:
            raise ValueError(f"load and capacity of {row.entity!r} must not be negative")
        load, capacity = totals.get(row.entity, (0, 0))
        totals[row.entity] = (load + row.load, capacity + row.capacity)
    return totals
