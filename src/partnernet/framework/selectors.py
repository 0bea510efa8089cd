"""Reads of the framework that are more than a filter."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from partnernet.core.regions import RegionTree
from partnernet.framework.models import PartnershipType, Region, Stewardship
from partnernet.support.models import LOAD_STATUSES

_tree: dict[str, RegionTree] = {}


def region_tree() -> RegionTree:
    """The M49 hierarchy as a pure ``RegionTree``, read once per process.

    Regions are reference data that only ``seed`` writes; ``seed`` calls ``forget_region_tree`` after it does.
    """
    tree = _tree.get("tree")
    if tree is None or not tree.parents:
        rows = Region.objects.values_list("code", "parent__code", "name")
        tree = RegionTree.from_rows(rows)
        _tree["tree"] = tree
    return tree


def forget_region_tree() -> None:
    _tree.clear()


def region_descendant_codes(code: str) -> list[str]:
    """Codes of ``code`` and every region inside it, from the stored path (one indexed query)."""
    region = Region.objects.only("path").get(code=code)
    return list(Region.objects.filter(path__startswith=region.path).values_list("code", flat=True))


MATRIX_LEVELS = {"region": "region", "subregion": "subregion"}


@dataclass(frozen=True)
class StewardView:
    """An active stewardship as the matrix and entity pages show it, with its current load."""

    pk: int
    key: str
    entity_key: str
    entity_name: str
    entity_origin: str
    type_key: str
    type_name: str
    theme_name: str | None
    region_code: str
    region_name: str
    level: str
    level_label: str
    capacity: int
    load: int

    @property
    def at_capacity(self) -> bool:
        return self.load >= self.capacity


@dataclass(frozen=True)
class MatrixCell:
    type_key: str
    region_code: str
    stewards: tuple[StewardView, ...]

    @property
    def entity_count(self) -> int:
        return len({s.entity_key for s in self.stewards})

    @property
    def state(self) -> str:
        count = self.entity_count
        return "none" if count == 0 else "one" if count == 1 else "several"

    @property
    def over_capacity(self) -> bool:
        return any(s.at_capacity for s in self.stewards)

    @property
    def steward_names(self) -> list[str]:
        return sorted({s.entity_name for s in self.stewards})


@dataclass(frozen=True)
class Matrix:
    types: list[PartnershipType]
    regions: list[Region]
    rows: list[tuple[PartnershipType, list[MatrixCell]]]
    stewardships: int

    @property
    def cells(self) -> int:
        return len(self.types) * len(self.regions)

    @property
    def covered(self) -> int:
        return sum(1 for _, cells in self.rows for cell in cells if cell.entity_count)


def active_stewards(**filters: Any) -> list[StewardView]:
    """Active stewardships with their load, in two queries whatever their number (load is aggregated)."""
    rows = list(
        Stewardship.objects.filter(status=Stewardship.Status.ACTIVE, **filters)
        .select_related("entity", "type", "theme", "region")
        .annotate(load=Count("requests", filter=Q(requests__status__in=LOAD_STATUSES)))
        .order_by("entity__name", "key")
    )
    levels = dict(Stewardship.Level.choices)
    return [
        StewardView(
            pk=s.pk,
            key=s.key,
            entity_key=s.entity.key,
            entity_name=s.entity.name,
            entity_origin=s.entity.origin,
            type_key=s.type.key,
            type_name=s.type.name,
            theme_name=s.theme.name if s.theme else None,
            region_code=s.region.code,
            region_name=s.region.name,
            level=s.level,
            level_label=str(levels.get(s.level, s.level)),
            capacity=s.capacity,
            load=s.load,
        )
        for s in rows
    ]


def matrix_columns(level: str) -> list[Region]:
    return list(Region.objects.filter(level=MATRIX_LEVELS.get(level, "region")).order_by("path"))


def coverage_matrix(level: str = "region") -> Matrix:
    """Types x regions of ``level``; a cell holds the active stewards whose region contains the column.

    A stewardship covers a column when its region is the column or an ancestor of it (a world steward covers
    every column); one held for a country does not cover its whole continent. Five queries in all.
    """
    tree = region_tree()
    types = list(PartnershipType.objects.filter(active=True))
    regions = matrix_columns(level)
    stewards = active_stewards()
    rows = []
    for ptype in types:
        mine = [s for s in stewards if s.type_key == ptype.key]
        cells = [
            MatrixCell(
                ptype.key, region.code, tuple(s for s in mine if tree.covers(s.region_code, region.code))
            )
            for region in regions
        ]
        rows.append((ptype, cells))
    return Matrix(types=types, regions=regions, rows=rows, stewardships=len(stewards))


@dataclass(frozen=True)
class CellDetail:
    type: PartnershipType
    region: Region
    cell: MatrixCell
    inside: list[StewardView]
    """Stewards of this type for a part of the region only (candidates to widen the cell)."""
    sibling_gaps: list[Region]
    """Neighbouring regions (same parent) with no steward of this type."""
    type_gaps: list[PartnershipType]
    """Other partnership types with no steward for this region."""


def matrix_cell(type_key: str, region_code: str) -> CellDetail | None:
    """One cell of the matrix: its stewards and their load, stewards inside it, and the gaps around it."""
    ptype = PartnershipType.objects.filter(key=type_key).first()
    region = Region.objects.select_related("parent").filter(code=region_code).first()
    if ptype is None or region is None:
        return None
    tree = region_tree()
    stewards = active_stewards()
    covering = tuple(
        s for s in stewards if s.type_key == ptype.key and tree.covers(s.region_code, region.code)
    )
    inside = [
        s
        for s in stewards
        if s.type_key == ptype.key
        and s.region_code != region.code
        and tree.covers(region.code, s.region_code)
    ]
    siblings = list(Region.objects.filter(parent=region.parent_id).exclude(pk=region.pk).order_by("name"))
    sibling_gaps = [
        r
        for r in siblings
        if not any(s.type_key == ptype.key and tree.covers(s.region_code, r.code) for s in stewards)
    ]
    type_gaps = [
        t
        for t in PartnershipType.objects.filter(active=True).exclude(pk=ptype.pk)
        if not any(s.type_key == t.key and tree.covers(s.region_code, region.code) for s in stewards)
    ]
    return CellDetail(
        ptype, region, MatrixCell(ptype.key, region.code, covering), inside, sibling_gaps, type_gaps
    )
