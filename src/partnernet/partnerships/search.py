"""Full-text search of the registry: the index the database keeps, and the SQL expressions that read it.

What is searched: a partnership's title, its description, and the names of its lead entity and of its partner
institutions — people look a partnership up by the museum or the chapter as often as by its title.

- **SQLite**: an FTS5 table ``partnerships_search(title, description, names)`` whose rowid is the
  partnership's id, tokenised by ``unicode61`` with diacritics removed and combining marks kept inside words
  (so Devanagari or Arabic words stay whole). Ranked by BM25 with the title weighing most.
- **MariaDB**: an InnoDB table with FULLTEXT indexes, kept by triggers (``search_mariadb.py``).
- **PostgreSQL**: a table ``partnerships_search(rowid, document tsvector)`` with a GIN index. The text search
  configuration ``partnernet_search`` is ``simple`` (no stemming, no stop words) plus ``unaccent`` when that
  extension can be installed, so both engines fold case and diacritics alike. Ranked by ``ts_rank`` with the
  title weighted A, names B, description C.

Both tokenisations are language-agnostic on purpose: titles come in every language of the movement, and a
stemmer or stop-word list for one of them would mangle the others.

Database triggers keep the index exact on every write, whichever code wrote it (services, imports,
``generate``, federation, the admin, raw SQL): a partnership inserted, changed (title, description, lead) or
deleted; a partner linked or unlinked; a partner or an entity renamed.

One SQLite hazard is handled with ``migrate``'s signals (``apps.py``): Django changes a SQLite table by
copying it into a new table, dropping the old one and renaming the copy. Dropping a table drops its
triggers, and renaming fails while any trigger's body names a table that is missing at that moment. So
before ``migrate`` applies migrations of the apps whose tables the triggers name, the triggers are dropped
(``pause_search_triggers``); when it is done they are made again and the index refilled
(``resume_search_triggers``). PostgreSQL alters tables in place and keeps its triggers throughout.
"""
# ruff: noqa: S608
# Every statement in this module is assembled from its own constants (table, trigger and function names);
# the only values from outside, the search terms, are always passed as parameters.

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Expression, FloatField, Lookup
from django.db.models.sql.compiler import SQLCompiler

from partnernet.core.search import TextQuery
from partnernet.partnerships import search_mariadb
from partnernet.partnerships.search_triggers import (
    PG_CONFIG,
    PG_DOCUMENT,
    PG_FUNCTIONS,
    PG_RETIRED_FUNCTIONS,
    PG_RETIRED_TRIGGERS,
    PG_TRIGGERS,
    PG_UNCHANGED_TRIGGERS,
    SAMPLE_CREATE,
    SAMPLE_KEY,
    SAMPLE_TABLE,
    SAMPLE_TIER,
    SQLITE_CREATE,
    SQLITE_TRIGGERS,
    TABLE,
    sample_bucket_sql,
    sample_id_sql,
    sample_key_sql,
    sqlite_names,
)

WATCHED_APPS = frozenset({"partnerships", "directory"})
"""Apps whose tables the triggers name (see the module docstring)."""
BM25_WEIGHTS = "10.0, 1.0, 4.0"
"""Title, description, names: the title says most about a partnership, then the names."""


def sample_bucket(pk: int) -> int:
    """``sample_bucket_sql`` in Python (for tests and for anyone checking an estimate)."""
    return ((pk * 2654435761) % 4294967296) // 4194304


PG_SAMPLE_INDEX = f"CREATE INDEX IF NOT EXISTS {TABLE}_sample ON {TABLE} (({sample_bucket_sql('rowid')}))"
"""PostgreSQL finds a sample's hits by this index (a few thousand rows) instead of testing every document
(0.2 s at a million); SQLite reads a sample from its own table of the first buckets (``SAMPLE_TABLE``)."""
PG_SAMPLED_TIERS = (8, SAMPLE_TIER)
"""PostgreSQL: full-text indexes of the rows of the first 8 and the first ``SAMPLE_TIER`` buckets only
(``PG_SAMPLED_INDEXES``). A sample of up to that many buckets intersects the bucket index with the hits of
the smallest that holds it, not the whole index's: at a million rows, two words found together in 180,000
take 2 ms instead of 31, a word in 340,000 0.3 ms instead of 30. The planner picks the one its costs favour;
with only the larger, it took the whole index for the commonest words."""
PG_SAMPLED_INDEXES = tuple(
    f"CREATE INDEX IF NOT EXISTS {TABLE}_sampled_{tier} ON {TABLE} USING gin (document) "
    f"WHERE {sample_bucket_sql('rowid')} < {tier}"
    for tier in PG_SAMPLED_TIERS
)


_SQLITE_TABLES = (SQLITE_CREATE, SAMPLE_CREATE)


def _execute(connection: BaseDatabaseWrapper, *statements: str) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _table_exists(connection: BaseDatabaseWrapper, name: str) -> bool:
    with connection.cursor() as cursor:
        return name in connection.introspection.table_names(cursor)


def _sqlite_triggers(connection: BaseDatabaseWrapper) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'partnerships_search_%'"
        )
        return {row[0] for row in cursor.fetchall()}


def _pg_triggers(connection: BaseDatabaseWrapper) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'partnerships_search_%'")
        return {row[0] for row in cursor.fetchall()}


def _pg_drop_triggers() -> list[str]:
    """Drop every trigger of the index, retired ones included, and the retired functions."""
    triggers = {name: table for name, (table, _) in PG_TRIGGERS.items()} | PG_RETIRED_TRIGGERS
    return [
        *(f"DROP TRIGGER IF EXISTS {name} ON {table}" for name, table in triggers.items()),
        f"DROP FUNCTION IF EXISTS {', '.join(PG_RETIRED_FUNCTIONS)}",
    ]


def _pg_function_names() -> list[str]:
    """Each function ``PG_FUNCTIONS`` makes, with its argument types, as ``DROP FUNCTION`` names it."""
    names = []
    for statement in PG_FUNCTIONS:
        head = statement.split("FUNCTION", 1)[1].split("RETURNS", 1)[0].strip()
        name, arguments = head.split("(", 1)
        types = [argument.split()[-1] for argument in arguments.rstrip(")").split(",") if argument.strip()]
        names.append(f"{name}({', '.join(types)})")
    return names


def _pg_configure(connection: BaseDatabaseWrapper) -> None:
    """The text search configuration: ``simple``, plus ``unaccent`` when the extension can be installed."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = %s", [PG_CONFIG])
        if cursor.fetchone():
            return
        try:
            with transaction.atomic(using=connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
            unaccent = True
        except Exception:  # no such extension, or no right to install it: plain 'simple'
            unaccent = False
        cursor.execute(f"CREATE TEXT SEARCH CONFIGURATION {PG_CONFIG} (COPY = simple)")
        if unaccent:
            cursor.execute(
                f"ALTER TEXT SEARCH CONFIGURATION {PG_CONFIG} ALTER MAPPING FOR "
                "word, hword, hword_part, asciiword, asciihword, hword_asciipart WITH unaccent, simple"
            )


def ensure_search_index(connection: BaseDatabaseWrapper) -> bool:
    """Make the index and any missing trigger; refill the index when something was missing.

    Returns whether it refilled. Cheap when all is in place (one catalogue query), so it runs after every
    ``migrate``.
    """
    if connection.vendor == "sqlite":
        if connection.alias in _PAUSED:
            # Inside a ``migrate`` whose later migrations may remake the tables the triggers name: make the
            # table now, and the triggers and its rows when the run is over (``resume_search_triggers``).
            _execute(
                connection,
                *(sql.replace("CREATE", "CREATE VIRTUAL TABLE IF NOT EXISTS", 1) for sql in _SQLITE_TABLES),
            )
            return False
        missing = set(SQLITE_TRIGGERS) - _sqlite_triggers(connection)
        if not missing and _table_exists(connection, TABLE) and _table_exists(connection, SAMPLE_TABLE):
            return False
        _execute(
            connection, *(f"CREATE TRIGGER IF NOT EXISTS {name} {SQLITE_TRIGGERS[name]}" for name in missing)
        )
    elif connection.vendor == "postgresql":
        present = _pg_triggers(connection)
        missing = set(PG_TRIGGERS) - present
        indexed = _table_exists(connection, TABLE)
        if not missing and indexed:
            _execute(connection, PG_SAMPLE_INDEX, *PG_SAMPLED_INDEXES)
            return False
        # An index kept by the retired row-level triggers up to now needs no refill, only the new triggers.
        kept_in_step = indexed and {*PG_RETIRED_TRIGGERS, *PG_UNCHANGED_TRIGGERS} <= present
        _pg_configure(connection)
        _execute(
            connection,
            f"CREATE TABLE IF NOT EXISTS {TABLE} (rowid bigint PRIMARY KEY, document tsvector NOT NULL)",
            PG_SAMPLE_INDEX,
            *PG_SAMPLED_INDEXES,
            *PG_FUNCTIONS,
            *_pg_drop_triggers(),
            *(f"CREATE TRIGGER {name} {body}" for name, (_, body) in PG_TRIGGERS.items()),
        )
        if kept_in_step:
            return False
    elif connection.vendor == "mysql":
        if not search_mariadb.ensure(connection, _table_exists(connection, TABLE)):
            return False
    else:
        return False
    rebuild_search_index(connection)
    return True


def rebuild_search_index(connection: BaseDatabaseWrapper) -> None:
    """Index every partnership from scratch (a new index, or one whose triggers were off for a while)."""
    if connection.vendor == "sqlite":
        _execute(
            connection,
            f"DROP TABLE IF EXISTS {TABLE}",
            f"DROP TABLE IF EXISTS {SAMPLE_TABLE}",
            *(sql.replace("CREATE", "CREATE VIRTUAL TABLE", 1) for sql in _SQLITE_TABLES),
            f"INSERT INTO {TABLE}(rowid, title, description, names) "
            # Not ``p``: the names' subqueries call their own partnership ``p``, which would shadow it.
            f"SELECT pt.id, pt.title, pt.description, {sqlite_names('pt.id')} "
            "FROM partnerships_partnership pt",
            f"INSERT INTO {SAMPLE_TABLE}(rowid, title, description, names) "
            f"SELECT {sample_key_sql('rowid')}, title, description, names FROM {TABLE} "
            f"WHERE {sample_bucket_sql('rowid')} < {SAMPLE_TIER}",
            f"INSERT INTO {TABLE}({TABLE}) VALUES ('optimize')",
            f"INSERT INTO {SAMPLE_TABLE}({SAMPLE_TABLE}) VALUES ('optimize')",
        )
    elif connection.vendor == "postgresql":
        document = PG_DOCUMENT.format(
            cfg=PG_CONFIG, title="p.title", description="p.description", lead="e.name", names="n.names"
        )
        _execute(
            connection,
            f"DROP INDEX IF EXISTS {TABLE}_document",
            *(f"DROP INDEX IF EXISTS {TABLE}_sampled_{tier}" for tier in PG_SAMPLED_TIERS),
            f"TRUNCATE {TABLE}",
            f"INSERT INTO {TABLE}(rowid, document) SELECT p.id, {document} "
            "FROM partnerships_partnership p LEFT JOIN directory_entity e ON e.id = p.lead_id "
            "LEFT JOIN (SELECT pp.partnership_id, string_agg(pa.name, ' ') AS names "
            "FROM partnerships_partnership_partners pp JOIN directory_partner pa ON pa.id = pp.partner_id "
            "GROUP BY pp.partnership_id) n ON n.partnership_id = p.id",
            f"CREATE INDEX {TABLE}_document ON {TABLE} USING gin (document)",
            *PG_SAMPLED_INDEXES,
            f"ANALYZE {TABLE}",
        )
    elif connection.vendor == "mysql":
        search_mariadb.rebuild(connection)


_PAUSED: set[str] = set()
"""Aliases of the SQLite connections whose search triggers are off while ``migrate`` runs."""


def pause_search_triggers(connection: BaseDatabaseWrapper) -> None:
    """Before migrations that may remake the tables the triggers name (SQLite): drop the triggers, and
    keep them off until ``resume_search_triggers`` — even the migration that makes the index leaves them off.
    """
    if connection.vendor == "sqlite":
        _PAUSED.add(connection.alias)
        _execute(connection, *(f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS))


def resume_search_triggers(connection: BaseDatabaseWrapper) -> bool:
    """After ``migrate``: make the missing triggers and refill the index, if there is an index (it is not
    there before its migration, or after that migration was reversed). Returns whether it refilled."""
    _PAUSED.discard(connection.alias)
    if not _table_exists(connection, TABLE):
        return False
    return ensure_search_index(connection)


def drop_search_index(connection: BaseDatabaseWrapper) -> None:
    """Undo ``ensure_search_index`` (the migration's reverse)."""
    if connection.vendor == "sqlite":
        _execute(
            connection,
            *(f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS),
            f"DROP TABLE IF EXISTS {TABLE}",
            f"DROP TABLE IF EXISTS {SAMPLE_TABLE}",
        )
    elif connection.vendor == "postgresql":
        _execute(
            connection,
            *_pg_drop_triggers(),
            f"DROP TABLE IF EXISTS {TABLE}",
            f"DROP FUNCTION IF EXISTS {', '.join(_pg_function_names())}",
            f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {PG_CONFIG}",
        )
    elif connection.vendor == "mysql":
        search_mariadb.drop(connection)


class SearchDocumentField(models.Field[Any, Any]):
    """A partnership's indexed text: FTS5's hidden table column on SQLite, a ``tsvector`` on PostgreSQL.

    Only ever compared with ``matches`` or ranked with ``TextRelevance``; never read.
    """

    def db_type(self, connection: BaseDatabaseWrapper) -> str | None:
        return "tsvector" if connection.vendor == "postgresql" else None


def tsquery_sql(query: TextQuery) -> tuple[str, list[str]]:
    """The terms as a tsquery, built from parameters only: each word or phrase must match."""
    parts: list[str] = []
    params: list[str] = []
    for term in query.terms:
        if term.prefix:
            parts.append(f"to_tsquery('{PG_CONFIG}', %s)")
            params.append(f"'{term.words[0]}':*")
        else:
            parts.append(f"phraseto_tsquery('{PG_CONFIG}', %s)")
            params.append(" ".join(term.words))
    return "(" + " && ".join(parts) + ")", params


SQLParams = tuple[str, tuple[Any, ...]]


def _sqlite_table_column(compiler: SQLCompiler, document: Any) -> str:
    """FTS5's hidden column named after the table, under the alias the query gave the joined table."""
    quote = compiler.quote_name_unless_alias
    return f"{quote(document.alias)}.{quote(TABLE)}"


def pg_hits_in_buckets(query: TextQuery, buckets: int, connection: BaseDatabaseWrapper) -> int:
    """PostgreSQL: how many of the index's rows in the first ``buckets`` sample buckets match ``query``.

    The bucket's rows are read first, by the sample index (``MATERIALIZED`` keeps them a set of their
    own), and each is tested. Left to itself the planner intersects them with the word's whole list of
    hits from the full-text index, which for a common word is most of the work: at a million partnerships
    20 to 80 ms, against 9 to 13 ms for eight buckets read and tested."""
    tsquery, params = tsquery_sql(query)
    bucket = sample_bucket_sql("rowid", escaped=True)
    sql = (
        f"WITH sampled AS MATERIALIZED (SELECT document FROM {TABLE} WHERE {bucket} < %s) "
        f"SELECT COUNT(*) FROM sampled WHERE document @@ {tsquery}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (buckets, *params))
        return int(cursor.fetchone()[0])


def sqlite_sample_hits_sql(query: TextQuery, buckets: int) -> tuple[str, tuple[Any, ...]]:
    """SQLite: SQL for the partnership ids (as ``hit``) of the hits of ``query`` in the first ``buckets``
    sample buckets (at most ``SAMPLE_TIER``), read from the sample table as one range of its rowids."""
    if not 0 < buckets <= SAMPLE_TIER:
        raise ValueError(f"the sample table holds {SAMPLE_TIER} buckets, not {buckets}")
    sql = (
        f"SELECT {sample_id_sql('rowid', escaped=True)} AS hit FROM {SAMPLE_TABLE} "
        f"WHERE {SAMPLE_TABLE} MATCH %s AND rowid < %s"
    )
    return sql, (query.fts5(), buckets * SAMPLE_KEY)


def sqlite_sample_hits(query: TextQuery, connection: BaseDatabaseWrapper, buckets: int = SAMPLE_TIER) -> int:
    """SQLite: how many hits of ``query`` the first ``buckets`` sample buckets hold (``SAMPLE_TABLE``)."""
    sql, params = sqlite_sample_hits_sql(query, buckets)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql})", params)
        return int(cursor.fetchone()[0])


WINDOWS = 4
"""Ranges of ids ``sqlite_hits_in_windows`` counts a term's hits in."""
WINDOW = 4096
"""Ids in each of them: a few hits even for a word in one row of a hundred, read in well under a
millisecond (FTS5 seeks to a range of rowids in a term's list of hits)."""


def sqlite_hits_in_windows(query: TextQuery, connection: BaseDatabaseWrapper, top: int) -> int:
    """SQLite: the hits of ``query`` among ``WINDOWS`` ranges of ``WINDOW`` ids spread evenly up to ``top``
    (the highest id), a rough and cheap measure of how common its words are; every hit when ``top`` is
    smaller than the windows together. Only ever used to order the questions asked of the index, where a
    wrong guess costs time and nothing else: ranges of consecutive ids are no fair sample of the hits
    (rows imported together are alike), which is why the facets' sample hashes ids instead."""
    if top <= WINDOWS * WINDOW:
        ranges = [(0, top)]
    else:
        step = top // WINDOWS
        ranges = [(1 + n * step, n * step + WINDOW) for n in range(WINDOWS)]
    count = f"(SELECT COUNT(*) FROM {TABLE} WHERE {TABLE} MATCH %s AND rowid BETWEEN %s AND %s)"
    params: list[Any] = []
    for first, last in ranges:
        params.extend((query.fts5(), first, last))
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + " + ".join([count] * len(ranges)), params)
        return int(cursor.fetchone()[0])


@SearchDocumentField.register_lookup
class Matches(Lookup[Any]):
    """``text__document__matches=TextQuery(...)``: the partnership's text has every term."""

    lookup_name = "matches"
    prepare_rhs = False

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> SQLParams:
        query: TextQuery = self.rhs
        if connection.vendor == "sqlite":
            return f"{_sqlite_table_column(compiler, self.lhs)} MATCH %s", (query.fts5(),)
        if connection.vendor == "mysql":
            return search_mariadb.matches(compiler.quote_name_unless_alias(self.lhs.alias), query)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        tsquery, params = tsquery_sql(query)
        return f"{lhs} @@ {tsquery}", (*lhs_params, *params)


class TextRelevance(Expression):
    """How well a matched partnership fits the query, larger is better (valid only next to ``matches``)."""

    output_field = FloatField()

    def __init__(self, document: Any, query: TextQuery) -> None:
        super().__init__()
        self.document = document
        self.query = query

    def get_source_expressions(self) -> list[Any]:
        return [self.document]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.document,) = exprs

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> SQLParams:
        if connection.vendor == "sqlite":
            return f"(-bm25({_sqlite_table_column(compiler, self.document)}, {BM25_WEIGHTS}))", ()
        if connection.vendor == "mysql":
            return search_mariadb.relevance(compiler.quote_name_unless_alias(self.document.alias), self.query)
        document, params = compiler.compile(self.document)
        tsquery, query_params = tsquery_sql(self.query)
        return f"ts_rank({document}, {tsquery})", (*params, *query_params)
