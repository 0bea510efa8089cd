"""Stewardship coverage of the partnership type x region matrix: three states, and single points of failure.

The distributed model works only if every kind of partnership, everywhere, has a steward to turn to. The
facilitators read this as a matrix whose rows are partnership types and whose columns are the regions they
chose to watch; a cell may also be narrowed to one theme. Each cell is in one of three states:

- **covered** when an active stewardship of the type that serves every theme (its theme is empty; or, for a
  cell of one theme, its theme is that one) holds a region containing the whole cell: the region itself or an
  ancestor (a world steward, ``001``, covers every column);
- **partly covered** when stewards serve only part of it: a region inside the cell (a country steward in a
  sub-region: ``why`` is ``region``), or the whole region but for one theme only (Art+Feminism's gender-gap
  stewardship of the world does not make it the GLAM steward of every region: ``why`` is ``theme``, which wins
  when both apply);
- a **gap** when nobody serves any part of it.

Stewards of several regions never add up to covering a larger one: a cell is covered by one stewardship whose
region contains it, or it is not. A covered cell whose covering stewardships all belong to one entity is a
*single point of failure*: if that entity lapses, the cell is no longer covered.

This is the one coverage rule of Partnernet: the matrix and cell pages, the home page's figures, the
analytics report, ``partnernet analyze`` and the API all ask it, through :func:`coverage_matrix` (a whole
matrix) and :func:`cell_coverage` (one cell, at any level, a country included). Both answer with
:class:`MatrixCell`, the one description of a cell.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from partnernet.core.regions import WORLD, RegionTree

COVERED = "covered"
PARTIAL = "partial"
GAP = "gap"
WHY_REGION = "region"
WHY_THEME = "theme"


@dataclass(frozen=True)
class StewardshipCell:
    """The cell an active stewardship holds. ``region=None`` means the world, as an empty region does in the
    exchange format.

    ``ref`` is the caller's handle on the stewardship (a primary key, say), handed back untouched in the
    cells it covers; ``at_capacity`` says its load has reached its capacity (FORMATS.md).
    """

    entity: str
    type: str
    theme: str | None
    region: str | None
    ref: Hashable = None
    at_capacity: bool = False

    @property
    def area(self) -> str:
        return self.region or WORLD


@dataclass(frozen=True)
class MatrixCell:
    """One cell (``type`` x ``region``, of one ``theme`` or of every theme when it is ``None``) and the
    stewardships that serve it, each tuple in the order given:

    - ``full``: their region contains the whole cell and they serve its every theme;
    - ``themed``: their region contains the whole cell, but they serve one theme only (cells of every theme);
    - ``inside``: they serve a region inside the cell, a part of its area.

    ``stewards`` are the distinct entities of ``full``, sorted; ``partial_stewards`` those of ``themed`` and
    ``inside``. ``state`` is ``covered``, ``partial`` or ``gap``; ``why`` says why a partial cell is partial.
    """

    type: str
    region: str
    theme: str | None = None
    full: tuple[StewardshipCell, ...] = ()
    themed: tuple[StewardshipCell, ...] = ()
    inside: tuple[StewardshipCell, ...] = ()

    @cached_property
    def stewards(self) -> tuple[str, ...]:
        return tuple(sorted({cell.entity for cell in self.full}))

    @cached_property
    def partial_stewards(self) -> tuple[str, ...]:
        return tuple(sorted({cell.entity for cell in (*self.themed, *self.inside)}))

    @property
    def count(self) -> int:
        """How many entities cover the whole cell."""
        return len(self.stewards)

    @property
    def state(self) -> str:
        if self.full:
            return COVERED
        return PARTIAL if self.themed or self.inside else GAP

    @property
    def why(self) -> str | None:
        """``theme`` when a stewardship of another theme holds the whole region, else ``region``; ``None``
        unless the cell is partly covered."""
        if self.state != PARTIAL:
            return None
        return WHY_THEME if self.themed else WHY_REGION

    @property
    def over_capacity(self) -> bool:
        """A stewardship covering the cell is at capacity (routing passes it by)."""
        return any(cell.at_capacity for cell in self.full)


@dataclass(frozen=True)
class PartialCell:
    type: str
    region: str
    entities: tuple[str, ...]
    why: str


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

    ``rows[t][r]`` is the cell of type ``types[t]`` and region ``regions[r]`` (of ``theme``, or of every
    theme); ``stewards[t][r]`` counts the distinct entities covering it (the UI draws it as a heatmap).
    ``gaps``, ``partial`` and ``single_steward`` list the cells nobody serves, the cells served in part and
    the covered cells with one entity only, in matrix order; ``covered`` + ``len(partial)`` + ``len(gaps)``
    is ``cells``.
    """

    types: tuple[str, ...]
    regions: tuple[str, ...]
    rows: tuple[tuple[MatrixCell, ...], ...]
    theme: str | None = None

    @property
    def cells(self) -> int:
        return len(self.types) * len(self.regions)

    @property
    def stewards(self) -> tuple[tuple[int, ...], ...]:
        return tuple(tuple(cell.count for cell in row) for row in self.rows)

    @cached_property
    def gaps(self) -> tuple[CoverageGap, ...]:
        return tuple(CoverageGap(c.type, c.region) for row in self.rows for c in row if c.state == GAP)

    @cached_property
    def partial(self) -> tuple[PartialCell, ...]:
        return tuple(
            PartialCell(c.type, c.region, c.partial_stewards, c.why or WHY_REGION)
            for row in self.rows
            for c in row
            if c.state == PARTIAL
        )

    @cached_property
    def single_steward(self) -> tuple[SingleSteward, ...]:
        return tuple(
            SingleSteward(c.type, c.region, c.stewards[0]) for row in self.rows for c in row if c.count == 1
        )

    @property
    def covered(self) -> int:
        return sum(1 for row in self.rows for cell in row if cell.state == COVERED)

    def cell(self, type: str, region: str) -> MatrixCell:
        """The cell of ``type`` and ``region``; ``KeyError`` when either is not in the matrix."""
        try:
            return self.rows[self.types.index(type)][self.regions.index(region)]
        except ValueError:
            raise KeyError((type, region)) from None

    def to_json(self) -> dict[str, Any]:
        """The ``coverage`` object of ``analyze --json`` (FORMATS.md)."""
        return {
            "cells": self.cells,
            "covered": self.covered,
            "gaps": [{"type": gap.type, "region": gap.region} for gap in self.gaps],
            "partial": [
                {"type": cell.type, "region": cell.region, "entities": list(cell.entities), "why": cell.why}
                for cell in self.partial
            ],
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
    *,
    theme: str | None = None,
) -> Coverage:
    """Cover the ``types`` x ``regions`` matrix (of one ``theme``, or of every theme) with the cells of active
    ``stewardships``.

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
    column_set = set(columns)
    holding: dict[tuple[str, str], list[tuple[int, StewardshipCell]]] = defaultdict(list)
    inside: dict[tuple[str, str], list[StewardshipCell]] = defaultdict(list)
    for index, cell in enumerate(_known(stewardships, tree)):
        if cell.type not in wanted or not _serves_theme(cell, theme):
            continue
        holding[(cell.type, cell.area)].append((index, cell))
        for ancestor in tree.chain(cell.area)[1:]:
            if ancestor in column_set:
                inside[(cell.type, ancestor)].append(cell)
    chains = [tree.chain(code) for code in columns]

    def cell_of(row: str, code: str, ancestry: tuple[str, ...]) -> MatrixCell:
        held = sorted(
            (item for ancestor in ancestry for item in holding.get((row, ancestor), ())),
            key=lambda item: item[0],
        )
        return _cell(row, code, theme, [cell for _, cell in held], inside.get((row, code), ()))

    return Coverage(
        types=rows,
        regions=columns,
        rows=tuple(
            tuple(cell_of(row, code, ancestry) for code, ancestry in zip(columns, chains, strict=True))
            for row in rows
        ),
        theme=theme,
    )


def cell_coverage(
    type: str,
    region: str,
    tree: RegionTree,
    stewardships: Iterable[StewardshipCell],
    *,
    theme: str | None = None,
) -> MatrixCell:
    """The one cell (``type``, ``region``, ``theme``) of any region, a country included; the rule of
    :func:`coverage_matrix`. Raises ``ValueError`` for a region the tree does not know."""
    if region not in tree:
        raise ValueError(f"unknown region {region!r}")
    ancestry = set(tree.chain(region))
    holders: list[StewardshipCell] = []
    inside: list[StewardshipCell] = []
    for cell in _known(stewardships, tree):
        if cell.type != type or not _serves_theme(cell, theme):
            continue
        if cell.area in ancestry:
            holders.append(cell)
        elif region in tree.chain(cell.area):
            inside.append(cell)
    return _cell(type, region, theme, holders, inside)


def _serves_theme(cell: StewardshipCell, theme: str | None) -> bool:
    """Whether the stewardship serves some of a cell of ``theme`` (``None``: of every theme)."""
    return theme is None or cell.theme is None or cell.theme == theme


def _cell(
    type: str,
    region: str,
    theme: str | None,
    holders: Iterable[StewardshipCell],
    inside: Iterable[StewardshipCell],
) -> MatrixCell:
    """Sort the stewardships holding the cell's whole region into those serving its every theme and those
    serving one theme only."""
    full: list[StewardshipCell] = []
    themed: list[StewardshipCell] = []
    for cell in holders:
        (full if cell.theme is None or cell.theme == theme else themed).append(cell)
    return MatrixCell(type, region, theme, tuple(full), tuple(themed), tuple(inside))


def _known(stewardships: Iterable[StewardshipCell], tree: RegionTree) -> Iterable[StewardshipCell]:
    for cell in stewardships:
        if cell.area not in tree:
            raise ValueError(f"the stewardship of {cell.entity!r} names the unknown region {cell.area!r}")
        yield cell


def _unique(values: Sequence[str], what: str) -> tuple[str, ...]:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{what} {value!r} is given twice")
        seen.add(value)
    return tuple(values)
