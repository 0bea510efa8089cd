"""The coverage matrix (partnership types x regions) and its cells, read from the active stewardships.

The rule of coverage is the core's (``core.coverage``); this module only reads what it needs: the active
types, the columns of a level and the active stewardships with their load, each as a core
``StewardshipCell`` whose ``ref`` is the stewardship's primary key (so a page can show the steward behind
each one). The matrix page, the cell pages, the home page's figures and the analytics all use the same
columns (``matrix_columns``) and the same rule, so their numbers agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language

from partnernet.base.versions import Table, reuse, version_of
from partnernet.core.coverage import (
    COVERED,
    Coverage,
    MatrixCell,
    StewardshipCell,
    cell_coverage,
    coverage_matrix,
)
from partnernet.directory.models import Entity
from partnernet.framework.models import PartnershipType, Region, Stewardship, Theme
from partnernet.framework.selectors import StewardView, active_stewards, region_tree

LEVELS = ("subregion", "region")
"""Column levels of the coverage matrix (see :func:`matrix_regions`)."""


def matrix_regions(level: str = "subregion") -> list[Region]:
    """The region columns of the coverage matrix, in M49 order.

    ``subregion``: M49's sub-regions (Northern Europe, Sub-Saharan Africa, ...), plus any region that has no
    sub-region, so every part of the world has a column. ``region``: the five M49 regions.
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}")
    rows = Region.objects.only("pk", "code", "name", "path", "level")
    if level == "region":
        return list(rows.filter(level=Region.Level.REGION))
    return list(
        rows.filter(level__in=(Region.Level.REGION, Region.Level.SUBREGION))
        .exclude(level=Region.Level.REGION, children__level=Region.Level.SUBREGION)
        .distinct()
    )


def matrix_columns(level: str = "subregion") -> list[str]:
    """The codes of :func:`matrix_regions`."""
    return [region.code for region in matrix_regions(level)]


def active_types() -> list[PartnershipType]:
    """The matrix's rows: partnership types still in use, in the taxonomy's order."""
    return list(PartnershipType.objects.filter(active=True).order_by("position", "key"))


def stewardship_cells(stewards: Iterable[StewardView]) -> list[StewardshipCell]:
    """Active stewards as the core's cells, entities named by key, ``ref`` the stewardship's primary key."""
    return [
        StewardshipCell(
            entity=s.entity_key,
            type=s.type_key,
            theme=s.theme_key,
            region=s.region_code,
            ref=s.pk,
            at_capacity=s.at_capacity,
        )
        for s in stewards
    ]


@dataclass(frozen=True)
class Matrix:
    """The matrix page: the core's coverage, with the taxonomy rows and region columns to label it."""

    level: str
    theme: Theme | None
    types: list[PartnershipType]
    regions: list[Region]
    coverage: Coverage
    names: dict[str, str]
    """Entity names by the keys the cells name them with."""
    stewardships: int
    """Active stewardships counted (the home page shows the figure)."""

    @property
    def rows(self) -> list[tuple[PartnershipType, tuple[MatrixCell, ...]]]:
        return list(zip(self.types, self.coverage.rows, strict=True))

    @property
    def cells(self) -> int:
        return self.coverage.cells

    @property
    def covered(self) -> int:
        return self.coverage.covered

    @property
    def partial(self) -> int:
        return len(self.coverage.partial)

    @property
    def gaps(self) -> int:
        return len(self.coverage.gaps)


def active_themes() -> list[Theme]:
    return list(Theme.objects.filter(active=True).order_by("position", "key"))


COVERAGE_READS: tuple[Table, ...] = (
    (Stewardship, "updated_at"),
    (Stewardship._meta.get_field("requests").related_model, "updated_at"),  # their load
    (Entity, "updated_at"),
    (PartnershipType, "updated_at"),
    (Theme, "updated_at"),
    (Region, "updated_at"),
)
"""Every table the matrix reads: a write to any of them makes the next ``coverage_of`` read afresh."""


def coverage_of(level: str = "subregion", theme: Theme | None = None) -> Matrix:
    """The whole matrix at ``level`` (of ``theme``, or of every theme) in four queries, whatever the number
    of stewardships; kept per process while none of ``COVERAGE_READS`` changes (``base.versions``), since
    the home page and the matrix page show it on every request."""
    version = version_of(COVERAGE_READS)
    slot = ("coverage", level, theme.key if theme is not None else None, get_language())
    return reuse(slot, (version, dt.date.today()), lambda: _read_coverage(level, theme, version))


def stewards_now(version: tuple[Any, ...] | None = None) -> list[StewardView]:
    """Every active stewardship with its load, kept per process like the matrices made from it.

    Each matrix (two levels, each theme and all, in each language) starts from this same list, and reading
    it was most of the work of making one: 157 of 180 ms with 10,000 stewardships, paid again for every
    level and theme a worker was first asked for. The list is shared: callers must not change it.
    """
    version = version or version_of(COVERAGE_READS)
    slot = ("active-stewards", get_language())
    return reuse(slot, (version, dt.date.today()), active_stewards)


def _read_coverage(level: str, theme: Theme | None, version: tuple[Any, ...]) -> Matrix:
    types = active_types()
    regions = matrix_regions(level)
    stewards = stewards_now(version)
    coverage = coverage_matrix(
        [t.key for t in types],
        [r.code for r in regions],
        region_tree(),
        stewardship_cells(stewards),
        theme=theme.key if theme is not None else None,
    )
    return Matrix(
        level=level,
        theme=theme,
        types=types,
        regions=regions,
        coverage=coverage,
        names={s.entity_key: s.entity_name for s in stewards},
        stewardships=len(stewards),
    )


@dataclass(frozen=True)
class AroundCell:
    """A neighbouring cell that is not covered: its region or type, and whether it is partly covered."""

    region: Region | None
    type: PartnershipType | None
    state: str


@dataclass(frozen=True)
class CellDetail:
    type: PartnershipType
    region: Region
    theme: Theme | None
    cell: MatrixCell
    stewards: list[StewardView]
    """The stewards covering the whole cell, with their load."""
    inside: list[StewardView]
    """Stewards of this type for a part of the region only (candidates to widen the cell)."""
    themed: list[StewardView]
    """Stewards of this type for the whole region, but of one other theme only."""
    sibling_gaps: list[AroundCell]
    """Neighbouring regions (same parent) that this type does not cover."""
    type_gaps: list[AroundCell]
    """Other partnership types not covered in this region."""


def matrix_cell(type_key: str, region_code: str, theme: Theme | None = None) -> CellDetail | None:
    """One cell of the matrix, at any level (a country included) and of one theme or all: the stewards
    covering it and their load, those serving part of it (a region inside, or one theme), and the cells
    around it that are not covered. ``None`` when the type or the region is unknown."""
    ptype = PartnershipType.objects.filter(key=type_key).first()
    region = Region.objects.select_related("parent").filter(code=region_code).first()
    if ptype is None or region is None:
        return None
    tree = region_tree()
    theme_key = theme.key if theme is not None else None
    stewards = stewards_now()
    cells = stewardship_cells(stewards)

    def state(type_key: str, code: str) -> str:
        return cell_coverage(type_key, code, tree, cells, theme=theme_key).state

    cell = cell_coverage(ptype.key, region.code, tree, cells, theme=theme_key)
    siblings = list(Region.objects.filter(parent=region.parent_id).exclude(pk=region.pk).order_by("name"))
    around_regions = [AroundCell(r, None, state(ptype.key, r.code)) for r in siblings]
    around_types = [
        AroundCell(None, t, state(t.key, region.code)) for t in active_types() if t.pk != ptype.pk
    ]
    return CellDetail(
        type=ptype,
        region=region,
        theme=theme,
        cell=cell,
        stewards=_stewards_of(cell.full, stewards),
        inside=_stewards_of(cell.inside, stewards),
        themed=_stewards_of(cell.themed, stewards),
        sibling_gaps=[a for a in around_regions if a.state != COVERED],
        type_gaps=[a for a in around_types if a.state != COVERED],
    )


def _stewards_of(cells: Iterable[StewardshipCell], stewards: list[StewardView]) -> list[StewardView]:
    """The stewards behind ``cells``, in the order of ``stewards`` (by entity name)."""
    wanted = {cell.ref for cell in cells}
    return [s for s in stewards if s.pk in wanted]
