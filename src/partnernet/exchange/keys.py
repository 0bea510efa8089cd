"""The keys an import has seen, kept in a temporary table so that memory does not grow with the file.

An import reads its file a chunk at a time (``exchange.services``) but checks it as one file: a key given
twice is reported with the line it was first given on, and a resource may not name as its original one
that only this import created. Held in a dict, what that needs came to about 150 bytes a row (a million-row
file: 150 MB); in a temporary table of the import's own connection it costs one lookup and one insert per
chunk, and the table goes with the import's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.db import connection

from partnernet.base.inlists import listed

TABLE = "pn_import_keys"


class SeenKeys:
    """Keys of this import so far: the line each was first given on, and whether the import created it."""

    def __init__(self) -> None:
        self.table = connection.ops.quote_name(TABLE)

    def first_lines(self, keys: Sequence[str]) -> dict[str, int]:
        """Of ``keys``, those given on an earlier line of the file, with that line."""
        return dict(self._select(keys, only_created=False))

    def created(self, keys: Sequence[str]) -> set[str]:
        """Of ``keys``, those this import created."""
        return {key for key, _ in self._select(keys, only_created=True)}

    def add(self, rows: Iterable[tuple[str, int, bool]]) -> None:
        """Remember ``(key, line, created)`` for keys not seen before."""
        rows = list(rows)
        if not rows:
            return
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                columns = [list(column) for column in zip(*rows, strict=True)]
                arrays = "unnest(%s::text[], %s::integer[], %s::boolean[])"
                cursor.execute(f"INSERT INTO {self.table} SELECT * FROM {arrays}", columns)  # noqa: S608
            else:
                cursor.executemany(f"INSERT INTO {self.table} VALUES (%s, %s, %s)", rows)  # noqa: S608

    def _select(self, keys: Sequence[str], *, only_created: bool) -> list[tuple[str, int]]:
        wanted = sorted(set(keys))
        if not wanted:
            return []
        made = " AND created" if only_created else ""
        listed_sql, params = listed(wanted)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT record_key, line FROM {self.table} WHERE record_key IN ({listed_sql}){made}",  # noqa: S608
                params,
            )
            return cursor.fetchall()


@contextmanager
def seen_keys() -> Iterator[SeenKeys]:
    """A fresh, empty ``SeenKeys`` for one import; call inside the import's transaction.

    On SQLite and PostgreSQL the table's creation is part of that transaction, so a rejected import's
    rollback removes it too, and PostgreSQL could not drop it inside a failed transaction. SQLite drops it
    here whatever happened, and so does MariaDB, whose temporary tables are outside transactions.
    """
    table = connection.ops.quote_name(TABLE)
    with connection.cursor() as cursor:
        cursor.execute(_drop(table))
        cursor.execute(
            f"CREATE TEMPORARY TABLE {table} (record_key varchar(100) PRIMARY KEY, line integer NOT NULL, "
            "created boolean NOT NULL)"
        )
    ok = False
    try:
        yield SeenKeys()
        ok = True
    finally:
        if ok or connection.vendor != "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(_drop(table))


def _drop(table: str) -> str:
    """Drop the temporary table, never a stored table that happened to have its name."""
    if connection.vendor == "postgresql":
        return f"DROP TABLE IF EXISTS pg_temp.{table}"
    if connection.vendor == "mysql":
        return f"DROP TEMPORARY TABLE IF EXISTS {table}"
    return f"DROP TABLE IF EXISTS temp.{table}"
