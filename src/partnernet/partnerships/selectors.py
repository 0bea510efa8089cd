"""Reads of the partnership registry: filters, full-text search, sorting, a partnership's page.

The registry must stay fast at a million rows. Rows are read one page at a time through indexed orderings, or
by relevance from the full-text index (``search.py``). Facet counts have their own module (``facets.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import F, Max, Q, QuerySet

from partnernet.base.references import best_row, key_and_origin
from partnernet.base.versions import Table, version_of
from partnernet.core.search import TextQuery, parse_text_query
from partnernet.directory.models import Entity, Partner
from partnernet.framework.models import PartnershipType, Region, Theme
from partnernet.framework.selectors import region_path
from partnernet.partnerships.models import Partnership, PartnershipText
from partnernet.partnerships.row_reads import (
    REGISTRY_COLUMNS,
    found_then_sorted,
    rows_of,
    walked_newest,
)
from partnernet.partnerships.search import (
    TextRelevance,
    pg_hits_in_buckets,
    sqlite_sample_hits,
    sqlite_sample_hits_sql,
)
from partnernet.partnerships.search_triggers import SAMPLE_SPACE, SAMPLE_TIER, sample_bucket_sql
from partnernet.partnerships.tally import fingerprint_of

SORTS: dict[str, tuple[str, ...]] = {
    "title": ("title", "id"),
    "-title": ("-title", "-id"),
    "start": ("start", "id"),
    "-start": ("-start", "-id"),
}
DEFAULT_SORT = "-start"
RELEVANCE = "relevance"
"""Best match first; the default when there is a search, and only possible then."""


REGISTRY_READS: tuple[Table, ...] = (
    (Partner, "updated_at"),
    (Partnership.partners.through, None),
    (Partnership.themes.through, None),
    (PartnershipType, "updated_at"),
    (Theme, "updated_at"),
    (Region, "updated_at"),
)
"""What the registry's filters and facets read besides the partnership table: partners (their kinds, and
names that are searched) and the links to them, theme links, the taxonomy (keys filtered by, labels shown).
Whatever is cached from them is kept under their versions (``base.versions``) too, so a renamed theme or a
partner of another kind is shown at once."""


@dataclass(frozen=True)
class RegistryVersion:
    """Changes whenever what a filter or a search of the registry selects, counts or labels may change.

    ``table`` is the partnership table's fingerprint as the tally records it (``tally.table_fingerprint``):
    a partnership inserted, updated or deleted (services touch ``updated_at`` when they change a
    partnership's themes or partners). ``others`` are the versions of ``REGISTRY_READS`` and of the
    entities (their names are searched, their keys filtered by).
    """

    table: str
    others: tuple[Any, ...]

    def __str__(self) -> str:
        return f"{self.table}/{self.others!r}"


def registry_version() -> RegistryVersion:
    """The registry's version, read in one statement, each part an index seek (``base.versions``)."""
    read: tuple[Table, ...] = ((Partnership, "updated_at"), *REGISTRY_READS, (Entity, "updated_at"))
    _, mark, top, changed, *others = version_of(read)
    return RegistryVersion(fingerprint_of(mark, top, changed), tuple(others))


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
        rows = rows.filter(region__in=regions_inside(path))
    return rows


def regions_inside(path: str) -> list[int]:
    """The ids of the regions at or under ``path``, as a list rather than a subquery: the planner then knows
    how many there are and, for a small place, finds its partnerships by region and sorts the few, instead
    of walking the type's rows in date order for them (0.5 s at 1,000,000 for one small country)."""
    return list(Region.objects.filter(path__startswith=path).values_list("pk", flat=True))


def registry_page_rows(rows: QuerySet[Partnership], sort: str) -> QuerySet[Partnership]:
    """The columns a registry table shows, in the chosen order (one query per page).

    ``relevance`` needs rows from ``search_partnerships`` with a real query; otherwise the default applies.
    """
    rows = rows.select_related("lead", "type", "region").only(*REGISTRY_COLUMNS)
    if sort == RELEVANCE and "relevance" in rows.query.annotations:
        return rows.order_by(F("relevance").desc(), "-start", "-id")
    return rows.order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT]))


def driven_by_hits(
    filtered: QuerySet[Any], query: TextQuery, *, scored: bool = False, sample: int | None = None
) -> tuple[str, tuple[Any, ...]]:
    """SQL of ``filtered`` (a ``values()`` query with ``m_id``) kept to the rows matching ``query``, the
    index's hits driving the join (on SQLite through ``CROSS JOIN``, its way of fixing the join order: without
    table statistics its planner would rather walk the visibility index and probe the full-text index once
    per visible row, seconds at a million rows). ``scored`` adds the hit's relevance as ``score``.

    ``sample`` keeps only the hits in that many of the ``SAMPLE_SPACE`` buckets (``sample_bucket_sql``), at
    most ``SAMPLE_CAP`` of them. On SQLite, up to ``SAMPLE_TIER`` buckets are read from the sample table, one
    range of its rowids (``search.SAMPLE_TABLE``); more, from the index, every hit hashed.
    """
    connection = connections[filtered.db]
    matched, params = filtered.query.sql_with_params()
    fields: dict[str, Any] = {"hit": F("partnership_id")}
    if scored:
        fields["score"] = TextRelevance(F("document"), query)
    hits = PartnershipText.objects.filter(document__matches=query).values(**fields)
    hits_sql, hits_params = hits.query.sql_with_params()
    if sample is not None and not scored and connection.vendor == "sqlite" and sample <= SAMPLE_TIER:
        sampled, sampled_params = sqlite_sample_hits_sql(query, sample)
        hits_sql, hits_params = f"{sampled} LIMIT %s", (*sampled_params, SAMPLE_CAP)
    elif sample is not None:
        bucket = sample_bucket_sql("hit", escaped=True)
        hits_sql = f"SELECT * FROM ({hits_sql}) sampled WHERE {bucket} < %s LIMIT %s"  # noqa: S608
        hits_params = (*hits_params, sample, SAMPLE_CAP)
    join = "CROSS JOIN" if connection.vendor == "sqlite" else "JOIN"
    columns = "m.*, hits.score" if scored else "m.*"
    # Both halves are SQL the ORM compiled; their values stay parameters.
    sql = f"SELECT {columns} FROM ({hits_sql}) hits {join} ({matched}) m ON m.m_id = hits.hit"  # noqa: S608
    return sql, (*hits_params, *params)


SAMPLE_CAP = 4_096
"""The most sampled hits read. Callers choose buckets for half of this (``facets.SAMPLE``), which a hash this
even does not overshoot twofold; the limit is there to tell PostgreSQL's planner that the sample is small:
without it, it took a quarter of all hits and joined whole link tables by hash (1 s at a million rows)."""


BROAD_SEARCH = 10_000
"""A search whose words the index finds in more partnerships than this is *broad*. Ranking every match
(SQLite's BM25 over a million hits alone takes 0.75 s) and counting every match by facet (2 to 3 s) would
make each such search cost seconds; a broad search lists its matches newest first instead, walking the
date index and asking the full-text index about each row, and estimates its counts from a sample
(``partnerships.facets``). MariaDB's full-text index cannot be asked about one row, so there every search
is ranked and counted exactly."""

BROAD_ROWS = 1_000
"""A broad search pages through this many rows at most: each later page walks further, and the page says
to narrow the search instead."""


def broad_search(query: TextQuery, using: str = "default") -> int | None:
    """The index's hit count for ``query`` when the search is broad (``BROAD_SEARCH``), else ``None``.

    SQLite estimates the hits from the sample table, a sixteenth of the index, and counts them exactly
    where the estimate is near the threshold (``SURELY_BROAD``): FTS5 reads the index alone, but that is
    still 40 ms for a word in every one of a million rows. PostgreSQL must visit each hit's row to count
    it (90 to 140 ms for a word in a third of a million rows), so there the search is broad when a count
    that stops after ``BROAD_SEARCH`` + 1 hits reaches it (6 to 17 ms), and the hits are then estimated
    from those in ``HIT_BUCKETS`` of the sample's buckets, read through the sample index (7 to 13 ms;
    ``hit_estimate``); a common word is told broad sooner, by a probe of one bucket (``SURELY_PROBED``).
    The count only sizes the facets' sample (``facets.estimated_facets``), which the page's estimates are
    read from."""
    vendor = connections[using].vendor
    if vendor not in ("sqlite", "postgresql"):
        return None
    hits = PartnershipText.objects.using(using).filter(document__matches=query)
    if vendor == "sqlite":
        estimate = sqlite_sample_hits(query, connections[using]) * SAMPLE_SPACE // SAMPLE_TIER
        if estimate > SURELY_BROAD:
            return estimate
        count = hits.count()
        return count if count > BROAD_SEARCH else None
    probed = pg_hits_in_buckets(query, PROBE_BUCKETS, connections[using])
    if probed >= SURELY_PROBED:
        return probed * SAMPLE_SPACE // PROBE_BUCKETS
    if hits[: BROAD_SEARCH + 1].count() <= BROAD_SEARCH:
        return None
    return hit_estimate(query, using)


SURELY_BROAD = 4 * BROAD_SEARCH
"""SQLite: a search whose hits in the sample table (a sixteenth of the index, ``search.SAMPLE_TIER``) make
more than this is broad without an exact count, and its hits are that estimate: at least 2,500 sampled hits,
a standard error of 2% or less. Counting a word in every one of a million rows exactly takes 40 ms; its
sixteenth, 2 to 3. Nearer the threshold the hits are counted exactly (a few milliseconds at most), so a
search is never called broad by a chance high sample."""

PROBE_BUCKETS = 1
"""PostgreSQL: the sample buckets a search's hits are first counted in (about a thousand rows at a million
partnerships, 3 to 5 ms)."""
SURELY_PROBED = 40
"""PostgreSQL: hits in the ``PROBE_BUCKETS`` above which a search is broad and its hits are that count,
scaled (about 40,000 or more, a standard error of a sixth at most, which only sizes the facets' sample;
a search of ``BROAD_SEARCH`` hits has about ten there). A word in 4% of the rows or more then costs the
probe alone, instead of the bounded count and the estimate (20 to 80 ms together at a million)."""

HIT_BUCKETS = 8
"""Buckets (of ``SAMPLE_SPACE``) a broad search's hits are counted in on PostgreSQL: 1/128 of the index. A
broad search has more than ``BROAD_SEARCH`` hits, so about 80 or more fall in them (a standard error of
about a tenth, less for commoner words). The estimate only sizes the facets' sample (``facets.SAMPLE``):
``SAMPLE_CAP``, twice it, absorbs an undercount, and an overcount only makes the sample smaller."""


def hit_estimate(query: TextQuery, using: str = "default") -> int:
    """The index's hits for ``query`` (PostgreSQL), estimated from those in the first ``HIT_BUCKETS``
    buckets (``search.pg_hits_in_buckets``), never less than a broad search's ``BROAD_SEARCH`` + 1."""
    found = pg_hits_in_buckets(query, HIT_BUCKETS, connections[using])
    return max(found * SAMPLE_SPACE // HIT_BUCKETS, BROAD_SEARCH + 1)


def partnership_page(key: str, origin: str | None = None) -> Partnership | None:
    """One partnership with everything its page shows, in a fixed number of queries."""
    rows = Partnership.objects.select_related("lead", "type", "region").prefetch_related(
        "supporters", "partners__country", "themes", "agreements"
    )
    key, origin = key_and_origin(key, origin)
    if origin:
        rows = rows.filter(origin=origin)
    return best_row(rows.filter(key=key)[:20])


def partnerships_with_institution(partners: Any, visible: QuerySet[Partnership]) -> QuerySet[Partnership]:
    """The partnerships among ``visible`` with any of ``partners`` (the rows that stand for one
    institution, on this instance and on peers), each once, with what a list of them shows."""
    return visible.filter(partners__in=partners).select_related("lead", "type", "region").distinct()


def partnerships_with_entity(entity: Entity, visible: QuerySet[Partnership]) -> dict[str, list[Partnership]]:
    """Partnerships the entity leads and supports (as the viewer may see them), newest first, 50 of each.

    The supported ones are found by the link table alone, and ordered as bare ids before their rows are
    read: a chapter that supports 15,000 partnerships of a million-row registry had every one of them joined
    to its lead, type and region, and sorted whole, for the 50 shown (60 ms a page view against 28). Both
    lists' rows are then read in one query.
    """
    ordered = visible.order_by("-start", "title", "pk")
    led = list(ordered.filter(lead=entity).values_list("pk", flat=True)[:50])
    supported = _newest_supported(entity, visible, 50)
    read = {row.pk: row for row in rows_of(led + supported)}
    # A row deleted between the queries is left out, as ``rows_of`` leaves it out.
    return {
        "led": [read[pk] for pk in led if pk in read],
        "supported": [read[pk] for pk in supported if pk in read],
    }


WALK_FROM = 1_000
"""Below this many supported partnerships an entity's newest are always found and sorted (``_newest_first``);
from it, on PostgreSQL, the registry may be walked in date order instead (``_newest_supported``)."""


def _newest_supported(entity: Entity, visible: QuerySet[Partnership], limit: int) -> list[int]:
    """The ids of the ``limit`` newest of ``visible`` that ``entity`` supports.

    Sorting them reads every one (``many``). Walking the registry newest first meets them about every
    ``size / many`` rows (``size``: the highest id, about the registry's rows), so ``limit`` of them take
    about ``limit * size / many`` rows, with a link probe each. The walk is chosen on PostgreSQL where it
    should read at most half what the sort would, and is bounded by ``many`` rows, falling back to the sort
    where the supporter's partnerships are older than the rest. At a million partnerships the chapter
    supporting 15,056 had them sorted in 113 ms and walked in 38 ms (3,633 rows); one supporting 7,187 is
    sorted.
    """
    links = Partnership.supporters.through.objects.filter(entity=entity)
    supported = links.values("partnership_id")
    if connections[visible.db].vendor == "postgresql":
        many = links.count()
        if many >= WALK_FROM and many * many >= 2 * limit * highest_id(visible.db):
            walked = walked_newest(visible, supported, many, limit)
            if walked is not None:
                return walked
    return _newest_first(visible.filter(pk__in=supported), limit)


def highest_id(using: str) -> int:
    """The highest partnership id: about the registry's rows (deletions aside), read from the index."""
    return int(Partnership.objects.using(using).aggregate(top=Max("pk"))["top"] or 0)


def _newest_first(rows: QuerySet[Partnership], limit: int) -> list[int]:
    """The ids of the ``limit`` newest of ``rows`` (then by title and id), found from ``rows`` first.

    Asked for the newest few of an entity's supported partnerships, PostgreSQL walks the whole registry in
    date order testing each row against the entity's list, expecting to meet them evenly; where they are
    old it walked 200,000 rows (0.4 s). Found first, the entity's list drives and its rows are sorted
    (50 ms). SQLite plans it that way by itself.
    """
    return found_then_sorted(rows, ("-start", "title", "pk"), 0, limit)


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
        rows = rows.filter(region__in=regions_inside(path))
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
