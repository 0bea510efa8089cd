"""Reads of the taxonomy and the stewardships that are more than a filter: the region hierarchy, the active
stewards with their load, the stewardship directory's filters.

The agreement process has its own reads (``proposals.py``), the coverage matrix too (``coverage.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import get_language

from partnernet.core.regions import RegionTree
from partnernet.directory.models import Entity, EntityProfile
from partnernet.framework.models import LOAD_STATUSES, Region, Stewardship
from partnernet.i18n.names import label_for, region_name

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
    theme_key: str | None
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


def active_stewards(**filters: Any) -> list[StewardView]:
    """Active stewardships with their load, in one query whatever their number (load is aggregated).

    Read as values, not as a stewardship with four related rows each: the home page, the matrix and the
    entity pages call this on every request, and building the model objects cost more than the query.
    """
    rows = (
        Stewardship.objects.filter(status=Stewardship.Status.ACTIVE, **filters)
        .annotate(load=Count("requests", filter=Q(requests__status__in=LOAD_STATUSES)))
        .order_by("entity__name", "key")
        .values_list(
            "pk",
            "key",
            "entity__key",
            "entity__name",
            "entity__origin",
            "type__key",
            "type__name",
            "type__labels",
            "theme__key",
            "theme__name",
            "theme__labels",
            "region__code",
            "region__name",
            "level",
            "capacity",
            "load",
        )
    )
    levels = dict(Stewardship.Level.choices)
    language = get_language()
    return [
        StewardView(
            pk=pk,
            key=key,
            entity_key=entity_key,
            entity_name=entity_name,
            entity_origin=entity_origin,
            type_key=type_key,
            type_name=label_for(type_labels, type_name, language),
            theme_key=theme_key,
            theme_name=label_for(theme_labels, theme_name, language) if theme_key is not None else None,
            region_code=region_code,
            region_name=region_name(region_code, region_stored, language),
            level=level,
            level_label=str(levels.get(level, level)),
            capacity=capacity,
            load=load,
        )
        for (
            pk,
            key,
            entity_key,
            entity_name,
            entity_origin,
            type_key,
            type_name,
            type_labels,
            theme_key,
            theme_name,
            theme_labels,
            region_code,
            region_stored,
            level,
            capacity,
            load,
        ) in rows
    ]


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
        # A stewardship's own languages (the entity's stated languages matter to ``entities_matching``).
        rows = rows.filter(languages__icontains=f'"{language}"')
    return rows


def entities_matching(
    queryset: QuerySet[Entity],
    *,
    kind: str | None = None,
    region: str | None = None,
    stewarded_type: str | None = None,
    language: str | None = None,
    search: str | None = None,
    serves: str | None = None,
) -> QuerySet[Entity]:
    """The directory's filters, shared by the pages and the API (here because they read regions and
    stewardships, which the directory app sits below).

    ``serves`` keeps the entities holding an active stewardship (of ``stewarded_type`` when given) whose
    region contains that place or lies inside it: they serve all of it or part of it.

    ``region`` accepts any level of the hierarchy: an entity is inside it when its country or one of its
    regions lies inside (so Europe finds a Swedish chapter and a group that names only Northern Europe).
    """
    rows = queryset
    if kind:
        rows = rows.filter(kind=kind)
    if region:
        path = region_path(region)
        if path is None:
            return rows.none()
        inside = Region.objects.filter(path__startswith=path).values("pk")
        rows = rows.filter(Q(country__in=inside) | Q(regions__in=inside)).distinct()
    holders = Stewardship.objects.filter(status=Stewardship.Status.ACTIVE)
    if stewarded_type:
        holders = holders.filter(type__key=stewarded_type)
    if serves:
        place = region_path(serves)
        if place is None:
            return rows.none()
        ancestors = [
            f"/{'/'.join(place.strip('/').split('/')[:depth])}/" for depth in range(1, place.count("/"))
        ]
        holders = holders.filter(Q(region__path__startswith=place) | Q(region__path__in=ancestors))
    if stewarded_type or serves:
        rows = rows.filter(pk__in=holders.values("entity_id"))
    if language:
        token = f'"{language}"'
        # A seeded entity whose home states its languages is matched on those, not on the derived ones.
        stated = EntityProfile.objects.filter(entity=OuterRef("pk"), origin=OuterRef("home")).exclude(
            languages=[]
        )
        rows = rows.filter(
            (Q(languages__icontains=token) & ~Exists(stated))
            | Exists(stated.filter(languages__icontains=token))
        )
    if search:
        rows = rows.filter(name__icontains=search.strip())
    return rows
