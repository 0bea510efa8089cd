"""Pages of the registry's table: the rows a filter selects, in the chosen order, a page at a time.

Without a search, a queryset of the rows (``selectors.registry_page_rows``), or ``FewRows`` on PostgreSQL when
the counts say the filter selects few rows (``FEW_ROWS``). With one, ``SearchRows``: the index's hits drive a
narrow search's ranking; a broad one (``selectors.BROAD_SEARCH``) walks the date index asking the index about
each row. Either way a page's ids are found once per version of the data and kept in the cache
(``KeptPages``).
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Exists, F, OuterRef, QuerySet

from partnernet.base.versions import cache_key
from partnernet.core.search import TextQuery, parse_text_query
from partnernet.partnerships.models import Partnership, PartnershipText
from partnernet.partnerships.row_reads import FewRows, rows_of
from partnernet.partnerships.search import sqlite_hits_in_windows
from partnernet.partnerships.selectors import (
    DEFAULT_SORT,
    RELEVANCE,
    SORTS,
    RegistryVersion,
    driven_by_hits,
    highest_id,
    registry_page_rows,
    registry_version,
)

SEARCH_ORDER = {
    RELEVANCE: "score DESC, m_start DESC, m_id DESC",
    "title": "m_title, m_id",
    "-title": "m_title DESC, m_id DESC",
    "start": "m_start, m_id",
    "-start": "m_start DESC, m_id DESC",
}
"""The registry's orders (``SORTS``, and relevance) over the columns ``SearchRows`` selects."""


PAGE_TIMEOUT = 3600
"""Seconds a page's ids stay cached (keyed by ``RegistryVersion``, they are never stale)."""


class KeptPages:
    """A registry listing for the paginator whose pages' ids are kept in the cache, under what selects them
    (``signature``: the filters as SQL, which carries the viewer's visibility, the search, the order, and
    the registry's version, ``selectors.registry_version``) and the page's window, as the facet counts are.

    People page through and come back to the same filters and searches, and finding a page costs from a
    millisecond to tens of them at a million partnerships (a filter the date index meets rarely, a walk of
    it asking the full-text index about each row, a ranking of every match), against one cache read and a
    read of the page's rows by id. Any write moves the version, so a kept page is never stale, and a
    read writes nothing but the cache.
    """

    def __init__(self, rows: Any, signature: list[Any]) -> None:
        self.rows = rows
        self.signature = signature

    def count(self) -> int:
        return int(self.rows.count())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Partnership]:
        start, stop = window.start or 0, window.stop
        key = cache_key("pn-registry-page", [*self.signature, start, stop])
        ids: list[int] | None = cache.get(key)
        if ids is not None:
            return rows_of(ids)
        found = list(self.rows[start:stop])
        cache.set(key, [row.pk for row in found], PAGE_TIMEOUT)
        return found


class SearchRows:
    """A search's rows for the paginator, a page in two queries: the page's ids in order, with the index's
    hits driving the join, then those partnerships with the columns the table shows.

    Fetching the ids alone first matters when a word is in a large part of the registry: ordering needs
    every match, and the lead, type and region of each would otherwise be joined before the sort.
    """

    def __init__(
        self, unsearched: QuerySet[Partnership], query: TextQuery, sort: str, *, broad: bool = False
    ) -> None:
        self.unsearched = unsearched
        self.query = query
        self.sort = sort
        self.order = SEARCH_ORDER.get(sort, SEARCH_ORDER[DEFAULT_SORT])
        self.broad = broad

    def _sql(self) -> tuple[str, tuple[Any, ...]]:
        filtered = self.unsearched.order_by().values(m_id=F("pk"), m_start=F("start"), m_title=F("title"))
        return driven_by_hits(filtered, self.query, scored=True)

    def count(self) -> int:
        sql, params = self._sql()
        with connections[self.unsearched.db].cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) found", params)  # noqa: S608
            return int(cursor.fetchone()[0])

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Partnership]:
        start, stop = window.start or 0, window.stop
        return rows_of(self._walked(start, stop) if self.broad else self._ranked(start, stop))

    def _ranked(self, start: int, stop: int | None) -> list[int]:
        """A narrow search's page: every match found from the index's hits, sorted, the window kept."""
        sql, params = self._sql()
        # ``order`` is one of SEARCH_ORDER's fixed strings.
        page_sql = f"SELECT m_id FROM ({sql}) found ORDER BY {self.order} LIMIT %s OFFSET %s"  # noqa: S608
        with connections[self.unsearched.db].cursor() as cursor:
            cursor.execute(page_sql, (*params, (stop - start) if stop is not None else -1, start))
            return [row[0] for row in cursor.fetchall()]

    def _walked(self, start: int, stop: int | None) -> list[int]:
        """A broad search's page: the rows in the sort's order (relevance: newest first), each asked of the
        index. Matches are dense, so the walk stops after few rows more than the page holds."""
        conditions = [
            Exists(PartnershipText.objects.filter(partnership=OuterRef("pk"), document__matches=part))
            for part in self._walk_questions()
        ]
        walk = self.unsearched.filter(*conditions).order_by(*SORTS.get(self.sort, SORTS[DEFAULT_SORT]))
        return list(walk.values_list("pk", flat=True)[start:stop])

    def _walk_questions(self) -> list[TextQuery]:
        """What the walk asks the index about each row: the whole query, or on SQLite each of its terms on
        its own, the rarest first (``sqlite_hits_in_windows``).

        FTS5 answers "does this row hold this term?" in about 30 µs and the same for two terms in about
        100, and most rows a walk meets fail the rarest term, so the others are asked about few rows: at a
        million partnerships, a word in every row with one in 6% of them took 71-86 ms asked together and
        29-33 ms asked rarest first (56-78 ms commonest first). Every term must match either way."""
        connection = connections[self.unsearched.db]
        if connection.vendor != "sqlite" or len(self.query.terms) < 2:
            return [self.query]
        top = highest_id(self.unsearched.db)
        parts = [TextQuery((term,)) for term in self.query.terms]
        return sorted(parts, key=lambda part: sqlite_hits_in_windows(part, connection, top))


FEW_ROWS = 5_000
"""A filter that the registry's counts say selects at most this many rows has its page found from them
(``FewRows``) on PostgreSQL. Its planner would rather walk the date index and test each row against the
filter, expecting matches to be evenly spread: at a million partnerships a type, status and subregion
(1,700 rows) walked 57,000 rows for a page (120 ms), where finding the rows by the filter's index and
sorting them takes 6 ms. A filter selecting more rows meets a page of them soon on the walk."""


def search_page_rows(
    unsearched: QuerySet[Partnership],
    text: str,
    sort: str,
    *,
    broad: bool = False,
    selected: int | None = None,
    version: RegistryVersion | None = None,
) -> KeptPages:
    """The registry table's rows for a filter: ``unsearched`` (every filter but the search applied), searched
    for ``text`` and in the ``sort`` order; without a search, a queryset (``registry_page_rows``), or on
    PostgreSQL ``FewRows`` when the counts say the filter ``selected`` few rows (``FEW_ROWS``). A ``broad``
    search (``BROAD_SEARCH``) is listed in date order, not ranked. Each page is found once per version of
    the data (``KeptPages``; ``version``, the registry's version when the caller has just read it)."""
    query = parse_text_query(text)
    try:
        sql, params = unsearched.order_by().query.sql_with_params()
    except EmptyResultSet:  # a filter that selects nothing (``filter_partnerships``: a region now gone)
        sql, params = "", ()
    version = version or registry_version()
    signature = [unsearched.db, sql, repr(params), query.fts5(), sort, broad, str(version)]
    if query:
        return KeptPages(SearchRows(unsearched, query, sort, broad=broad), signature)
    if selected is not None and selected <= FEW_ROWS and connections[unsearched.db].vendor == "postgresql":
        return KeptPages(FewRows(unsearched, SORTS.get(sort, SORTS[DEFAULT_SORT])), signature)
    return KeptPages(registry_page_rows(unsearched, sort), signature)
