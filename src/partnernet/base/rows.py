"""Records in exchange form as people may read them: the rows of a kind a person may see, the fields of
those rows they may not, and every row streamed in key order with constant memory.

The one place the API, the web's exports and search ask; each kind's rule comes from the app that owns it
(``RecordKind.visible``, ``RecordKind.redact``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.db.models import QuerySet

from partnernet.base.cleaning import Clean
from partnernet.base.registry import record_kind

CHUNK = 2000


def export_rows(kind_name: str, queryset: QuerySet[Any] | None = None, user: Any = None) -> Iterator[Clean]:
    """Rows ordered by key, then origin, fetched in chunks (related rows prefetched per chunk).

    With ``user``, the rows are those ``user`` may see, with the fields they may not see emptied: the export
    a web page or the API offers. Without, the operator's full export of the command line (pass the rows,
    ``exchange.selectors.export_queryset``).
    """
    kind = record_kind(kind_name).exchange
    if queryset is None:
        queryset = kind.queryset()
    hide = None
    if user is not None:
        queryset = visible_rows(kind_name, user, queryset)
        hide = hidden_fields(kind_name, user)
    for obj in queryset.order_by("key", "origin").iterator(chunk_size=CHUNK):
        row = kind.row(obj)
        yield hide(obj, row) if hide else row


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
