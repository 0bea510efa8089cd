"""Where support matters most: open needs ranked by their effect on the network (``core.support_priorities``).

The facts come from the movement's existing rules, read once for the whole network: single points of
failure from the coverage matrix (``core.coverage`` over ``framework.coverage``'s columns, as the matrix and
the dashboard read it), weeks at capacity and alerts from the sustainability indicators
(``analytics.sustainability``). The needs are those the reader may see; the ranking is derived data.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from partnernet.analytics.report import coverage_of
from partnernet.analytics.selectors import NetworkData, network_data
from partnernet.analytics.sustainability import sustainability
from partnernet.core.needs import PledgeFigure, coverage
from partnernet.core.support_priorities import NeedFacts, RankedNeed, rank_needs
from partnernet.framework.selectors import region_tree
from partnernet.sustainability.models import URGENCY_RANK, Need
from partnernet.sustainability.selectors import open_needs


@dataclass(frozen=True)
class Priority:
    ranked: RankedNeed
    need: Need


@dataclass(frozen=True)
class PriorityFilters:
    type: str = ""
    region: str = ""
    kind: str = ""


def sole_cells(data: NetworkData, level: str = "subregion") -> dict[str, list[tuple[str, str]]]:
    """Per entity key, the covered cells of which it is the only steward (the single points of failure)."""
    cells: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in coverage_of(data, level).rows:
        for cell in row:
            if cell.state == "covered" and len(cell.stewards) == 1:
                cells[cell.stewards[0]].append((cell.type, cell.region))
    return cells


def _matches(need: Need, filters: PriorityFilters, tree: Any) -> bool:
    if filters.kind and need.kind != filters.kind:
        return False
    held = list(need.stewardships.all())
    if filters.type and not any(s.type.key == filters.type for s in held):
        return False
    if filters.region:
        regions = [s.region.code if s.region else "001" for s in held]
        if filters.region not in tree or not any(
            code in tree and (tree.covers(filters.region, code) or tree.covers(code, filters.region))
            for code in regions
        ):
            return False
    return True


def _missing(need: Need) -> float:
    figures = [
        PledgeFigure(status, amount) for status, amount in need.pledges.values_list("status", "amount")
    ]
    share = coverage(need.amount, figures).share
    return 1.0 if share is None else 1.0 - share


def support_priorities(
    user: Any,
    filters: PriorityFilters | None = None,
    *,
    today: dt.date | None = None,
    data: NetworkData | None = None,
) -> list[Priority]:
    """Open needs ``user`` may see, ranked; ``filters`` by a stewardship's type or region, or by kind."""
    wanted = filters or PriorityFilters()
    tree = region_tree()
    needs = [need for need in open_needs(user) if _matches(need, wanted, tree)]
    if not needs:
        return []
    network = data if data is not None else network_data()
    sole = sole_cells(network)
    health = sustainability(network, today)
    facts = []
    by_id: dict[tuple[str, str], Need] = {}
    for need in needs:
        entity = need.entity.key
        indicators = health.get(entity)
        facts.append(
            NeedFacts(
                key=need.key,
                origin=need.origin,
                entity=entity,
                urgency=URGENCY_RANK.get(need.urgency, 1),
                missing=_missing(need),
                sole_cells=tuple(sole.get(entity, [])),
                weeks_at_capacity=indicators.over_capacity_weeks if indicators else None,
                alerts=indicators.alerts if indicators else (),
            )
        )
        by_id[(need.key, need.origin)] = need
    return [Priority(ranked, by_id[(ranked.key, ranked.origin)]) for ranked in rank_needs(facts)]
