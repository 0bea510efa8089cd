"""Reads of the partnership registry: filters, full-text search, sorting, facet counts, a partnership's page.

The registry must stay fast at a million rows. Rows are read one page at a time through indexed orderings, or
by relevance from the full-text index (``search.py``). Facet counts are the expensive part. Filters on type,
status and region sum the pre-aggregated ``RegistryTally``; other filters (search, theme, partner kind, lead)
count the filtered rows in one statement and cache the result under a *fingerprint* of the table — its row
count, highest id and latest ``updated_at`` — which every insert, update and delete changes (services touch
``updated_at`` when they change a partnership's themes or partners). With a search, the names of partners and
entities are searched too, so their fingerprints join the key. A write therefore makes the next read recount:
cached counts never go stale.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import connections
from django.db.models import Count, F, Max, Q, QuerySet, Sum

from partnernet.core.search import TextQuery, parse_text_query
from partnernet.directory.models import Entity, Partner
from partnernet.directory.rules import entity_ids_of, is_movement_member
from partnernet.framework.models import PartnershipType, Region, Theme
from partnernet.framework.selectors import region_path
from partnernet.partnerships.models import (
    Partnership,
    PartnershipStatus,
    PartnershipText,
    RegistryTally,
    Visibility,
)
from partnernet.partnerships.search import TextRelevance

SORTS: dict[str, tuple[str, ...]] = {
    "title": ("title", "id"),
    "-title": ("-title", "-id"),
    "start": ("start", "id"),
    "-start": ("-start", "-id"),
}
DEFAULT_SORT = "-start"
RELEVANCE = "relevance"
"""Best match first; the default when there is a search, and only possible then."""
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


def search_partnerships(rows: QuerySet[Partnership], text: str | None) -> QuerySet[Partnership]:
    """The rows whose title, description, lead entity or partner names hold every term of ``text``.

    The one entry to full-text search, for the registry page, its export and the API. ``text`` is what
    someone typed: it is read into plain words and phrases (``core.search``), so engine syntax or an
    unbalanced quote never reaches the database; text without any word filters nothing. The rows can then
    be ordered by ``relevance`` (larger is better). Matching is language-agnostic (see ``search.py``).
    """
    query = parse_text_query(text or "")
    if not query:
        return rows
    return rows.filter(text__document__matches=query).alias(
        relevance=TextRelevance(F("text__document"), query)
    )


def filter_partnerships(rows: QuerySet[Partnership], filters: RegistryFilter) -> QuerySet[Partnership]:
    """Apply the registry filters; ``region`` takes any level (everything inside it matches)."""
    rows = search_partnerships(rows, filters.q)
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
    """The columns a registry table shows, in the chosen order (one query per page).

    ``relevance`` needs rows from ``search_partnerships`` with a real query; otherwise the default applies.
    """
    rows = rows.select_related("lead", "type", "region")
    if sort == RELEVANCE and "relevance" in rows.query.annotations:
        return rows.order_by(F("relevance").desc(), "-start", "-id")
    return rows.order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT]))


def _visibility_scope(user: Any) -> str:
    """A name for the set of rows ``user`` may see: users with the same scope share cached counts."""
    if getattr(user, "is_superuser", False):
        return "all"
    scope = "movement" if is_movement_member(user) else "public"
    own = sorted(entity_ids_of(user))
    return f"{scope}:{','.join(map(str, own))}" if own else scope


def table_fingerprint() -> str:
    """Changes whenever a partnership is inserted, updated or deleted.

    Three separate queries on purpose: alone, each aggregate is answered from an index (the count from the
    smallest one), while one query with all three would scan the table.
    """
    rows = Partnership.objects.order_by()
    count = rows.count()
    top = rows.aggregate(top=Max("pk"))["top"]
    changed = rows.aggregate(changed=Max("updated_at"))["changed"]
    return f"{count}:{top}:{changed}"


def _labels() -> dict[str, dict[str, str]]:
    """Names of the facet values, from the small reference tables (cached with the counts)."""
    return {
        "type": dict(PartnershipType.objects.values_list("key", "name")),
        "theme": dict(Theme.objects.values_list("key", "name")),
        "status": {value: str(label) for value, label in PartnershipStatus.choices},
        "partner_kind": {value: str(label) for value, label in Partner.Kind.choices},
    }


def _driven_by_hits(
    filtered: QuerySet[Any], query: TextQuery, *, scored: bool = False
) -> tuple[str, tuple[Any, ...]]:
    """SQL of ``filtered`` (a ``values()`` query with ``m_id``) kept to the rows matching ``query``, the
    index's hits driving the join (on SQLite through ``CROSS JOIN``, its way of fixing the join order: without
    table statistics its planner would rather walk the visibility index and probe the full-text index once
    per visible row, seconds at a million rows). ``scored`` adds the hit's relevance as ``score``.
    """
    connection = connections[filtered.db]
    matched, params = filtered.query.sql_with_params()
    fields: dict[str, Any] = {"hit": F("partnership_id")}
    if scored:
        fields["score"] = TextRelevance(F("document"), query)
    hits = PartnershipText.objects.filter(document__matches=query).values(**fields)
    hits_sql, hits_params = hits.query.sql_with_params()
    join = "CROSS JOIN" if connection.vendor == "sqlite" else "JOIN"
    columns = "m.*, hits.score" if scored else "m.*"
    # Both halves are SQL the ORM compiled; their values stay parameters.
    sql = f"SELECT {columns} FROM ({hits_sql}) hits {join} ({matched}) m ON m.m_id = hits.hit"  # noqa: S608
    return sql, (*hits_params, *params)


SEARCH_ORDER = {
    RELEVANCE: "score DESC, m_start DESC, m_id DESC",
    "title": "m_title, m_id",
    "-title": "m_title DESC, m_id DESC",
    "start": "m_start, m_id",
    "-start": "m_start DESC, m_id DESC",
}
"""The registry's orders (``SORTS``, and relevance) over the columns ``SearchRows`` selects."""


class SearchRows:
    """A search's rows for the paginator, a page in two queries: the page's ids in order, with the index's
    hits driving the join, then those partnerships with the columns the table shows.

    Fetching the ids alone first matters when a word is in a large part of the registry: ordering needs
    every match, and the lead, type and region of each would otherwise be joined before the sort.
    """

    def __init__(self, unsearched: QuerySet[Partnership], query: TextQuery, sort: str) -> None:
        self.unsearched = unsearched
        self.query = query
        self.order = SEARCH_ORDER.get(sort, SEARCH_ORDER[DEFAULT_SORT])

    def _sql(self) -> tuple[str, tuple[Any, ...]]:
        filtered = self.unsearched.order_by().values(m_id=F("pk"), m_start=F("start"), m_title=F("title"))
        return _driven_by_hits(filtered, self.query, scored=True)

    def count(self) -> int:
        sql, params = self._sql()
        with connections[self.unsearched.db].cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) found", params)  # noqa: S608
            return int(cursor.fetchone()[0])

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Partnership]:
        start, stop = window.start or 0, window.stop
        sql, params = self._sql()
        # ``order`` is one of SEARCH_ORDER's fixed strings.
        page_sql = f"SELECT m_id FROM ({sql}) found ORDER BY {self.order} LIMIT %s OFFSET %s"  # noqa: S608
        with connections[self.unsearched.db].cursor() as cursor:
            cursor.execute(page_sql, (*params, (stop - start) if stop is not None else -1, start))
            ids = [row[0] for row in cursor.fetchall()]
        found = Partnership.objects.select_related("lead", "type", "region").in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]


def search_page_rows(
    unsearched: QuerySet[Partnership], text: str, sort: str
) -> QuerySet[Partnership] | SearchRows:
    """The registry table's rows for a filter: ``unsearched`` (every filter but the search applied), searched
    for ``text`` and in the ``sort`` order; without a search, a queryset (``registry_page_rows``)."""
    query = parse_text_query(text)
    if not query:
        return registry_page_rows(unsearched, sort)
    return SearchRows(unsearched, query, sort)


def _live_counts(rows: QuerySet[Partnership], query: TextQuery | None = None) -> dict[str, dict[Any, int]]:
    """Every facet's counts over the filtered rows (and, with ``query``, matching it), in one statement.

    The matching rows are read once into a common table expression, which both engines materialise because
    it is used three times; types, statuses and regions (by id) are counted in one ``GROUP BY``, themes and
    partner kinds through the link tables' indexes. One pass over the matches instead of one per facet is
    what keeps a search that matches a large part of the registry fast.

    With a search, the index's hits drive the join (``_driven_by_hits``).
    """
    connection = connections[rows.db]
    quote = connection.ops.quote_name
    filtered = rows.order_by().values(
        m_id=F("pk"), m_type=F("type__key"), m_status=F("status"), m_region=F("region_id")
    )
    matched, params = _driven_by_hits(filtered, query) if query else filtered.query.sql_with_params()
    themes = Partnership.themes.through._meta
    partners = Partnership.partners.through._meta
    theme_table, partner_table = Theme._meta.db_table, Partner._meta.db_table
    # Only table names from the models' metadata are interpolated; the filter values stay parameters.
    sql = (
        f"WITH matched (id, type_key, status, region_id) AS ({matched}) "  # noqa: S608
        "SELECT 'cell', type_key, status, CAST(region_id AS TEXT), COUNT(*) FROM matched "
        "GROUP BY type_key, status, region_id "
        "UNION ALL "
        f"SELECT 'theme', th.{quote('key')}, NULL, NULL, COUNT(*) FROM matched m "
        f"JOIN {quote(themes.db_table)} link ON link.partnership_id = m.id "
        f"JOIN {quote(theme_table)} th ON th.id = link.theme_id GROUP BY th.{quote('key')} "
        "UNION ALL "
        "SELECT 'partner_kind', pa.kind, NULL, NULL, COUNT(DISTINCT m.id) FROM matched m "
        f"JOIN {quote(partners.db_table)} link ON link.partnership_id = m.id "
        f"JOIN {quote(partner_table)} pa ON pa.id = link.partner_id GROUP BY pa.kind"
    )
    counts: dict[str, dict[Any, int]] = {
        name: {} for name in ("type", "status", "region", "theme", "partner_kind")
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for dimension, key, status, region, n in cursor.fetchall():
            if dimension != "cell":
                counts[dimension][key] = n
                continue
            for name, value in (
                ("type", key),
                ("status", status),
                ("region", int(region) if region else None),
            ):
                counts[name][value] = counts[name].get(value, 0) + n
    return counts


def _facets_from(counts: dict[str, dict[Any, int]], *, by_region_code: bool) -> Facets:
    """Label the counts; regions are rolled up to the continent-level regions people filter by."""
    regions = Region.objects.filter(code__in=[k for k in counts["region"] if k] if by_region_code else [])
    if not by_region_code:
        regions = Region.objects.filter(pk__in=[k for k in counts["region"] if k])
    paths = {(r.code if by_region_code else r.pk): r.path for r in regions.only("pk", "code", "path")}
    macro = dict(
        Region.objects.filter(level__in=[Region.Level.REGION, Region.Level.WORLD]).values_list("code", "name")
    )
    by_macro: dict[str, int] = {}
    for region, count in counts["region"].items():
        parts = paths.get(region, "").strip("/").split("/") if region else []
        code = parts[1] if len(parts) > 1 else "001"
        by_macro[code] = by_macro.get(code, 0) + count
    labels = _labels()

    def options(found: dict[Any, int], names: dict[str, str]) -> list[FacetOption]:
        items = [FacetOption(str(k), names.get(str(k), str(k)), n) for k, n in found.items() if k and n]
        return sorted(items, key=lambda option: (-option.count, option.label))

    return Facets(
        total=sum(counts["status"].values()),
        type=options(counts["type"], labels["type"]),
        status=options(counts["status"], labels["status"]),
        theme=options(counts["theme"], labels["theme"]),
        region=options(by_macro, macro),
        partner_kind=options(counts["partner_kind"], labels["partner_kind"]),
    )


def _tally_visibilities(user: Any) -> list[str]:
    if getattr(user, "is_superuser", False):
        return [Visibility.PUBLIC, Visibility.MOVEMENT, Visibility.PRIVATE]
    if is_movement_member(user):
        return [Visibility.PUBLIC, Visibility.MOVEMENT]
    return [Visibility.PUBLIC]


def _tally_facets(user: Any, rows: QuerySet[Partnership], filters: RegistryFilter) -> Facets:
    """Facets summed from the pre-aggregated tally (rebuilt first if writes bypassed the services).

    Private rows a member may see (their own entities') are few and counted live, then added.
    """
    from partnernet.partnerships.services import ALL, rebuild_registry_tally, tally_is_fresh

    if not tally_is_fresh():
        rebuild_registry_tally()
    tally = RegistryTally.objects.filter(visibility__in=_tally_visibilities(user))
    if filters.type:
        tally = tally.filter(type_key=filters.type)
    if filters.status:
        tally = tally.filter(status=filters.status)

    def sums(rows: QuerySet[RegistryTally], dimension: str, by: str) -> dict[str, int]:
        grouped = rows.filter(dimension=dimension).order_by().values_list(by).annotate(n=Sum("count"))
        return {key: n for key, n in grouped.values_list(by, "n") if n}

    if filters.region:
        path = Region.objects.filter(code=filters.region).values_list("path", flat=True).first()
        inside = tally.filter(
            region_code__in=Region.objects.filter(path__startswith=path or "-").values("code")
        )
        counts = {
            "type": sums(inside, "row", "type_key"),
            "status": sums(inside, "row", "status"),
            "region": sums(inside, "row", "region_code"),
            "theme": sums(inside, "theme", "value"),
            "partner_kind": sums(inside, "partner_kind", "value"),
        }
    else:
        by_region = (
            sums(tally, "row", "region_code")
            if filters.type or filters.status
            else sums(tally, f"region{ALL}", "region_code")
        )
        counts = {
            "type": sums(tally, f"row{ALL}", "type_key"),
            "status": sums(tally, f"row{ALL}", "status"),
            "region": by_region,
            "theme": sums(tally, f"theme{ALL}", "value"),
            "partner_kind": sums(tally, f"partner_kind{ALL}", "value"),
        }
    if entity_ids_of(user) and not getattr(user, "is_superuser", False):
        private = _live_counts(rows.filter(visibility=Visibility.PRIVATE))
        for name, extra in private.items():
            for key, n in extra.items():
                counts[name][key] = counts[name].get(key, 0) + n
    return _facets_from(counts, by_region_code=True)


def _names_fingerprint() -> str:
    """Changes when a partner or an entity is added, renamed or removed: their names are searched."""
    partners = Partner.objects.order_by().aggregate(n=Count("pk"), changed=Max("updated_at"))
    entities = Entity.objects.order_by().aggregate(n=Count("pk"), changed=Max("updated_at"))
    return f"{partners['n']}:{partners['changed']}:{entities['n']}:{entities['changed']}"


def registry_facets(user: Any, unsearched: QuerySet[Partnership], filters: RegistryFilter) -> Facets:
    """Facet counts of the rows ``filters`` selects, exact after every write.

    ``unsearched`` holds the rows the user may see with every filter but the search applied (the search is
    applied here, so that the index's matches can drive the count). Filters on type, status and region read
    the tally; others (search, theme, partner kind, lead) count the filtered rows and cache the result under
    the table fingerprint.
    """
    query = parse_text_query(filters.q)
    if not (query or filters.theme or filters.partner_kind or filters.lead):
        return _tally_facets(user, unsearched, filters)
    active = {**filters.active(), "q": query.fts5()}
    fingerprint = table_fingerprint() + (f"/{_names_fingerprint()}" if query else "")
    raw = json.dumps([_visibility_scope(user), active, fingerprint], sort_keys=True)
    key = "pn-facets:" + hashlib.sha256(raw.encode()).hexdigest()
    facets: Facets | None = cache.get(key)
    if facets is None:
        facets = _facets_from(_live_counts(unsearched, query), by_region_code=False)
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


def partnerships_with_institution(partners: Any, visible: QuerySet[Partnership]) -> QuerySet[Partnership]:
    """The partnerships among ``visible`` with any of ``partners`` (the rows that stand for one
    institution, on this instance and on peers), each once, with what a list of them shows."""
    return visible.filter(partners__in=partners).select_related("lead", "type", "region").distinct()


def partnerships_with_entity(entity: Entity, visible: QuerySet[Partnership]) -> dict[str, list[Partnership]]:
    """Partnerships the entity leads and supports (as the viewer may see them), newest first, 50 of each."""
    base = visible.select_related("type", "region", "lead").order_by("-start", "title")
    return {
        "led": list(base.filter(lead=entity)[:50]),
        "supported": list(base.filter(pk__in=entity.supported_partnerships.values("pk"))[:50]),
    }


def recent_partnerships(visible: QuerySet[Partnership], limit: int = 8) -> list[Partnership]:
    return list(visible.select_related("lead", "type").order_by("-updated_at")[:limit])


def partnerships_matching(
    queryset: QuerySet[Partnership],
    *,
    type: str | None = None,
    theme: str | None = None,
    region: str | None = None,
    status: str | None = None,
    visibility: str | None = None,
    entity: str | None = None,
    partner: str | None = None,
    search: str | None = None,
) -> QuerySet[Partnership]:
    """The registry's filters. Apply them to an already visibility-filtered queryset.

    ``region`` accepts any level and finds partnerships inside it; ``entity`` finds those an entity leads or
    supports; ``search`` is the registry's full-text search (``search_partnerships``).
    """
    rows = queryset
    if type:
        rows = rows.filter(type__key=type)
    if theme:
        rows = rows.filter(
            pk__in=Partnership.themes.through.objects.filter(theme__key=theme).values("partnership_id")
        )
    if region:
        path = region_path(region)
        if path is None:
            return rows.none()
        rows = rows.filter(region__in=Region.objects.filter(path__startswith=path))
    if status:
        rows = rows.filter(status=status)
    if visibility:
        rows = rows.filter(visibility=visibility)
    if entity:
        supported = Partnership.supporters.through.objects.filter(entity__key=entity).values("partnership_id")
        rows = rows.filter(Q(lead__key=entity) | Q(pk__in=supported))
    if partner:
        rows = rows.filter(
            pk__in=Partnership.partners.through.objects.filter(partner__key=partner).values("partnership_id")
        )
    return search_partnerships(rows, search)
