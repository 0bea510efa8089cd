"""Export: every row of a kind in exchange form, streamed in key order with constant memory."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from partnernet.exchange.kinds import Clean, kind_named
from partnernet.federation.models import SEED_ORIGIN
from partnernet.federation.selectors import instance_id

CHUNK = 2000


def export_queryset(kind_name: str, origin: str = "local") -> QuerySet[Any]:
    """Rows to export: this instance's and the seed's (``local``), or with federated copies too (``all``).

    The command line acts as the instance's operator, so no visibility filter applies here; the web and API
    pass their own, permission-filtered querysets to ``export_rows``.
    """
    queryset = kind_named(kind_name).queryset()
    if origin == "local":
        queryset = queryset.filter(origin__in=[instance_id(), SEED_ORIGIN])
    elif origin != "all":
        raise ValueError(f"unknown origin filter {origin!r}")
    return queryset


def export_rows(kind_name: str, queryset: QuerySet[Any] | None = None) -> Iterator[Clean]:
    """Rows ordered by key, then origin, fetched in chunks (related rows prefetched per chunk)."""
    kind = kind_named(kind_name)
    if queryset is None:
        queryset = export_queryset(kind_name)
    for obj in queryset.order_by("key", "origin").iterator(chunk_size=CHUNK):
        yield kind.row(obj)


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
