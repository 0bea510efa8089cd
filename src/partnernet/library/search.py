"""Full-text search of the library, on the registry's machinery (``partnerships.search``, ``core.search``).

The same reading of the search box (``core.search.parse_text_query``: words, "phrases", prefix*), the same
tokenisation (SQLite FTS5 ``unicode61`` with diacritics removed; PostgreSQL's ``partnernet_search``
configuration: ``simple`` plus ``unaccent``), the same weights (title first, then names, then text).

What differs is how the index is kept: the library holds hundreds of resources, not a million partnerships,
and every write of a resource goes through its writer (forms, API, import, federation apply), so the
writer's observer (``base.observers``) refreshes the index rows of the resources it wrote, in the same
transaction, instead of database triggers. A write that bypasses the writer (raw SQL, the admin's bulk
delete) leaves the index stale until ``rebuild_library_index`` (run by ``migrate``) or the next write.
"""
# ruff: noqa: S608
# Statements are built from this module's constants; search terms and ids are always parameters.

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper

from partnernet.core.search import TextQuery
from partnernet.partnerships.search import tsquery_sql
from partnernet.partnerships.search_triggers import PG_CONFIG, TOKENIZER

TABLE = "library_search"
BM25_WEIGHTS = "10.0, 1.0, 4.0"
MAX_HITS = 2000
"""Enough for any library; a bound on what one search ranks (and on the parameters of the query that
orders the hits)."""

_SOURCE = (
    "SELECT r.id, r.title, r.body, e.name || ' ' || r.toolhub AS names "
    "FROM library_resource r JOIN directory_entity e ON e.id = r.publisher_id"
)
_PG_DOCUMENT = (
    f"setweight(to_tsvector('{PG_CONFIG}', s.title), 'A') || "
    f"setweight(to_tsvector('{PG_CONFIG}', s.names), 'B') || "
    f"setweight(to_tsvector('{PG_CONFIG}', s.body), 'C')"
)


def _execute(connection: BaseDatabaseWrapper, statement: str, params: Collection[Any] = ()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, list(params))


def create_library_index(connection: BaseDatabaseWrapper) -> None:
    """Make the index table (the migration) and fill it."""
    if connection.vendor == "sqlite":
        _execute(
            connection,
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} "
            f'USING fts5(title, body, names, tokenize="{TOKENIZER}")',
        )
    elif connection.vendor == "postgresql":
        _execute(
            connection,
            f"CREATE TABLE IF NOT EXISTS {TABLE} (rowid bigint PRIMARY KEY, document tsvector NOT NULL)",
        )
        _execute(connection, f"CREATE INDEX IF NOT EXISTS {TABLE}_document ON {TABLE} USING gin (document)")
    rebuild_library_index(connection)


def drop_library_index(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor in ("sqlite", "postgresql"):
        _execute(connection, f"DROP TABLE IF EXISTS {TABLE}")


def _config_ready(connection: BaseDatabaseWrapper) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = %s", [PG_CONFIG])
        return cursor.fetchone() is not None


def refresh(ids: Collection[int] | None, connection: BaseDatabaseWrapper = default_connection) -> None:
    """Index the resources ``ids`` as stored now (gone ones leave the index); ``None`` means all."""
    if connection.vendor not in ("sqlite", "postgresql"):
        return
    if connection.vendor == "postgresql" and not _config_ready(connection):
        return  # before the registry's index made the configuration: ``migrate`` rebuilds at the end
    if ids is not None and not ids:
        return
    marks = "" if ids is None else ", ".join(["%s"] * len(ids))
    where, params = ("", []) if ids is None else (f" WHERE r.id IN ({marks})", list(ids))
    delete = f"DELETE FROM {TABLE}" + ("" if ids is None else f" WHERE rowid IN ({marks})")
    _execute(connection, delete, params)
    if connection.vendor == "sqlite":
        _execute(
            connection,
            f"INSERT INTO {TABLE}(rowid, title, body, names) SELECT * FROM ({_SOURCE}{where})",
            params,
        )
    else:
        _execute(
            connection,
            f"INSERT INTO {TABLE}(rowid, document) SELECT s.id, {_PG_DOCUMENT} FROM ({_SOURCE}{where}) s",
            params,
        )


def rebuild_library_index(connection: BaseDatabaseWrapper = default_connection) -> None:
    refresh(None, connection)


def search_scores(query: TextQuery, connection: BaseDatabaseWrapper = default_connection) -> dict[int, float]:
    """Resource id → relevance (larger is better) of every resource matching ``query``."""
    if not query:
        return {}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                f"SELECT rowid, -bm25({TABLE}, {BM25_WEIGHTS}) FROM {TABLE} "
                f"WHERE {TABLE} MATCH %s LIMIT {MAX_HITS}",
                [query.fts5()],
            )
        elif connection.vendor == "postgresql":
            tsquery, params = tsquery_sql(query)
            cursor.execute(
                f"SELECT rowid, ts_rank(document, {tsquery}) FROM {TABLE} WHERE document @@ {tsquery} "
                f"LIMIT {MAX_HITS}",
                [*params, *params],
            )
        else:
            return {}
        return {int(pk): float(score) for pk, score in cursor.fetchall()}


class _IndexWatch:
    def __init__(self) -> None:
        self.touched: set[int] = set()

    def before(self, ids: Collection[int]) -> None:
        self.touched.update(ids)

    def after(self, ids: Collection[int]) -> None:
        refresh(sorted({*self.touched, *ids}))


@contextmanager
def index_observer(repair: bool = False, held: bool = False) -> Iterator[_IndexWatch]:
    """The writer's observer (``base.observers.observe_writes("resources", index_observer)``); it indexes
    every round at once whether or not the write is ``held``."""
    yield _IndexWatch()
