"""Keeping the database planner's statistics in step with bulk loads."""

from __future__ import annotations

from django.db import connection

BULK_ROWS = 10_000
"""Rows written at once from which an import refreshes the statistics itself."""


def refresh_planner_statistics() -> None:
    """Let the database's planner see the rows a bulk load just wrote.

    PostgreSQL's row estimates come from ``ANALYZE``; autovacuum refreshes them only after a delay, and not at
    all where it is switched off, and with estimates from an empty table the registry's filtered page picks a
    nested loop over every row (400 ms instead of 12 ms at a million partnerships). SQLite keeps no
    statistics until ``ANALYZE`` writes them: without them it chose the registry tally's unique index by its
    first column and read every theme cell for each facet (the filtered registry page and the entity page
    took half again as long at 100,000 partnerships). ``ANALYZE`` of a whole SQLite database of 100,000
    partnerships takes about 0.3 s. MariaDB's InnoDB recalculates its persistent statistics by itself once a
    tenth of a table changed.
    """
    if connection.vendor not in ("postgresql", "sqlite"):
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
