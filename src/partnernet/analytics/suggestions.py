"""Suggested stewards for a cell of the matrix (a gap, a partly covered or a single-steward cell): the data
side of ``core.suggestions``."""

from __future__ import annotations

from collections import defaultdict

from partnernet.analytics.report import stewardship_cells
from partnernet.analytics.selectors import NetworkData
from partnernet.core.coverage import cell_coverage
from partnernet.core.suggestions import Candidate, Suggestion, suggest
from partnernet.directory.models import EntityKind
from partnernet.framework.selectors import region_tree


def suggestions_for(
    data: NetworkData, cell_type: str, cell_region: str, *, limit: int = 5
) -> list[Suggestion]:
    """Ranked candidates to steward (``cell_type``, ``cell_region``), for a cell that is not covered or has a
    single steward.

    Candidates are every entity but individuals (a steward signs for others, which an individual cannot);
    their regions are their country, their regions and the regions of their active stewardships. Capacity left
    is counted in the cell's own type only: the sum, over their active stewardships of that type, of capacity
    minus load (``None`` for an entity holding none of that type: its capacity there is still to be agreed),
    so a steward's free GLAM capacity never recommends it for a Technology gap. The region's languages are
    those of the entities located inside it. Entities covering the whole cell already (the core's coverage
    rule) are excluded; those serving part of it (a region inside, or one theme) stay candidates to widen.
    """
    tree = region_tree()
    if cell_region not in tree:
        raise ValueError(f"unknown region {cell_region!r}")
    capacity: dict[int, int] = {}
    own_regions: dict[int, set[str]] = defaultdict(set)
    for row in data.stewardships:
        own_regions[row.entity].add(row.region)
        if row.type == cell_type:
            capacity[row.entity] = capacity.get(row.entity, 0) + max(0, row.capacity - row.load)
    current = set(cell_coverage(cell_type, cell_region, tree, stewardship_cells(data)).stewards)
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
