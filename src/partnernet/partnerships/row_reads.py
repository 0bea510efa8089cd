"""How a list's rows are read where the database's own plan would walk too far or read too much.

PostgreSQL plans from statistics that assume matching rows are spread evenly along an ordering index; where
they are not (a narrow filter, a big supporter's list), a walk of that index reads far more rows than the page
shows. These readers find the rows first and sort them (``found_then_sorted``), or walk a bounded prefix of
the order (``walked_newest``), and then read the page's rows by id with only what a list shows
(``rows_of``). The selectors choose between them.
"""
# ruff: noqa: S608
# The statements here wrap SQL the ORM compiled; orders are fixed aliases and every value is a parameter.

from __future__ import annotations

from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import F, QuerySet

from partnernet.partnerships.models import Partnership

REGISTRY_COLUMNS = (
    *("key", "title", "origin", "is_demo", "status", "start", "visibility"),
    *("lead__key", "lead__name", "type__key", "type__name", "type__labels", "region__code", "region__name"),
)
"""What a registry row shows (``templatetags/registry.py``): its page's rows load nothing else."""


def rows_of(ids: list[int]) -> list[Partnership]:
    """The partnerships with these ids, in this order, with what a list of them shows (and nothing else:
    their other columns, converted for a hundred rows, were a third of an entity page's time)."""
    rows = Partnership.objects.order_by().select_related("type", "region", "lead").only(*REGISTRY_COLUMNS)
    found = rows.in_bulk(ids)  # in the order given, not sorted by the database
    return [found[pk] for pk in ids if pk in found]


def found_then_sorted(
    rows: QuerySet[Partnership], order: tuple[str, ...], offset: int, limit: int
) -> list[int]:
    """The ids of ``rows`` in ``order`` (field names, ``-`` for descending), ``limit`` of them from
    ``offset``: on PostgreSQL the rows are found first, in a subquery that ``OFFSET 0`` has planned on its
    own, and only then sorted, so that no plan walks an ordering index past rows the filter rejects."""
    columns = {f"s_{n}": F(name.lstrip("-")) for n, name in enumerate(order)}
    inner = rows.order_by().values(s_id=F("pk"), **columns)
    try:
        sql, params = inner.query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing (a region with no places): no statement
        return []
    fence = " OFFSET 0" if connections[rows.db].vendor == "postgresql" else ""
    ordering = ", ".join(f"s_{n}{' DESC' if name.startswith('-') else ''}" for n, name in enumerate(order))
    # The inner statement is the ORM's; the order is made of fixed aliases; limit and offset are bound.
    outer = f"SELECT s_id FROM ({sql}{fence}) found ORDER BY {ordering} LIMIT %s OFFSET %s"
    with connections[rows.db].cursor() as cursor:
        cursor.execute(outer, (*params, limit, offset))
        return [row[0] for row in cursor.fetchall()]


def walked_newest(
    visible: QuerySet[Partnership], among: QuerySet[Any], bound: int, limit: int
) -> list[int] | None:
    """The ids of the ``limit`` newest of ``visible`` whose ids are ``among`` (a one-column query), found
    by walking at most the ``bound`` newest visible rows; ``None`` when fewer are met there.

    The first ``limit`` met in the newest ``bound`` are the first ``limit`` of all, so a full answer is
    exact. A walk costs about what a sort of as many rows does: bounded by the rows a sort would read, it
    never costs more than twice the sort, for a supporter whose partnerships are all old."""
    newest = visible.order_by("-start", "title", "pk").values(
        w_id=F("pk"), w_start=F("start"), w_title=F("title")
    )
    try:
        walk_sql, walk_params = newest[:bound].query.sql_with_params()
        among_sql, among_params = among.query.sql_with_params()
    except EmptyResultSet:
        return None
    # Both statements are the ORM's; the order is the walk's own, by fixed aliases; the limit is bound.
    sql = (
        f"SELECT w_id FROM ({walk_sql}) w WHERE w_id IN ({among_sql}) "
        "ORDER BY w_start DESC, w_title, w_id LIMIT %s"
    )
    with connections[visible.db].cursor() as cursor:
        cursor.execute(sql, (*walk_params, *among_params, limit))
        found = [row[0] for row in cursor.fetchall()]
    return found if len(found) == limit else None


class FewRows:
    """A filtered registry's rows for the paginator when they are few (``search_rows.FEW_ROWS``): each page's
    ids found and then sorted in ``order`` (``found_then_sorted``), then read with what the table shows."""

    def __init__(self, rows: QuerySet[Partnership], order: tuple[str, ...]) -> None:
        self.rows = rows
        self.order = order

    def count(self) -> int:
        return self.rows.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Partnership]:
        start = window.start or 0
        stop = window.stop if window.stop is not None else self.count()
        return rows_of(found_then_sorted(self.rows, self.order, start, max(0, stop - start)))
