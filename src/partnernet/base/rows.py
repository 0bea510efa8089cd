"""Records in exchange form as people may read them: the rows of a kind a person may see, the fields of
those rows they may not, and every row streamed in key order with constant memory.

The one place the API, the web's exports and search ask; each kind's rule comes from the app that owns it
(``RecordKind.visible``, ``RecordKind.redact``).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Mapping
from itertools import islice
from typing import Any

from django.db import connections
from django.db.models import (
    CharField,
    DateField,
    F,
    Field,
    Func,
    JSONField,
    ManyToManyField,
    Model,
    QuerySet,
    TextField,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast

from partnernet.base.cleaning import Clean, Kind
from partnernet.base.registry import record_kind

CHUNK = 2000


def export_rows(kind_name: str, queryset: QuerySet[Any] | None = None, user: Any = None) -> Iterator[Clean]:
    """Rows ordered by key, then origin, fetched in chunks.

    With ``user``, the rows are those ``user`` may see, with the fields they may not see emptied: the export
    a web page or the API offers. Without, the operator's full export of the command line (pass the rows,
    ``exchange.selectors.export_queryset``).

    A kind that names its ``export_columns`` is streamed as plain values (``value_rows``): building a model
    object, its joined rows and its prefetch caches for every row made an export of 50,000 partnerships
    twenty times slower than the SQL behind it. Kinds without them, and rows a redaction must look at as
    objects, go through ``Kind.row``; both give the same clean rows. A CSV file is written faster from
    ``export_cells``.
    """
    record = record_kind(kind_name)
    kind = record.exchange
    if queryset is None:
        queryset = kind.queryset()
    hide = None
    if user is not None:
        queryset = visible_rows(kind_name, user, queryset)
        if record.redact is not None:
            hide = record.redact(user)
    ordered = queryset.order_by("key", "origin")
    if kind.export_columns and hide is None:
        yield from value_rows(kind, ordered)
        return
    for obj in ordered.iterator(chunk_size=CHUNK):
        row = kind.row(obj)
        yield hide(obj, row) if hide else row


def export_cells(kind_name: str, queryset: QuerySet[Any]) -> Iterator[tuple[Any, ...]] | None:
    """The rows ``export_rows`` gives without a user, as CSV cells: one tuple per row in the kind's field
    order, read by one streaming statement. None where that cannot be done, and ``export_rows`` is written
    instead (``file_rows`` chooses).

    The list fields come joined by the database, in the order and with the separator ``cell_text`` joins
    them (``_LinkItems.joined``), and dates as their ISO text, so a cell's text is the one the row would
    give. Building a row dictionary and its sorted lists in Python cost as much as the statement itself
    (``benchmarks/exchange/export.py``). Only SQLite and PostgreSQL join in code-point order; other
    databases, and kinds without ``export_columns``, take ``export_rows``.
    """
    kind = record_kind(kind_name).exchange
    if not kind.export_columns or connections[queryset.db].vendor not in ("sqlite", "postgresql"):
        return None
    dates = date_fields(kind)
    quote = connections[queryset.db].ops.quote_name
    outer = f"{quote(kind.model._meta.db_table)}.{quote(_column(kind.model, kind.model._meta.pk.name))}"
    links = {name: _LinkItems(kind.model, lookup, queryset.db) for name, lookup in kind.export_lists.items()}
    if not all(link.text for link in links.values()):
        return None  # a list of numbers is sorted as text by ``cell_text``, as numbers by the database
    read: list[Any] = []
    for name in kind.fields:
        if name in links:
            joined = links[name].joined(outer)
            read.append(RawSQL(joined, ()))  # noqa: S611 -- names from the models, quoted; nothing bound
        else:
            lookup = kind.export_columns[name]
            read.append(date_text(lookup, queryset.db) if name in dates else lookup)
    ordered = queryset.prefetch_related(None).order_by("key", "origin")
    return ordered.values_list(*read).iterator(chunk_size=CHUNK)


def file_rows(kind_name: str, queryset: QuerySet[Any], fmt: str) -> tuple[Iterator[Any], bool]:
    """What a file export of ``queryset`` in ``fmt`` writes (as the operator: no user), and whether it comes
    as values in the kind's field order (CSV cells, ``export_cells``) rather than clean rows
    (``export_rows``): ``RowWriter.write_all`` and ``iter_lines`` take both."""
    cells = export_cells(kind_name, queryset) if fmt == "csv" else None
    if cells is not None:
        return cells, True
    return export_rows(kind_name, queryset), False


def value_rows(
    kind: Kind,
    queryset: QuerySet[Any],
    extra: Mapping[str, str] | None = None,
    as_text: Collection[str] = (),
) -> Iterator[Clean]:
    """The clean rows of ``queryset`` (in its order) read as values, without a model object.

    One streaming statement reads the columns (``Kind.export_columns``, joins included); each list field
    (``Kind.export_lists``) costs one statement per chunk of ``CHUNK`` rows, on its link table, for the
    rows of that chunk. Lists are sorted here, as ``Kind.row`` sorts them, so a row is the same whichever
    way it was read. ``extra`` adds columns that are not fields of the kind (name: lookup), such as the
    ``origin`` an API page shows beside the row. Date fields named in ``as_text`` are read as their ISO
    text (``date_text``) rather than converted to a Python value. Each row's keys are
    in the kind's field order, then ``extra``'s, so a caller can write it out as it comes.
    """
    scalars = [name for name in kind.fields if name not in kind.export_lists]
    missing = set(scalars) - set(kind.export_columns)
    if missing:
        raise ValueError(f"{kind.name}: no export lookup for {sorted(missing)}")
    stored_lists = [name for name in scalars if _is_stored_list(kind.model, kind.export_columns[name])]
    links = [
        (name, _LinkItems(kind.model, lookup, queryset.db)) for name, lookup in kind.export_lists.items()
    ]
    columns = {name: kind.export_columns[name] for name in scalars} | dict(extra or {})
    names = list(columns)
    order = [*kind.fields, *(extra or {})]
    read = [date_text(lookup, queryset.db) if name in as_text else lookup for name, lookup in columns.items()]
    values = queryset.prefetch_related(None).values_list("pk", *read).iterator(chunk_size=CHUNK)
    while chunk := list(islice(values, CHUNK)):
        ids = [values_row[0] for values_row in chunk]
        items = [(name, link.of(ids)) for name, link in links]
        for values_row in chunk:
            row: Clean = dict.fromkeys(order)
            row.update(zip(names, values_row[1:], strict=True))
            for name in stored_lists:
                row[name] = sorted(row[name])
            for name, found in items:
                row[name] = sorted(found.get(values_row[0], ()))
            yield row


def date_fields(kind: Kind) -> list[str]:
    """The kind's fields stored in a date column of its own table, which ``value_rows`` can read as text
    (a date and time is not among them: its text differs by database)."""
    model = kind.model
    return [
        name
        for name, lookup in kind.export_columns.items()
        if "__" not in lookup and type(model._meta.get_field(lookup)) is DateField
    ]


def date_text(lookup: str, using: str) -> Any:
    """A date column read as its ISO text (``YYYY-MM-DD``, what ``date.isoformat`` writes). SQLite stores
    that text; PostgreSQL formats it with ``to_char``, because a cast would follow the server's
    ``DateStyle`` (``17/03/2024`` under ``SQL, DMY``)."""
    if connections[using].vendor == "postgresql":
        return Func(F(lookup), Value("YYYY-MM-DD"), function="to_char", output_field=CharField())
    return Cast(lookup, CharField())


def _is_stored_list(model: type[Model], lookup: str) -> bool:
    """A column of the row's own table holding a JSON list (``languages``), which ``Kind.row`` sorts."""
    return "__" not in lookup and isinstance(model._meta.get_field(lookup), JSONField)


class _LinkItems:
    """The items of one many-to-many list field (``supporters__key``) for given rows, by row id: one
    statement on the link table joined to the items' table, for a chunk of rows at once.

    The statement is written out from the models' metadata rather than built by the ORM for each chunk: with
    the ORM, preparing the ``IN`` list value by value cost four times the query itself. On SQLite and
    PostgreSQL the database gathers the chunk's items into one JSON object (row id: its items), which one
    ``json.loads`` reads in C: fetching and appending every pair in Python was a third of an API page's time.
    JSON keeps any character an item holds. The row ids are integers (the object's keys are their text).
    """

    def __init__(self, model: type[Model], lookup: str, using: str):
        name, attribute = lookup.split("__", 1)
        field = model._meta.get_field(name)
        if not isinstance(field, ManyToManyField):
            raise ValueError(f"{model.__name__}.{name} is not a many-to-many field")
        through: type[Model] = field.remote_field.through  # type: ignore[assignment]
        target: type[Model] = field.remote_field.model
        self.connection = connections[using]
        quote = self.connection.ops.quote_name
        source = quote(_column(through, field.m2m_field_name()))
        item = f"t.{quote(_column(target, attribute))}"
        joined = (
            f"FROM {quote(through._meta.db_table)} l JOIN {quote(target._meta.db_table)} t "
            f"ON t.{quote(_column(target, target._meta.pk.name))} "
            f"= l.{quote(_column(through, field.m2m_reverse_field_name()))} "
        )
        # Names from the models, quoted by the backend; the row ids are bound (``of``).
        self.source, self.item, self.joins = source, item, joined
        self.text = isinstance(target._meta.get_field(attribute), CharField | TextField)
        self.gathered = self.connection.vendor in ("sqlite", "postgresql")
        if self.connection.vendor == "sqlite":
            self.select = (
                f"SELECT json_group_object(parent, json(items)) FROM (SELECT l.{source} AS parent, "  # noqa: S608
                f"json_group_array({item}) AS items {joined}WHERE l.{source} IN ("
            )
            self.end = f") GROUP BY l.{source})"
        elif self.connection.vendor == "postgresql":
            self.select = (
                f"SELECT json_object_agg(parent, items)::text FROM (SELECT l.{source} AS parent, "  # noqa: S608
                f"json_agg({item}) AS items {joined}WHERE l.{source} IN ("
            )
            self.end = f") GROUP BY l.{source}) gathered"
        else:
            self.select = f"SELECT l.{source}, {item} {joined}WHERE l.{source} IN ("
            self.end = ")"

    def joined(self, outer: str) -> str:
        """The items of the row whose id is ``outer`` (a column of the enclosing statement) as one text,
        sorted by code point and joined by ``;`` as ``cell_text`` joins a list; NULL when there are none.
        SQLite 3.40 has no ordered aggregate, so it joins the rows of a sorted subquery, in their order."""
        where = f"WHERE l.{self.source} = {outer}"
        if self.connection.vendor == "postgresql":
            ordered = f'{self.item} COLLATE "C"'
            return f"(SELECT string_agg({self.item}, ';' ORDER BY {ordered}) {self.joins}{where})"
        return (
            f"(SELECT group_concat(item, ';') FROM (SELECT {self.item} AS item {self.joins}{where} "  # noqa: S608
            f"ORDER BY {self.item}))"
        )

    def of(self, ids: list[Any]) -> dict[Any, list[Any]]:
        sql = self.select + ", ".join(["%s"] * len(ids)) + self.end
        with self.connection.cursor() as cursor:
            cursor.execute(sql, ids)
            if self.gathered:
                found = cursor.fetchone()[0]
                return {int(parent): items for parent, items in json.loads(found).items()} if found else {}
            items: dict[Any, list[Any]] = defaultdict(list)
            for parent, item in cursor.fetchall():
                items[parent].append(item)
            return items


def _column(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    if not isinstance(field, Field) or not field.column:
        raise ValueError(f"{model.__name__}.{name} is not a column")
    return field.column


def visible_rows(kind_name: str, user: Any, queryset: QuerySet[Any] | None = None) -> QuerySet[Any]:
    """Rows of a kind that ``user`` may see: the one filter the API, web exports and search apply.

    Each kind's owning app registered its rule (``RecordKind.visible``): entities, partners and
    stewardships are public directory data; partnerships follow their visibility and support requests their
    parties.
    """
    kind = record_kind(kind_name)
    rows = kind.exchange.queryset() if queryset is None else queryset
    return kind.visible(user, rows)


def hidden_fields(kind_name: str, user: Any) -> Callable[[Any, Clean], Clean]:
    """Empties the fields of a visible row that name something ``user`` may not see (``RecordKind.redact``:
    a request shows, the key of a private partnership it is about does not)."""
    kind = record_kind(kind_name)
    if kind.redact is None:
        return lambda obj, row: row
    return kind.redact(user)
