"""Reads of the framework that are more than a filter."""

from __future__ import annotations

from partnernet.core.regions import RegionTree
from partnernet.framework.models import Region

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
