"""Who could fill a coverage gap, or back up a single steward: ranked candidates with their reasons.

A gap or a partly covered cell (nobody covers the partnership type in the whole region) or a single point of
failure (one steward only) is closed by an entity agreeing to steward the cell. Facilitators need a short,
explained list of whom to ask. Candidates are ranked lexicographically, so every position can be explained in
words:

1. **capacity left in the cell's type**: entities with free capacity in their active stewardships of that
   type first, then entities that hold no stewardship of the type yet (their capacity there is unknown),
   then entities whose stewardships of the type are full (the caller counts capacity in the type only);
2. **region distance**: steps in the M49 tree between the cell's region and the nearest of the entity's own
   regions (country, regions, regions of its stewardships); 0 when one of them lies inside the cell's region,
   so a neighbouring sub-region of the same continent is 2;
3. **experience in the type**: partnerships of the cell's type the entity leads or supports;
4. **shared languages**: languages of the entity also spoken by the movement entities located in the region;
5. **capacity left** (the amount), then the key, so the order is stable.

Entities already stewarding the cell are never suggested for it.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from partnernet.core.regions import RegionTree


@dataclass(frozen=True)
class Candidate:
    """An entity that might steward a cell. ``capacity_left`` is what its stewardships of the cell's type have
    free, ``None`` when it holds none of that type."""

    entity: str
    regions: tuple[str, ...]
    languages: frozenset[str] = frozenset()
    capacity_left: int | None = None
    experience: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Reason:
    """One reason in words-ready form: ``code`` names it, ``value`` is the figure behind it."""

    code: str
    value: Any

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "value": self.value}


@dataclass(frozen=True)
class Suggestion:
    rank: int
    entity: str
    distance: int | None
    experience: int
    shared_languages: tuple[str, ...]
    capacity_left: int | None
    reasons: tuple[Reason, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "entity": self.entity,
            "distance": self.distance,
            "experience": self.experience,
            "shared_languages": list(self.shared_languages),
            "capacity_left": self.capacity_left,
            "reasons": [reason.to_json() for reason in self.reasons],
        }


def region_distance(tree: RegionTree, cell_region: str, regions: Iterable[str]) -> int | None:
    """Steps between the cell's region and the nearest known region of the candidate; ``None`` if none.

    A region inside the cell's region (a country of the sub-region) is at distance 0: the candidate is there.
    """
    return _nearest(tree, cell_region, _steps_up(tree, cell_region), regions)


def _steps_up(tree: RegionTree, cell_region: str) -> dict[str, int]:
    return {code: steps for steps, code in enumerate(tree.chain(cell_region))}


def _nearest(tree: RegionTree, cell_region: str, up: Mapping[str, int], regions: Iterable[str]) -> int | None:
    """:func:`region_distance` with the cell's ancestry (``code -> steps up``) computed once by the caller."""
    best: int | None = None
    for code in regions:
        if code not in tree:
            continue
        for steps, ancestor in enumerate(tree.chain(code)):
            if ancestor in up:
                distance = 0 if ancestor == cell_region else steps + up[ancestor]
                break
        if best is None or distance < best:
            best = distance
    return best


def _capacity_group(capacity_left: int | None) -> int:
    if capacity_left is None:
        return 1
    return 0 if capacity_left > 0 else 2


def suggest(
    cell_type: str,
    cell_region: str,
    candidates: Iterable[Candidate],
    tree: RegionTree,
    *,
    region_languages: Iterable[str] = (),
    exclude: Iterable[str] = (),
    limit: int = 5,
) -> list[Suggestion]:
    """The ``limit`` best candidates for the cell (``cell_type``, ``cell_region``), best first.

    ``region_languages`` are the languages spoken by entities located in the region; ``exclude`` the
    entities that already steward the cell. Raises ``ValueError`` for an unknown region or a bad limit.
    """
    if cell_region not in tree:
        raise ValueError(f"unknown region {cell_region!r}")
    if limit < 1:
        raise ValueError("limit must be at least 1")
    skipped = set(exclude)
    spoken = frozenset(region_languages)
    up = _steps_up(tree, cell_region)
    ranked: list[tuple[tuple[Any, ...], Candidate, int | None, int, tuple[str, ...]]] = []
    for candidate in candidates:
        if candidate.entity in skipped:
            continue
        distance = _nearest(tree, cell_region, up, candidate.regions)
        experience = max(0, candidate.experience.get(cell_type, 0))
        shared = tuple(sorted(candidate.languages & spoken))
        left = candidate.capacity_left
        key = (
            _capacity_group(left),
            distance if distance is not None else 1_000,
            -experience,
            -len(shared),
            -(left or 0),
            candidate.entity,
        )
        ranked.append((key, candidate, distance, experience, shared))
    best = heapq.nsmallest(limit, ranked, key=lambda row: row[0])
    return [
        Suggestion(
            rank=rank,
            entity=candidate.entity,
            distance=distance,
            experience=experience,
            shared_languages=shared,
            capacity_left=candidate.capacity_left,
            reasons=_reasons(candidate.capacity_left, distance, experience, shared),
        )
        for rank, (_, candidate, distance, experience, shared) in enumerate(best, start=1)
    ]


def _reasons(
    capacity_left: int | None, distance: int | None, experience: int, shared: Sequence[str]
) -> tuple[Reason, ...]:
    reasons = [
        Reason("capacity_left", capacity_left)
        if capacity_left is not None
        else Reason("no_stewardship", None)
    ]
    if distance is None:
        reasons.append(Reason("region_unknown", None))
    elif distance == 0:
        reasons.append(Reason("same_region", 0))
    else:
        reasons.append(Reason("region_distance", distance))
    if experience:
        reasons.append(Reason("experience", experience))
    if shared:
        reasons.append(Reason("shared_languages", list(shared)))
    return tuple(reasons)
