"""Reads of the partnership registry: filters, sorting, facet counts, one partnership's page.

The registry must stay fast at a million rows. Rows are read one page at a time through indexed orderings;
facet counts (one ``GROUP BY`` per facet over the filtered set) are the expensive part, so they are cached
under a *fingerprint* of the table — its row count, highest id and latest ``updated_at`` — which every
insert, update and delete changes (services touch ``updated_at`` when they change a partnership's themes or
partners). A write therefore makes the next read recount: cached counts never go stale.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, QuerySet

from partnernet.directory.models import Entity, Partner
from partnernet.directory.rules import entity_ids_of, is_movement_member
from partnernet.framework.models import PartnershipType, Region, Theme
from partnernet.partnerships.models import Partnership, PartnershipStatus

SORTS: dict[str, tuple[str, ...]] = {
    "title": ("title", "id"),
    "-title": ("-title", "-id"),
    "start": ("start", "id"),
    "-start": ("-start", "-id"),
    "status": ("status", "title", "id"),
    "-status": ("-status", "title", "id"),
}
DEFAULT_SORT = "title"
FACET_TIMEOUT = 3600


@dataclass(frozen=True)
class RegistryFilter:
    """The registry's filters, as parsed from a query string (unknown values are dropped by the form)."""

    q: str = ""
    type: str = ""
    theme: str = ""
    region: str = ""
    status: str = ""
    lead: str = ""
    partner_kind: str = ""

    def active(self) -> dict[str, str]:
        return {name: value for name, value in self.__dict__.items() if value}


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int


@dataclass
class Facets:
    total: int
    type: list[FacetOption] = field(default_factory=list)
    status: list[FacetOption] = field(default_factory=list)
    theme: list[FacetOption] = field(default_factory=list)
    region: list[FacetOption] = field(default_factory=list)
    partner_kind: list[FacetOption] = field(default_factory=list)


def filter_partnerships(rows: QuerySet[Partnership], filters: RegistryFilter) -> QuerySet[Partnership]:
    """Apply the registry filters; ``region`` takes any level (everything inside it matches)."""
    if filters.q:
        rows = rows.filter(title__icontains=filters.q.strip())
    if filters.type:
        rows = rows.filter(type__key=filters.type)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.lead:
        rows = rows.filter(lead__key=filters.lead)
    if filters.theme:
        themed = Partnership.themes.through.objects.filter(theme__key=filters.theme)
        rows = rows.filter(pk__in=themed.values("partnership_id"))
    if filters.partner_kind:
        with_kind = Partnership.partners.through.objects.filter(partner__kind=filters.partner_kind)
        rows = rows.filter(pk__in=with_kind.values("partnership_id"))
    if filters.region:
        path = Region.objects.filter(code=filters.region).values_list("path", flat=True).first()
        if path is None:
            return rows.none()
        rows = rows.filter(region__in=Region.objects.filter(path__startswith=path).values("pk"))
    return rows


def registry_page_rows(rows: QuerySet[Partnership], sort: str) -> QuerySet[Partnership]:
    """The columns a registry table shows, in the chosen order (one query per page)."""
    return rows.select_related("lead", "type", "region").order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT]))


def _visibility_scope(user: Any) -> str:
    """A name for the set of rows ``user`` may see: users with the same scope share cached counts."""
    if getattr(user, "is_superuser", False):
        return "all"
    scope = "movement" if is_movement_member(user) else "public"
    own = sorted(entity_ids_of(user))
    return f"{scope}:{','.join(map(str, own))}" if own else scope


def table_fingerprint() -> str:
    """Changes whenever a partnership is inserted, updated or deleted (three index-only aggregates)."""
    figures = Partnership.objects.aggregate(n=Count("pk"), top=Max("pk"), changed=Max("updated_at"))
    return f"{figures['n']}:{figures['top']}:{figures['changed']}"


def _labels() -> dict[str, dict[str, str]]:
    """Names of the facet values, from the small reference tables (cached with the counts)."""
    return {
        "type": dict(PartnershipType.objects.values_list("key", "name")),
        "theme": dict(Theme.objects.values_list("key", "name")),
        "status": {value: str(label) for value, label in PartnershipStatus.choices},
        "partner_kind": {value: str(label) for value, label in Partner.Kind.choices},
    }


def _count_facets(rows: QuerySet[Partnership]) -> Facets:
    ids = rows.values("pk")
    by_type = dict(
        rows.order_by().values_list("type__key").annotate(n=Count("pk")).values_list("type__key", "n")
    )
    by_status = dict(rows.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    by_region_id = dict(
        rows.order_by().values_list("region_id").annotate(n=Count("pk")).values_list("region_id", "n")
    )
    by_theme = dict(
        Partnership.themes.through.objects.filter(partnership_id__in=ids)
        .order_by()
        .values_list("theme__key")
        .annotate(n=Count("pk"))
        .values_list("theme__key", "n")
    )
    by_kind = dict(
        Partnership.partners.through.objects.filter(partnership_id__in=ids)
        .order_by()
        .values_list("partner__kind")
        .annotate(n=Count("partnership_id", distinct=True))
        .values_list("partner__kind", "n")
    )
    # Regions are counted per stored region, then rolled up to the continent-level regions people filter by.
    paths = dict(Region.objects.filter(pk__in=[k for k in by_region_id if k]).values_list("pk", "path"))
    macro = dict(Region.objects.filter(level=Region.Level.REGION).values_list("code", "name"))
    by_macro: dict[str, int] = {}
    for region_id, count in by_region_id.items():
        parts = paths.get(region_id, "").strip("/").split("/") if region_id else []
        code = parts[1] if len(parts) > 1 else "001"
        by_macro[code] = by_macro.get(code, 0) + count
    labels = _labels()
    macro["001"] = str(Region.objects.filter(code="001").values_list("name", flat=True).first() or "World")

    def options(counts: dict[str, int], names: dict[str, str]) -> list[FacetOption]:
        found = [FacetOption(str(k), names.get(str(k), str(k)), n) for k, n in counts.items() if k]
        return sorted(found, key=lambda option: (-option.count, option.label))

    return Facets(
        total=sum(by_status.values()),
        type=options(by_type, labels["type"]),
        status=options(by_status, labels["status"]),
        theme=options(by_theme, labels["theme"]),
        region=options(by_macro, macro),
        partner_kind=options(by_kind, labels["partner_kind"]),
    )


def registry_facets(user: Any, rows: QuerySet[Partnership], filters: RegistryFilter) -> Facets:
    """Facet counts of the filtered rows the user may see, recounted only after a write to the table."""
    raw = json.dumps([_visibility_scope(user), filters.active(), table_fingerprint()], sort_keys=True)
    key = "pn-facets:" + hashlib.sha256(raw.encode()).hexdigest()
    facets: Facets | None = cache.get(key)
    if facets is None:
        facets = _count_facets(rows)
        cache.set(key, facets, FACET_TIMEOUT)
    return facets


def partnership_page(key: str, origin: str | None = None) -> Partnership | None:
    """One partnership with everything its page shows, in a fixed number of queries."""
    rows = Partnership.objects.select_related("lead", "type", "region").prefetch_related(
        "supporters", "partners__country", "themes", "agreements"
    )
    if origin:
        rows = rows.filter(origin=origin)
    return rows.filter(key=key).order_by("origin").first()


def partnerships_with_entity(entity: Entity, visible: QuerySet[Partnership]) -> dict[str, list[Partnership]]:
    """Partnerships the entity leads and supports (as the viewer may see them), newest first, 50 of each."""
    base = visible.select_related("type", "region", "lead").order_by("-start", "title")
    return {
        "led": list(base.filter(lead=entity)[:50]),
        "supported": list(base.filter(pk__in=entity.supported_partnerships.values("pk"))[:50]),
    }


def recent_partnerships(visible: QuerySet[Partnership], limit: int = 8) -> list[Partnership]:
    return list(visible.select_related("lead", "type").order_by("-updated_at")[:limit])

