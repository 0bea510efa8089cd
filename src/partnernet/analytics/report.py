"""The network report: the core's figures over the loaded network, as ``analyze --json``, the dashboard and
the API give them.

Coverage is the core's one rule (``core.coverage``) over the columns of ``framework.coverage`` (the same as
the matrix and home pages), fed with the active stewardships of the loaded ``NetworkData``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from partnernet.analytics.models import Snapshot
from partnernet.analytics.selectors import NetworkData, network_data
from partnernet.analytics.sustainability import sustainability
from partnernet.core.analytics import AnalyticsReport, StewardshipLoad, analyze
from partnernet.core.coverage import Coverage, StewardshipCell, coverage_matrix
from partnernet.framework.coverage import active_types, matrix_columns
from partnernet.framework.selectors import region_tree


def stewardship_cells(data: NetworkData) -> list[StewardshipCell]:
    """The active stewardships of ``data`` as the core's cells (``ref`` is the row's index)."""
    return [
        StewardshipCell(
            entity=data.entities[row.entity],
            type=row.type,
            theme=row.theme,
            region=row.region,
            ref=index,
            at_capacity=row.load >= row.capacity,
        )
        for index, row in enumerate(data.stewardships)
    ]


def build_report(
    data: NetworkData, *, level: str = "subregion", with_betweenness: bool = True
) -> AnalyticsReport:
    """The core report over ``data``: graph, support, load and coverage figures."""
    return analyze(
        entities=data.entities,
        edges=data.pairs,
        support_handled={
            data.entities[index]: int(count) for index, count in enumerate(data.handled) if count
        },
        loads=[
            StewardshipLoad(entity=data.entities[row.entity], load=row.load, capacity=row.capacity)
            for row in data.stewardships
        ],
        types=[t.key for t in active_types()],
        regions=matrix_columns(level),
        tree=region_tree(),
        stewardships=stewardship_cells(data),
        with_betweenness=with_betweenness,
    )


def coverage_of(data: NetworkData, level: str = "subregion") -> Coverage:
    """The coverage matrix alone (the report's ``coverage``, without the costly graph figures)."""
    return coverage_matrix(
        [t.key for t in active_types()], matrix_columns(level), region_tree(), stewardship_cells(data)
    )


def coverage_rows(data: NetworkData, level: str = "subregion") -> list[dict[str, Any]]:
    """Every cell of the matrix with its state and stewards: the coverage download. ``stewards`` and
    ``entities`` are those covering the whole cell; ``partial_entities`` those serving a part of it."""
    return [
        {
            "type": cell.type,
            "region": cell.region,
            "state": cell.state,
            "why": cell.why,
            "stewards": cell.count,
            "entities": list(cell.stewards),
            "partial_entities": list(cell.partial_stewards),
        }
        for row in coverage_of(data, level).rows
        for cell in row
    ]


def analysis_document(
    *, level: str = "subregion", today: dt.date | None = None, data: NetworkData | None = None
) -> dict[str, Any]:
    """The ``analyze --json`` document of FORMATS.md, ``sustainability`` included, for the whole instance."""
    network = data if data is not None else network_data()
    document = build_report(network, level=level).to_json()
    document["sustainability"] = {
        key: value.to_json() for key, value in sustainability(network, today).items()
    }
    return document


LIVE_BETWEENNESS_BUDGET = 20_000_000
"""Largest nodes x edges for which a page computes exact betweenness while the reader waits (about a second);
beyond it the page shows the figure of the latest snapshot."""


@dataclass(frozen=True)
class PageReport:
    """The report as a page shows it: ``betweenness_from`` names the snapshot month when the betweenness
    figure was not computed live (see :data:`LIVE_BETWEENNESS_BUDGET`), else ``None``."""

    document: dict[str, Any]
    betweenness_from: str | None
    coverage: Coverage


def page_report(data: NetworkData, *, level: str = "subregion") -> PageReport:
    """The report for a page: exact betweenness live up to the budget, else from the latest snapshot."""
    live = len(data.entities) * len(data.pairs) <= LIVE_BETWEENNESS_BUDGET
    report = build_report(data, level=level, with_betweenness=live)
    document = report.to_json()
    if live:
        return PageReport(document, None, report.coverage)
    latest = Snapshot.objects.order_by("-month").values_list("month", "figures").first()
    if latest is None:
        return PageReport(document, "", report.coverage)
    document["betweenness_centralization"] = latest[1].get("betweenness_centralization")
    return PageReport(document, latest[0].strftime("%Y-%m"), report.coverage)
