"""Export: every row of a kind in exchange form, streamed in key order with constant memory; and what a
person may see of those rows (``visible_rows``, ``hidden_fields``), the one place the API, web exports and
search ask."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.db.models import QuerySet

from partnernet.exchange.kinds import Clean, kind_named
from partnernet.federation.models import SEED_ORIGIN
from partnernet.federation.selectors import instance_id

CHUNK = 2000


def export_queryset(kind_name: str, origin: str = "local") -> QuerySet[Any]:
    """Rows to export: this instance's and the seed's (``local``), or with federated copies too (``all``).

    The command line acts as the instance's operator, so no visibility filter applies here; the web and API
    pass the person to ``export_rows``.
    """
    queryset = kind_named(kind_name).queryset()
    if origin == "local":
        queryset = queryset.filter(origin__in=[instance_id(), SEED_ORIGIN])
    elif origin != "all":
        raise ValueError(f"unknown origin filter {origin!r}")
    return queryset


def export_rows(kind_name: str, queryset: QuerySet[Any] | None = None, user: Any = None) -> Iterator[Clean]:
    """Rows ordered by key, then origin, fetched in chunks (related rows prefetched per chunk).

    With ``user``, the rows are those ``user`` may see, with the fields they may not see emptied: the export
    a web page or the API offers. Without, the operator's full export of the command line.
    """
    kind = kind_named(kind_name)
    if queryset is None:
        queryset = export_queryset(kind_name)
    hide = None
    if user is not None:
        queryset = visible_rows(kind_name, user, queryset)
        hide = hidden_fields(kind_name, user)
    for obj in queryset.order_by("key", "origin").iterator(chunk_size=CHUNK):
        row = kind.row(obj)
        yield hide(obj, row) if hide else row


def visible_rows(kind_name: str, user: Any, queryset: QuerySet[Any] | None = None) -> QuerySet[Any]:
    """Rows of a kind that ``user`` may see: the one filter the API, web exports and search apply.

    Entities, partners and stewardships are public directory data; partnerships follow their visibility
    (``partnerships.rules``) and support requests their parties (``support.rules``).
    """
    from partnernet.partnerships.rules import visible_partnerships
    from partnernet.support.rules import visible_requests

    rows = kind_named(kind_name).queryset() if queryset is None else queryset
    if kind_name == "partnerships":
        return visible_partnerships(user, rows)
    if kind_name == "requests":
        return visible_requests(user, rows)
    return rows


def hidden_fields(kind_name: str, user: Any) -> Callable[[Any, Clean], Clean]:
    """Empties the fields of a visible row that name something ``user`` may not see.

    A support request is seen by the steward's members, who may not be parties to the private partnership it
    is about: the request shows, the partnership's key does not.
    """
    from partnernet.partnerships.rules import visible_partnerships

    seen: dict[int, bool] = {}

    def hide(obj: Any, row: Clean) -> Clean:
        if kind_name == "requests" and obj.partnership_id is not None:
            if obj.partnership_id not in seen:
                visible = visible_partnerships(user).filter(pk=obj.partnership_id).exists()
                seen[obj.partnership_id] = visible
            if not seen[obj.partnership_id]:
                row = {**row, "partnership": None}
        return row

    return hide
