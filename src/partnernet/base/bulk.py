"""Inserting many rows at once, for the record writers and the feed: what ``bulk_create`` does, minus the
query compiler's per-value work, which cost several times the insert itself in an import.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice
from typing import Any

from django.db import IntegrityError, connections, router
from django.db.models import Model

from partnernet.base.cleaning import Clean, Kind
from partnernet.base.references import References

BATCH = 1000


def bulk_links(kind: Kind, rows: Iterable[tuple[Model, Clean]], refs: References) -> None:
    """The many-to-many links of rows just inserted in bulk, inserted in bulk too."""
    rows = list(rows)
    for name, field_name in kind.m2m.items():
        relation = kind.model._meta.get_field(field_name)
        through: type[Model] = relation.remote_field.through  # type: ignore[union-attr]
        source = f"{relation.m2m_field_name()}_id"  # type: ignore[union-attr]
        target = f"{relation.m2m_reverse_field_name()}_id"  # type: ignore[union-attr]
        links = [(obj.pk, target_id) for obj, clean in rows for target_id in kind.m2m_ids(clean, refs)[name]]
        insert_rows(through, (source, target), links)


def insert_objects(model: type[Model], objs: Sequence[Model]) -> None:
    """``bulk_create(objs)`` for new rows of a model with an automatic primary key, at a fraction of the cost.

    Same statement (multi-row ``INSERT … RETURNING`` the primary key, in batches the backend allows), same
    values (each concrete field's ``pre_save`` with ``add=True`` - timestamps - then ``get_db_prep_save``),
    same state afterwards (primary keys set, rows no longer ``adding``); what it leaves out is the query
    compiler's per-value work, which cost three times the insert in an import. Falls back to
    ``bulk_create`` where a backend cannot return rows from a bulk insert.
    """
    if not objs:
        return
    manager = model._default_manager
    connection = connections[router.db_for_write(model)]
    opts = model._meta
    pk = opts.pk
    if not connection.features.can_return_rows_from_bulk_insert or pk is None or not pk.auto_created:
        manager.bulk_create(objs, batch_size=BATCH)
        return
    fields: list[Any] = [field for field in opts.concrete_fields if field is not pk and not field.generated]
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="bulk_create")  # type: ignore[attr-defined]
    quote = connection.ops.quote_name
    table = quote(opts.db_table)
    pk_column = str(pk.column)
    columns = ", ".join(quote(field.column) for field in fields)
    row_marks = "(" + ", ".join("%s" for _ in fields) + ")"
    size = max(1, min(BATCH, connection.ops.bulk_batch_size(fields, objs)))
    with connection.cursor() as cursor:
        for start in range(0, len(objs), size):
            batch = objs[start : start + size]
            params = [
                field.get_db_prep_save(field.pre_save(obj, True), connection)
                for obj in batch
                for field in fields
            ]
            sql = (
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([row_marks] * len(batch))} "  # noqa: S608
                f"RETURNING {table}.{quote(pk_column)}"
            )
            cursor.execute(sql, params)
            ids = cursor.fetchall()
            if len(ids) != len(batch):
                raise IntegrityError(f"{len(batch)} rows inserted into {opts.db_table}, {len(ids)} returned")
            for obj, (value,) in zip(batch, ids, strict=True):
                setattr(obj, pk.attname, value)
                obj._state.adding = False
                obj._state.db = connection.alias


def insert_rows(model: type[Model], names: Sequence[str], rows: Sequence[Sequence[Any]]) -> int:
    """Insert plain rows of ``model`` (values for the fields ``names``, by name or attname): on SQLite one
    prepared statement run over all of them, on a server many rows per statement; returns how many.

    For rows nobody needs back as objects - many-to-many links, feed events: ``bulk_create`` builds one
    multi-row statement per batch value by value and returns primary keys, which costs several times the
    insert itself. Values go through each field's ``get_db_prep_save``, as ``bulk_create`` would send them;
    no signals, no primary keys set (the database numbers the rows).
    """
    if not rows:
        return 0
    connection = connections[router.db_for_write(model)]
    fields: list[Any] = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    marks = "(" + ", ".join("%s" for _ in fields) + ")"
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES "  # noqa: S608
    preps = [field.get_db_prep_save for field in fields]
    prepared = ([prep(value, connection) for prep, value in zip(preps, row, strict=True)] for row in rows)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # SQLite runs in this process: one prepared statement stepped over every row is the fastest.
            for _ in range(0, len(rows), BATCH * 5):
                cursor.executemany(sql + marks, list(islice(prepared, BATCH * 5)))
        else:
            # A server answers each statement: many rows per statement, as bulk_create sends them.
            size = max(1, min(BATCH, connection.ops.bulk_batch_size(fields, rows)))
            batch: list[Any] = []
            for values in prepared:
                batch.append(values)
                if len(batch) == size:
                    _insert_values(cursor, sql, marks, batch)
                    batch = []
            if batch:
                _insert_values(cursor, sql, marks, batch)
    return len(rows)


def _insert_values(cursor: Any, sql: str, marks: str, batch: list[list[Any]]) -> None:
    cursor.execute(sql + ", ".join([marks] * len(batch)), [value for values in batch for value in values])
