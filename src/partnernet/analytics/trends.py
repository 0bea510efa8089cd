"""Trends: the monthly snapshots' figures as rows, oldest first (charts and downloads)."""

from __future__ import annotations

from typing import Any

from partnernet.analytics.models import Snapshot

TREND_FIGURES = (
    "entities",
    "edges",
    "degree_centralization",
    "betweenness_centralization",
    "top1_share",
    "top3_share",
    "hhi",
    "gini",
    "covered",
    "cells",
    "gaps",
    "partial",
    "single_steward",
    "over_capacity",
)
"""Columns of a trend row: the report's numbers, with coverage and lists reduced to counts. ``partial`` is
``None`` in snapshots taken before coverage had three states (their ``covered`` then counted partly covered
cells too)."""


def trend_rows() -> list[dict[str, Any]]:
    """One row per monthly snapshot, oldest first: ``month`` (``YYYY-MM``) and the :data:`TREND_FIGURES`."""
    rows: list[dict[str, Any]] = []
    for month, figures in Snapshot.objects.order_by("month").values_list("month", "figures"):
        coverage = figures.get("coverage") or {}
        row: dict[str, Any] = {"month": month.strftime("%Y-%m")}
        for name in TREND_FIGURES[:8]:
            row[name] = figures.get(name)
        row["covered"] = coverage.get("covered")
        row["cells"] = coverage.get("cells")
        row["gaps"] = len(coverage.get("gaps") or [])
        row["partial"] = len(coverage["partial"]) if "partial" in coverage else None
        row["single_steward"] = len(coverage.get("single_steward") or [])
        row["over_capacity"] = len(figures.get("over_capacity") or [])
        rows.append(row)
    return rows
