"""Delete marks: a number per table that every delete from it moves, kept by the database itself.

A *version* of a table (``base.versions``, the registry tally's fingerprint) must move whenever a row is
inserted, updated or deleted. The highest id shows inserts and the latest ``updated_at`` shows updates; a
delete shows in neither, which is why versions used to count the rows. But an exact ``COUNT(*)`` reads a
whole index: at 1,000,000 partnerships the registry page's versions counted for 20 ms on SQLite and 70 ms on
PostgreSQL, most of the request. A delete mark is read in a few microseconds instead.

The marks are moved by triggers, so a delete by any route counts - the ORM, a cascade, raw SQL, another
process:

- **SQLite**: a counter row per table in ``base_deletecount``, raised by an ``AFTER DELETE`` trigger per
  row. SQLite has one writer at a time, so the counter row costs no contention.
- **PostgreSQL**: a sequence per table, advanced by a statement-level ``AFTER DELETE OR TRUNCATE`` trigger.
  ``nextval`` never waits for another transaction and never deadlocks; a delete that is rolled back still
  moves the mark, which only makes a reader compute its figures once more.
- **MariaDB** has neither without locking a shared row in every deleting transaction, so versions count
  the rows there as before (``mark_sql`` says so).

``install`` runs after every ``migrate`` (and a test flush): it covers every table of every installed model,
the many-to-many link tables included, and is idempotent. Where a mark is missing (a table created by
other means since), ``mark_sql``'s expression falls back to counting that table's rows.
"""

# ruff: noqa: S608
# Every statement here is assembled from table names in the models' metadata (quoted by the backend) and
# this module's constants; the few values are bound, or quoted as literals where DDL takes no parameters.

from __future__ import annotations

import hashlib
from typing import Any

from django.apps import apps
from django.db import connections

COUNTERS = "base_deletecount"
"""SQLite's table of delete counters, one row per table (not a Django model: only SQLite has it)."""
FUNCTION = "pn_count_delete"
"""PostgreSQL's trigger function: advances the sequence its trigger names."""
TRIGGER = "pn_deletes"


def tables() -> list[str]:
    """Every table of an installed, managed model, link tables included, in a stable order."""
    names = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    return sorted(names)


def sequence_name(table: str) -> str:
    """The PostgreSQL sequence that marks ``table``'s deletes (identifiers are cut at 63 bytes)."""
    name = f"pn_del_{table}"
    if len(name) <= 63:
        return name
    return f"{name[:50]}_{hashlib.sha256(table.encode()).hexdigest()[:12]}"


def install(using: str = "default", **_: Any) -> None:
    """Create the marks and their triggers for every table that lacks them (``post_migrate``)."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        _install_sqlite(connection, tables())
    elif connection.vendor == "postgresql":
        _install_postgresql(connection, tables())


def _install_sqlite(connection: Any, names: list[str]) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {COUNTERS} "
            '("table" varchar(200) NOT NULL PRIMARY KEY, deletes integer NOT NULL DEFAULT 0)'
        )
        cursor.executemany(
            f'INSERT OR IGNORE INTO {COUNTERS} ("table", deletes) VALUES (%s, 0)', [(n,) for n in names]
        )
        for name in names:
            # Names come from the models' metadata; the counter's key is bound as a literal because a
            # trigger's body cannot take parameters, so it is quoted as an SQL string here.
            literal = "'" + name.replace("'", "''") + "'"
            cursor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {quote(f'{TRIGGER}_{name}')} AFTER DELETE ON {quote(name)} "
                f'BEGIN UPDATE {COUNTERS} SET deletes = deletes + 1 WHERE "table" = {literal}; END'
            )


def _install_postgresql(connection: Any, names: list[str]) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN PERFORM nextval(TG_ARGV[0]::regclass); RETURN NULL; END $$"
        )
        for name in names:
            sequence = sequence_name(name)
            cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {quote(sequence)}")
            # A sequence never advanced has no last value; give it one, so that a missing mark (NULL) is
            # told apart from a table no one has deleted from yet.
            cursor.execute(f"SELECT is_called FROM {quote(sequence)}")
            if not cursor.fetchone()[0]:
                cursor.execute("SELECT nextval(%s::regclass)", [quote(sequence)])
            # A trigger's arguments are literals (DDL takes no parameters): the sequence's quoted name, as
            # an SQL string.
            argument = "'" + quote(sequence).replace("'", "''") + "'"
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER {TRIGGER} AFTER DELETE OR TRUNCATE ON {quote(name)} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}({argument})"
            )


def mark_sql(connection: Any, table: str) -> tuple[str, list[Any]]:
    """An SQL expression (and its parameters) that changes whenever a row of ``table`` is deleted: its delete
    mark, or its row count where the mark is missing or the database keeps none."""
    quote = connection.ops.quote_name
    count = f"(SELECT COUNT(*) FROM {quote(table)})"
    if connection.vendor == "sqlite":
        return f'COALESCE((SELECT deletes FROM {COUNTERS} WHERE "table" = %s), {count})', [table]
    if connection.vendor == "postgresql":
        # The function the ``pg_sequences`` view reads its ``last_value`` with (NULL for a sequence never
        # advanced, and here for one that is missing): asked directly, it is planned in microseconds, where
        # the view's joins took about a millisecond to plan for each table a page's version names.
        marked = "pg_sequence_last_value(to_regclass(quote_ident(%s)))"
        return f"COALESCE({marked}, {count})", [sequence_name(table)]
    return count, []


def marked_tables(connection: Any) -> set[str]:
    """The tables that have a delete mark (for checks: ``install`` should have given every table one)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f'SELECT "table" FROM {COUNTERS}')
            named = {name for (name,) in cursor.fetchall()}
            cursor.execute(
                "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [f"{TRIGGER}_%"]
            )
            return named & {name for (name,) in cursor.fetchall()}
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = %s",
                [TRIGGER],
            )
            triggered = {name for (name,) in cursor.fetchall()}
            cursor.execute(
                "SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema() "
                "AND last_value IS NOT NULL"
            )
            sequences = {name for (name,) in cursor.fetchall()}
            return {name for name in triggered if sequence_name(name) in sequences}
    return set()
