"""Reads of the framework that are more than a filter."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from partnernet.core.regions import RegionTree
from partnernet.framework.models import Region, Stewardship

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


def region_path(code: str) -> str | None:
    """The stored hierarchy path of a region code (``/001/150/154/SE/``), or None when unknown."""
    wanted = code.upper() if len(code) == 2 else code
    return Region.objects.filter(code=wanted).values_list("path", flat=True).first()


def filter_stewardships(
    queryset: QuerySet[Stewardship],
    *,
    entity: str | None = None,
    type: str | None = None,
    theme: str | None = None,
    region: str | None = None,
    level: str | None = None,
    status: str | None = None,
    language: str | None = None,
) -> QuerySet[Stewardship]:
    """The stewardship directory's filters.

    ``region`` finds the stewards relevant to a place: stewardships of that region, of a region that contains
    it (Northern Europe and the world cover Sweden) and of regions inside it. ``theme`` includes the
    stewardships for any theme.
    """
    rows = queryset
    if entity:
        rows = rows.filter(entity__key=entity)
    if type:
        rows = rows.filter(type__key=type)
    if theme:
        rows = rows.filter(Q(theme__key=theme) | Q(theme__isnull=True))
    if region:
        path = region_path(region)
        if path is None:
            return rows.none()
        covering = [code for code in path.strip("/").split("/") if code]
        rows = rows.filter(Q(region__path__startswith=path) | Q(region__code__in=covering))
    if level:
        rows = rows.filter(level=level)
    if status:
        rows = rows.filter(status=status)
    if language:
        rows = rows.filter(languages__icontains=f'"{language}"')
    return rows
