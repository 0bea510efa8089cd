"""Stewardship coverage of the partnership type x region matrix: gaps and single points of failure.

The distributed model works only if every kind of partnership, everywhere, has a steward to turn to. The
facilitators read this as a matrix whose rows are partnership types and whose columns are the regions they
chose to watch. A cell is *covered* when an active stewardship of that type holds a region that contains the
column's region (the region itself or an ancestor: a world steward, ``001``, covers every column). Themes are
ignored here, since a steward of a theme still answers for its type in its region. A covered cell whose
stewardships all belong to one entity is a *single point of failure*: if that entity lapses, the cell is a
gap.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from partnernet.core.regions import WORLD, RegionTree


@dataclass(frozen=True)
class StewardshipCell:
    """The cell an active stewardship holds. ``region=None`` means the world, as an empty region does in the
    exchange format."""

    entity: str
    type: str
    theme: str | None
    region: str | None


@dataclass(frozen=True)
class CoverageGap:
    type: str
    region: str


@dataclass(frozen=True)
class SingleSteward:
    type: str
    region: str
    entity: str


@dataclass(frozen=True)
class Coverage:
    """The matrix, row by row (types in the order given, then regions in the order given).

    ``stewards[t][r]`` counts the distinct entities stewarding type ``types[t]`` over region ``regions[r]``;
    the UI draws it as a heatmap. ``gaps`` and ``single_steward`` list the cells with 0 and 1 such entities,
    in matrix order.
    """

    types: tuple[str, ...]
    regions: tuple[str, ...]
    stewards: tuple[tuple[int, ...], ...]
    gaps: tuple[CoverageGap, ...]
    single_steward: tuple[SingleSteward, ...]

    @property
    def cells(self) -> int:
        return len(self.types) * len(self.regions)

    @property
    def covered(self) -> int:
        return self.cells - len(self.gaps)

    def to_json(self) -> dict[str, Any]:
        """The ``coverage`` object of ``analyze --json`` (FORMATS.md)."""
        return {
            "cells": self.cells,
            "covered": self.covered,
            "gaps": [{"type": gap.type, "region": gap.region} for gap in self.gaps],
            "single_steward": [
                {"type": single.type, "region": single.region, "entity": single.entity}
                for single in self.single_steward
            ],
        }


def coverage_matrix(
    types: Sequence[str],
    regions: Sequence[str],
    tree: RegionTree,
    stewardships: Iterable[StewardshipCell],
) -> Coverage:
    """Cover the ``types`` x ``regions`` matrix with the cells of active ``stewardships``.

    Pass only active stewardships: the caller decides what counts as active. A stewardship of a type that is
    not a row is ignored. Raises ``ValueError`` when a type or region repeats, or when a column or a
    stewardship names a region the tree does not know.
    """
    rows = _unique(types, "partnership type")
    columns = _unique(regions, "region")
    for code in columns:
        if code not in tree:
            raise ValueError(f"unknown region {code!r} among the columns")
    wanted = set(rows)
    holders: dict[tuple[str, str], set[str]] = defaultdict(set)
    for cell in stewardships:
        region = cell.region or WORLD
        if region not in tree:
            raise ValueError(f"the stewardship of {cell.entity!r} names the unknown region {region!r}")
        if cell.type in wanted:
            holders[(cell.type, region)].add(cell.entity)
    chains = [tree.chain(code) for code in columns]
    counts: list[tuple[int, ...]] = []
    gaps: list[CoverageGap] = []
    singles: list[SingleSteward] = []
    for row in rows:
        row_counts: list[int] = []
        for code, ancestry in zip(columns, chains, strict=True):
            entities: set[str] = set()
            for ancestor in ancestry:
                entities |= holders.get((row, ancestor), set())
            row_counts.append(len(entities))
            if not entities:
                gaps.append(CoverageGap(type=row, region=code))
            elif len(entities) == 1:
                singles.append(SingleSteward(type=row, region=code, entity=next(iter(entities))))
        counts.append(tuple(row_counts))
    return Coverage(
        types=rows, regions=columns, stewards=tuple(counts), gaps=tuple(gaps), single_steward=tuple(singles)
    )


def _unique(values: Sequence[str], what: str) -> tuple[str, ...]:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{what} {value!r} is given twice")
        seen.add(value)
    return tuple(values)
