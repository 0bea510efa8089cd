"""Where support matters most: open needs ranked by their effect on the network.

A need matters more the more of the network leans on the entity that has it. The ranking reads, per need,
facts the analytics app gathers with the movement's existing rules (coverage: ``core.coverage``; weeks at
capacity and alerts: ``core.sustainability``), and orders by, in turn:

1. **tier**: 2 when the entity is the only steward of several covered cells, or has been at capacity for at
   least ``weeks_at_capacity`` weeks (a failure there leaves cells uncovered or support unanswered); 1 when
   it is the only steward of one cell, is at capacity now, or has any sustainability alert; 0 otherwise;
2. how many cells it is the only steward of (more first);
3. how long it has been at capacity (longer first);
4. urgency (critical, high, normal, low);
5. how much of the need is still to be found (the whole of it first);
6. the need's key, so the order is stable.

Each ranked need carries its reasons as codes with parameters, for the page to word in the reader's language.
Pure Python: plain facts in, plain results out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

ONLY_STEWARD = "only_steward"
AT_CAPACITY = "at_capacity"
ALERTS = "alerts"
URGENCY = "urgency"
STILL_OPEN = "still_open"


@dataclass(frozen=True)
class NeedFacts:
    key: str
    entity: str
    urgency: int = 1
    """0 low, 1 normal, 2 high, 3 critical."""
    missing: float = 1.0
    """Share of the need still to be found, in [0, 1] (1 for a need without an amount)."""
    sole_cells: Sequence[tuple[str, str]] = ()
    """Covered cells (type, region) of which the entity is the only steward."""
    weeks_at_capacity: int | None = None
    """Whole weeks at capacity (``None``: not at capacity now)."""
    alerts: Sequence[str] = ()
    origin: str = ""


@dataclass(frozen=True)
class RankedNeed:
    rank: int
    key: str
    origin: str
    entity: str
    tier: int
    reasons: tuple[tuple[str, dict[str, Any]], ...] = field(default_factory=tuple)


def tier(facts: NeedFacts, weeks_at_capacity: int = 2) -> int:
    long_full = facts.weeks_at_capacity is not None and facts.weeks_at_capacity >= weeks_at_capacity
    if len(facts.sole_cells) >= 2 or long_full:
        return 2
    if facts.sole_cells or facts.weeks_at_capacity is not None or facts.alerts:
        return 1
    return 0


def _reasons(facts: NeedFacts) -> tuple[tuple[str, dict[str, Any]], ...]:
    reasons: list[tuple[str, dict[str, Any]]] = []
    if facts.sole_cells:
        reasons.append((ONLY_STEWARD, {"cells": len(facts.sole_cells), "which": list(facts.sole_cells)}))
    if facts.weeks_at_capacity is not None:
        reasons.append((AT_CAPACITY, {"weeks": facts.weeks_at_capacity}))
    if facts.alerts:
        reasons.append((ALERTS, {"alerts": list(facts.alerts)}))
    reasons.append((URGENCY, {"urgency": facts.urgency}))
    if facts.missing > 0:
        reasons.append((STILL_OPEN, {"share": facts.missing}))
    return tuple(reasons)


def rank_needs(needs: Iterable[NeedFacts], weeks_at_capacity: int = 2) -> list[RankedNeed]:
    """Open needs best first (the module doc gives the order), numbered from 1."""

    def order(facts: NeedFacts) -> tuple[Any, ...]:
        weeks = facts.weeks_at_capacity if facts.weeks_at_capacity is not None else -1
        return (
            -tier(facts, weeks_at_capacity),
            -len(facts.sole_cells),
            -weeks,
            -facts.urgency,
            -facts.missing,
            facts.key,
            facts.origin,
        )

    ranked = sorted(needs, key=order)
    return [
        RankedNeed(
            rank=index,
            key=facts.key,
            origin=facts.origin,
            entity=facts.entity,
            tier=tier(facts, weeks_at_capacity),
            reasons=_reasons(facts),
        )
        for index, facts in enumerate(ranked, start=1)
    ]
