"""The network as the dashboard draws it (Cytoscape elements) and as tables (its entities and ties)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from partnernet.analytics.selectors import NetworkData, entity_loads
from partnernet.core.network import build_graph
from partnernet.core.regions import RegionTree
from partnernet.framework.models import Region
from partnernet.framework.selectors import region_tree


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
