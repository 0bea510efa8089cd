"""Which rows the command line exports: the operator's, so no visibility filter applies."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from partnernet.base.identity import instance_id
from partnernet.base.models import SEED_ORIGIN
from partnernet.base.registry import record_kind


def export_queryset(kind_name: str, origin: str = "local") -> QuerySet[Any]:
    """Rows to export: this instance's and the seed's (``local``), or with federated copies too (``all``).

    The command line acts as the instance's operator, so no visibility filter applies here; the web and API
    pass the person to ``export_rows``.
    """
    queryset = record_kind(kind_name).exchange.queryset()
    if origin == "local":
        queryset = queryset.filter(origin__in=[instance_id(), SEED_ORIGIN])
    elif origin != "all":
        raise ValueError(f"unknown origin filter {origin!r}")
    return queryset
