"""What an exchange kind is: its fields, how a raw row is cleaned, and how a row maps to a model.

A *clean row* holds values in exchange form (keys and codes, sorted lists, dates, numbers) — the same form
``row()`` produces from a stored object. Comparing the two is how an import tells "unchanged" from
"updated", and it is why a round trip of ``export`` then ``import`` changes nothing. Each app writes the
kinds of its own records against this shape (``directory/kinds.py`` …) and registers them in
``base.registry``; the cleaners are the one validation of fields, whichever way a record comes in.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from django.db.models import Model, QuerySet

from partnernet.base import fields as f
from partnernet.base.fields import FieldError, Raw
from partnernet.base.references import References

Clean = dict[str, Any]
Problems = list[tuple[str, str]]


class Cleaner:
    """Runs one parser per field and gathers every problem instead of stopping at the first."""

    def __init__(self, values: dict[str, Raw], required: Iterable[str]):
        self.values = values
        self.required = frozenset(required)
        self.clean: Clean = {}
        self.errors: Problems = []

    def take(self, name: str, parse: Callable[[Raw], Any]) -> None:
        raw = self.values.get(name)
        if name in self.required and f.is_empty(raw):
            self.errors.append((name, "is required"))
            return
        try:
            self.clean[name] = parse(raw)
        except FieldError as error:
            self.errors.append((name, str(error)))

    def each(self, name: str, parse: Callable[[str], str]) -> None:
        """Resolve every item of a cleaned list field (such as entity keys), reporting each unknown one."""
        if name not in self.clean:
            return
        good: list[str] = []
        for item in self.clean[name]:
            try:
                good.append(parse(item))
            except FieldError as error:
                self.errors.append((name, str(error)))
        self.clean[name] = sorted(good)

    def check(self, name: str, parse: Callable[[str], str]) -> None:
        """Resolve an already-cleaned single key field, if it holds a value."""
        value = self.clean.get(name)
        if value:
            try:
                parse(value)
            except FieldError as error:
                self.errors.append((name, str(error)))
                del self.clean[name]


def key_or_empty(raw: Raw) -> str:
    return f.key(raw) if f.text(raw) else ""


def items_of(values: dict[str, Raw], name: str) -> list[str]:
    """The items of a list cell, or none when it cannot be read (the cleaner reports that)."""
    try:
        return f.items(values.get(name))
    except FieldError:
        return []


def one_of(values: dict[str, Raw], name: str) -> list[str]:
    """A single key cell as a list of the keys it names (none or one)."""
    value = f.text(values.get(name)) if not isinstance(values.get(name), list) else ""
    return [value] if value else []


def exchange_value(value: Any) -> Any:
    """A form's value in exchange form: a record by its key, a region by its code, a list or queryset of
    them as a sorted list, the rest as it is (the cleaner then checks it like any imported value)."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if hasattr(value, "key"):
        return value.key
    if hasattr(value, "code"):
        return value.code
    if isinstance(value, list | tuple | set) or hasattr(value, "model"):
        return sorted(str(exchange_value(item)) for item in value)
    return value


def region_pk(refs: References, code: str | None) -> int | None:
    return refs.regions[code].pk if code else None


class Kind(ABC):
    """One kind of record in exchange form. Subclasses list their fields and translate rows and models."""

    name: ClassVar[str]
    model: ClassVar[type[Model]]
    fields: ClassVar[tuple[str, ...]]
    required: ClassVar[frozenset[str]]
    m2m: ClassVar[dict[str, str]] = {}
    """Clean list field -> model many-to-many field."""
    export_columns: ClassVar[dict[str, str]] = {}
    """Exchange field -> the ORM lookup that reads it as ``row`` gives it (``lead`` -> ``lead__key``), so an
    export can stream plain values instead of building an object per row (``base.rows.export_rows``); list
    fields are named in ``export_lists`` instead. Empty: export builds each object and calls ``row``."""
    export_lists: ClassVar[dict[str, str]] = {}
    """List field -> the many-to-many lookup of its items (``supporters`` -> ``supporters__key``), read from
    the link table once per chunk of exported rows."""
    clean_is_row: ClassVar[bool] = False
    """True when ``row()`` of a row just inserted from a full clean row gives that clean row back value for
    value (no column the database or a writer's hook changes, an empty value read back as the cleaner
    wrote it). A bulk write then hands its clean rows to listeners (``records_created``) instead of their
    reading every row back; a test per such kind holds it to that."""

    def referenced(self, values: dict[str, Raw]) -> dict[str, list[str]]:
        """Keys of other rows this row names, by kind, so they can be resolved in bulk beforehand."""
        return {}

    @abstractmethod
    def clean(self, values: dict[str, Raw], refs: References) -> tuple[Clean, Problems]:
        """Parse one raw row into a clean row, with every (field, message) problem found."""

    @abstractmethod
    def queryset(self) -> QuerySet[Any]:
        """All stored rows of the kind, with what ``row`` reads joined or prefetched."""

    @abstractmethod
    def row(self, obj: Any) -> Clean:
        """A stored object in exchange form: the inverse of ``clean`` followed by ``assign``."""

    @abstractmethod
    def assign(self, obj: Any, clean: Clean, present: frozenset[str], refs: References) -> None:
        """Set the model fields named in ``present`` from a clean row (many-to-many links excepted)."""

    def m2m_ids(self, clean: Clean, refs: References) -> dict[str, list[int]]:
        return {}

    def prepare(self, obj: Any, refs: References) -> None:  # noqa: B027 (a hook; most kinds need none)
        """Derive columns that follow from the assigned ones, before the row is saved (none by default)."""
