"""The analytics page's view-model: the report, the coverage matrix, the graph, the trends and the
sustainability table, read in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from partnernet.analytics.memo import current_graph, current_names, current_network, current_page_report
from partnernet.analytics.priorities import Priority, support_priorities
from partnernet.analytics.report import PageReport
from partnernet.analytics.sustainability import sustainability
from partnernet.analytics.trends import trend_rows
from partnernet.core.coverage import MatrixCell
from partnernet.core.sustainability import Sustainability
from partnernet.framework.models import PartnershipType
from partnernet.framework.selectors import region_tree
from partnernet.i18n.names import label_for, region_name


def type_names() -> dict[str, str]:
    """Partnership type labels in the active language, by key."""
    return {
        key: label_for(labels, name)
        for key, name, labels in PartnershipType.objects.values_list("key", "name", "labels")
    }


NEED_ROWS = 20
"""Open needs listed on the page, best ranked first; the page "Where support matters most" has them all."""

SUSTAINABILITY_ROWS = 200
"""Stewards listed on the page: those with alerts first, then the fullest; the download has them all."""


@dataclass(frozen=True)
class Dashboard:
    """Everything the analytics page shows, read in a fixed number of queries."""

    level: str
    report: PageReport
    types: list[tuple[str, str]]
    columns: list[tuple[str, str]]
    matrix: list[tuple[str, str, tuple[MatrixCell, ...]]]
    names: dict[str, str]
    type_labels: dict[str, str]
    region_labels: dict[str, str]
    graph: dict[str, Any]
    group_names: list[str]
    trends: list[dict[str, Any]]
    sustainability: dict[str, Sustainability] | None
    assessed: int
    needs: list[Priority] | None = None
    """Open needs ranked by their effect on the network, for facilitators (beside gaps and single points of
    failure); ``None`` for others."""
    unmet: dict[str, int] | None = None
    """Open needs per entity key, among ``needs``."""


def dashboard(level: str, scope: set[int] | None, needs_for: Any = None) -> Dashboard:
    """The analytics page. ``scope`` limits sustainability: ``None`` all entities, a set of entity ids only
    those, an empty set none and the section is left out (see ``analytics.rules.sustainability_scope``).
    With ``needs_for`` (a facilitator), the open needs that person may see, ranked, come along."""
    version, data = current_network()
    report = current_page_report(version, data, level)
    coverage = report.coverage
    tree = region_tree()
    names_of_types = type_names()
    matrix = [
        (key, names_of_types.get(key, key), cells)
        for key, cells in zip(coverage.types, coverage.rows, strict=True)
    ]
    graph = current_graph(version, data, set(report.document["over_capacity"]))
    sustained: dict[str, Sustainability] | None = None
    assessed = 0
    if scope is None or scope:
        everyone = sustainability(data)
        if scope is not None:
            allowed = {data.entities[p] for p in (data.position(pk) for pk in scope) if p is not None}
            everyone = {key: value for key, value in everyone.items() if key in allowed}
        assessed = len(everyone)
        ranked = sorted(
            everyone.items(), key=lambda item: (not item[1].alerts, -(item[1].load_ratio or 0), item[0])
        )
        sustained = dict(ranked[:SUSTAINABILITY_ROWS])
    needs = support_priorities(needs_for, data=data) if needs_for is not None else None
    unmet: dict[str, int] | None = None
    if needs is not None:
        unmet = {}
        for priority in needs:
            unmet[priority.ranked.entity] = unmet.get(priority.ranked.entity, 0) + 1
    return Dashboard(
        level=level,
        report=report,
        types=[(key, names_of_types.get(key, key)) for key in coverage.types],
        columns=[(code, region_name(code, tree.name(code))) for code in coverage.regions],
        matrix=matrix,
        names=current_names(version, data),
        type_labels=names_of_types,
        region_labels={code: region_name(code, tree.name(code)) for code in coverage.regions},
        graph=graph,
        group_names=[region_name(code, tree.name(code)) for code in graph["groups"]],
        trends=trend_rows(),
        sustainability=sustained,
        assessed=assessed,
        needs=needs[:NEED_ROWS] if needs is not None else None,
        unmet=unmet,
    )
