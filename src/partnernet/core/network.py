"""The partnership network as compact arrays, and Freeman's centralizations over it.

The decentralisation report runs over every entity of an instance, up to a movement-wide federation of
100,000 entities and a million ties, so the graph is held as sorted integer arrays rather than Python objects:
degrees then come from one ``numpy.bincount`` and exact betweenness from igraph's C implementation of Brandes'
algorithm. The graph is built once, by :func:`build_graph`, and every figure reads that one value.

The graph is undirected and simple, as DESIGN.md defines it: two entities are tied or not, however many
partnerships or resolved requests they share, and an entity is never tied to itself. Every entity is a node,
isolated ones included, because an entity nobody works with is exactly what a decentralisation report must
see.

Freeman's centralization of a centrality ``c`` over ``n`` nodes is ``sum(max(c) - c(v))`` divided by the
largest value that sum can take on any graph of ``n`` nodes, which is reached by the star. A star is therefore
1 and every graph whose nodes are all alike (a ring, a complete graph) is 0.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from types import MappingProxyType
from typing import Any, TypeAlias

import igraph
import numpy as np
import numpy.typing as npt

IndexArray: TypeAlias = npt.NDArray[np.int64]
Edges: TypeAlias = Iterable[tuple[str, str]] | Iterable[tuple[int, int]] | npt.NDArray[np.integer[Any]]
"""Ties as pairs of entity keys, or as pairs of positions in the entity sequence (a list of pairs or an
``(m, 2)`` integer array, the fast path for large graphs). Direction, repeats and self-ties do not matter."""


@dataclass(frozen=True, eq=False)
class SimpleGraph:
    """An undirected simple graph whose node ``i`` is the entity ``entities[i]``.

    ``positions`` maps each key back to its node. Each edge is stored once, as ``sources[e] < targets[e]``,
    edges sorted; ``degrees[i]`` is the number of distinct neighbours of node ``i``. The arrays and the
    mapping are read-only so the value can be shared safely.
    """

    entities: tuple[str, ...]
    positions: Mapping[str, int]
    sources: IndexArray
    targets: IndexArray
    degrees: IndexArray

    @property
    def node_count(self) -> int:
        return len(self.entities)

    @property
    def edge_count(self) -> int:
        return int(self.sources.shape[0])


def build_graph(entities: Sequence[str], edges: Edges) -> SimpleGraph:
    """Build the simple graph of ``entities`` tied by ``edges``.

    Repeated ties (in either direction) count once and self-ties are dropped. Raises ``ValueError`` when an
    entity key repeats, when an edge names an unknown key or an index outside ``0..len(entities)-1``, or when
    the edges are neither key pairs nor integer pairs.
    """
    keys = tuple(entities)
    positions = {key: index for index, key in enumerate(keys)}
    if len(positions) != len(keys):
        raise ValueError("entity keys must be unique")
    n = len(keys)
    pairs = _edge_pairs(edges, positions, n)
    low = np.minimum(pairs[:, 0], pairs[:, 1])
    high = np.maximum(pairs[:, 0], pairs[:, 1])
    keep = low != high
    codes = np.sort(low[keep] * n + high[keep])
    if codes.size:
        codes = codes[np.concatenate(([True], codes[1:] != codes[:-1]))]
    sources = codes // n if n else codes
    targets = codes % n if n else codes
    degrees = (np.bincount(sources, minlength=n) + np.bincount(targets, minlength=n)).astype(np.int64)
    for array in (sources, targets, degrees):
        array.flags.writeable = False
    return SimpleGraph(
        entities=keys,
        positions=MappingProxyType(positions),
        sources=sources,
        targets=targets,
        degrees=degrees,
    )


def _edge_pairs(edges: Edges, positions: Mapping[str, int], n: int) -> IndexArray:
    """The edges as an ``(m, 2)`` array of node positions, validated but not yet simplified."""
    if isinstance(edges, np.ndarray):
        array: npt.NDArray[Any] = edges
    else:
        pairs: Sequence[tuple[Any, Any]] = edges if isinstance(edges, Sequence) else list(edges)
        if len(pairs) and isinstance(pairs[0][0], str):
            if any(len(pair) != 2 for pair in pairs):
                raise ValueError("edges must be pairs of entity keys or pairs of integer positions")
            try:
                flat = np.fromiter(
                    map(positions.__getitem__, chain.from_iterable(pairs)),
                    dtype=np.int64,
                    count=2 * len(pairs),
                )
            except KeyError as error:
                raise ValueError(f"an edge names an unknown entity: {error.args[0]!r}") from None
            return flat.reshape(-1, 2)
        array = np.asarray(pairs)
    if array.size == 0:
        return np.empty((0, 2), dtype=np.int64)
    if array.ndim != 2 or array.shape[1] != 2 or array.dtype.kind not in "iu":
        raise ValueError("edges must be pairs of entity keys or pairs of integer positions")
    indices = array.astype(np.int64, copy=False)
    if int(indices.min()) < 0 or int(indices.max()) >= n:
        raise ValueError(f"an edge position lies outside 0..{n - 1}")
    return indices


def degree_centralization(graph: SimpleGraph) -> float | None:
    """Freeman's degree centralization, in [0, 1]; ``None`` without edges or with fewer than 3 nodes.

    ``sum(max(d) - d(v)) / ((n - 1)(n - 2))``: the star's sum is ``(n - 1)(n - 2)``. The numerator is the
    exact integer ``n * max(d) - 2m``, so the result is correctly rounded.
    """
    n = graph.node_count
    if n < 3 or graph.edge_count == 0:
        return None
    spread = n * int(graph.degrees.max()) - 2 * graph.edge_count
    return spread / ((n - 1) * (n - 2))


def node_betweenness(graph: SimpleGraph) -> npt.NDArray[np.float64]:
    """Exact betweenness of every node, counting each unordered pair of endpoints once (not normalised).

    A star's centre scores ``(n - 1)(n - 2) / 2``, the most any node of an ``n``-node graph can score.
    """
    if graph.edge_count == 0:
        return np.zeros(graph.node_count, dtype=np.float64)
    ties = np.column_stack((graph.sources, graph.targets))
    network = igraph.Graph(n=graph.node_count, edges=ties, directed=False)
    return np.asarray(network.betweenness(directed=False), dtype=np.float64)


def betweenness_centralization(graph: SimpleGraph) -> float | None:
    """Freeman's betweenness centralization, in [0, 1]; ``None`` without edges or with fewer than 3 nodes.

    Each node's betweenness is normalised by the most a node can score, ``(n - 1)(n - 2) / 2``, and the spread
    ``sum(max - c(v))`` of those values is divided by ``n - 1``, its value on the star. The spread is summed
    with ``math.fsum`` so the figure is as exact as the betweenness values themselves.
    """
    n = graph.node_count
    if n < 3 or graph.edge_count == 0:
        return None
    scores = node_betweenness(graph)
    spread = math.fsum((scores.max() - scores).tolist())
    return 2.0 * spread / ((n - 1) ** 2 * (n - 2))
