"""Inserting many rows at once, for the record writers and the feed: what ``bulk_create`` does, minus the
query compiler's per-value work, which cost several times the insert itself in an import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from itertools import islice
from typing import Any
from uuid import UUID

from django.db import IntegrityError, connections, models, router
from django.db.models import Model

from partnernet.base.cleaning import Clean, Kind
from partnernet.base.references import References

BATCH = 1000

AS_IS: dict[type[models.Field[Any, Any]], type] = {
    models.CharField: str,
    models.TextField: str,
    models.IntegerField: int,
    models.BigIntegerField: int,
    models.SmallIntegerField: int,
    models.PositiveIntegerField: int,
    models.PositiveSmallIntegerField: int,
    models.PositiveBigIntegerField: int,
    models.BooleanField: bool,
}
"""Field classes whose ``get_db_prep_save`` gives a value of exactly this type back unchanged: Django's base
``get_db_prep_value`` over ``get_prep_value``, which only converts (``str()``, ``int()``, ``bool``), and for
integers the backend's ``adapt_integerfield_value`` where it changes nothing (SQLite, MariaDB). Four
calls per value made preparing the values a fifth of a bulk insert; ``tests/base/test_bulk_insert.py``
checks on each database that the shortcut gives what Django gives."""


AUTO = (models.AutoField, models.BigAutoField, models.SmallAutoField)


def preparer(field: Any, db: Any) -> Callable[[Any], Any]:
    """``field.get_db_prep_save(value, db)`` as one call, skipped for ``None`` and values that are already
    of the type a plain field of ``AS_IS`` stores (its subclasses and every other field go through it).

    A few more fields every row has take a shortcut for the one type they are nearly always given, to the
    step Django would end with: a foreign key's integer goes to its target's preparer, an automatic key's
    integer to the backend's check of it, a ``date`` or an aware ``datetime`` straight to the backend's
    adapter, a ``UUID`` to what the backend stores. Any other value goes through Django.
    """
    prepare = field.get_db_prep_save
    field_type = type(field)
    if field_type is models.ForeignKey:
        target = preparer(field.target_field, db)
        return lambda value: target(value) if type(value) is int else prepare(value, db)
    if field_type in AUTO:
        check = db.ops.validate_autopk_value
        return lambda value: check(value) if type(value) is int else prepare(value, db)
    if field_type is models.DateField:
        adapt_date = db.ops.adapt_datefield_value
        return lambda value: adapt_date(value) if type(value) is dt.date else prepare(value, db)
    if field_type is models.DateTimeField:
        adapt_stamp = db.ops.adapt_datetimefield_value
        return lambda value: (
            adapt_stamp(value)
            if type(value) is dt.datetime and value.tzinfo is not None
            else prepare(value, db)
        )
    if field_type is models.UUIDField:
        native = db.features.has_native_uuid_field
        return lambda value: (value if native else value.hex) if type(value) is UUID else prepare(value, db)
    kind = AS_IS.get(field_type)
    if kind is int and type(db.ops.adapt_integerfield_value(1, field.get_internal_type())) is not int:
        kind = None  # PostgreSQL's backend wraps integers in psycopg's sized types: leave that to Django
    if kind is None:
        return lambda value: prepare(value, db)
    return lambda value: value if value is None or type(value) is kind else prepare(value, db)


def _reader(field: Any) -> Callable[[Model], Any]:
    """``field.pre_save(obj, add=True)``: the attribute itself, unless the field sets it on save (a stamp)."""
    if type(field).pre_save is models.Field.pre_save:
        name = field.attname
        return lambda obj: getattr(obj, name)
    return lambda obj: field.pre_save(obj, True)


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
    compiler's per-value work, which cost three times the insert in an import. On PostgreSQL the keys are
    drawn from the table's sequence first and the rows sent by ``COPY``. Falls back to ``bulk_create`` where
    a backend cannot return rows from a bulk insert.
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
    if connection.vendor == "postgresql":
        _copy_objects(connection, model, fields, objs)
        return
    quote = connection.ops.quote_name
    table = quote(opts.db_table)
    pk_column = str(pk.column)
    columns = ", ".join(quote(field.column) for field in fields)
    row_marks = "(" + ", ".join("%s" for _ in fields) + ")"
    size = max(1, min(BATCH, connection.ops.bulk_batch_size(fields, objs)))
    steps = [(_reader(field), preparer(field, connection)) for field in fields]
    with connection.cursor() as cursor:
        for start in range(0, len(objs), size):
            batch = objs[start : start + size]
            params = [prepare(read(obj)) for obj in batch for read, prepare in steps]
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
    prepared statement run over all of them, on PostgreSQL one ``COPY``, on MariaDB many rows per statement;
    returns how many.

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
    preps = [preparer(field, connection) for field in fields]
    prepared = ([prep(value) for prep, value in zip(preps, row, strict=True)] for row in rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _copy(cursor, quote(model._meta.db_table), columns, prepared)
        elif connection.vendor == "sqlite":
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


def _copy_objects(connection: Any, model: type[Model], fields: list[Any], objs: Sequence[Model]) -> None:
    """PostgreSQL: the primary keys drawn from the table's sequence in one statement, then every row,
    keys included, sent by ``COPY``; the objects end as ``insert_objects`` leaves them."""
    opts = model._meta
    pk = opts.pk
    assert pk is not None
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [quote(opts.db_table), pk.column, len(objs)],
        )
        ids = sorted(value for (value,) in cursor.fetchall())
        steps = [(_reader(field), preparer(field, connection)) for field in fields]
        rows = (
            [value, *[prepare(read(obj)) for read, prepare in steps]]
            for value, obj in zip(ids, objs, strict=True)
        )
        columns = ", ".join(quote(field.column) for field in [pk, *fields])
        _copy(cursor, quote(opts.db_table), columns, rows)
    for obj, value in zip(objs, ids, strict=True):
        setattr(obj, pk.attname, value)
        obj._state.adding = False
        obj._state.db = connection.alias


def _copy(cursor: Any, table: str, columns: str, rows: Iterable[Sequence[Any]]) -> None:
    """PostgreSQL's ``COPY … FROM STDIN`` of ``rows``: no statement to parse per batch (psycopg re-parsed
    each many-row ``INSERT``, a fifth of an import's time) and the server's fastest way in."""
    with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _insert_values(cursor: Any, sql: str, marks: str, batch: list[list[Any]]) -> None:
    cursor.execute(sql + ", ".join([marks] * len(batch)), [value for values in batch for value in values])
