"""How sustainable each steward node is, and when to raise an alert about it.

The distributed model only works if the nodes that carry partnerships and support can keep doing so. This
module turns plain facts about one entity (its load and capacity now and in past monthly snapshots, how long
its support cases took, who stands behind it) into the indicators of the ``sustainability`` object of
``partnernet analyze --json`` and into alerts for the facilitators. It does no I/O; the analytics app gathers
the facts.

How each indicator is computed (the README repeats this for readers of the dashboard):

- ``load`` / ``capacity`` / ``load_ratio``: the sum over the entity's active stewardships of the requests
  offered, accepted or in progress, and of their capacities; the ratio is ``None`` when capacity is 0.
- ``over_capacity_weeks``: how long the entity has been at capacity (load >= capacity, capacity 0 included),
  read from the monthly snapshots: whole weeks from the earliest snapshot of the unbroken run of snapshots,
  up to now, in which it was at capacity. ``0`` when it is at capacity now but no earlier snapshot shows it;
  ``None`` when it is not at capacity now. Snapshots are monthly, so this is exact to a snapshot interval.
- ``median_response_days``: the median of the days between a request being offered to the entity and its
  answer (accept or decline), an offer that timed out counted with the days it waited. ``None`` until the
  support workflow records offer times.
- ``timed_out_offers``: offers the entity let time out without an answer.
- ``median_resolution_days``: the median of the days from ``created`` to ``resolved`` of the requests it
  resolved as steward.
- ``resolution_rate``: resolved / (resolved + declined) over the requests it was steward of; withdrawn
  requests are the requester's choice and do not count. ``None`` when none reached either end.
- ``years_active``: the current year minus the founding year; ``None`` when the year is unknown.
- ``staff_fte``, ``volunteers``: as recorded on the entity; ``members``: its user accounts on this instance.
- ``partnership_types``: partnerships it leads or supports, counted per type; ``type_spread`` is how many
  distinct types that is.

Alerts (codes, stable for scripts):

- ``over_capacity``: at capacity for at least ``Thresholds.over_capacity_weeks`` weeks.
- ``slow_responses``: median response time above the response time the entity committed to (the longest
  ``response_days`` of its active stewardships), or more than half of its offers answered late or not at all:
  a timed-out offer always counts as a slow response, so a steward that never answers gets the alert.
- ``slow_resolution``: median resolution time above ``Thresholds.slow_resolution_days``.
- ``single_person_lead``: it holds an active *lead* stewardship and a single person stands behind it (the
  entity is an individual, or exactly one user account is a member of it).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

OVER_CAPACITY = "over_capacity"
SLOW_RESPONSES = "slow_responses"
SLOW_RESOLUTION = "slow_resolution"
SINGLE_PERSON_LEAD = "single_person_lead"
ALERTS = (OVER_CAPACITY, SLOW_RESPONSES, SLOW_RESOLUTION, SINGLE_PERSON_LEAD)


@dataclass(frozen=True)
class Thresholds:
    """When an indicator becomes an alert. The defaults are the movement's starting point, not a law."""

    over_capacity_weeks: int = 2
    slow_resolution_days: float = 30.0


@dataclass(frozen=True)
class LoadPoint:
    """The entity's load and capacity as a snapshot recorded them on ``taken``."""

    taken: dt.date
    load: int
    capacity: int


@dataclass(frozen=True)
class EntityFacts:
    """Everything the indicators of one entity are computed from."""

    key: str
    is_individual: bool = False
    founded: int | None = None
    staff_fte: float | None = None
    volunteers: int | None = None
    members: int = 0
    holds_lead: bool = False
    load: int = 0
    capacity: int = 0
    committed_response_days: int | None = None
    response_days: Sequence[float] = ()
    timed_out_days: Sequence[float] = ()
    """Days each offer waited before it timed out unanswered."""
    resolution_days: Sequence[float] = ()
    resolved: int = 0
    declined: int = 0
    partnership_types: Mapping[str, int] = field(default_factory=dict)
    history: Sequence[LoadPoint] = ()


@dataclass(frozen=True)
class Sustainability:
    key: str
    load: int
    capacity: int
    load_ratio: float | None
    over_capacity_weeks: int | None
    median_response_days: float | None
    timed_out_offers: int
    median_resolution_days: float | None
    resolution_rate: float | None
    requests_resolved: int
    years_active: int | None
    staff_fte: float | None
    volunteers: int | None
    members: int
    partnership_types: Mapping[str, int]
    type_spread: int
    alerts: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """One value of the ``sustainability`` object of ``analyze --json``."""
        return {
            "load": self.load,
            "capacity": self.capacity,
            "load_ratio": self.load_ratio,
            "over_capacity_weeks": self.over_capacity_weeks,
            "median_response_days": self.median_response_days,
            "timed_out_offers": self.timed_out_offers,
            "median_resolution_days": self.median_resolution_days,
            "resolution_rate": self.resolution_rate,
            "requests_resolved": self.requests_resolved,
            "years_active": self.years_active,
            "staff_fte": self.staff_fte,
            "volunteers": self.volunteers,
            "members": self.members,
            "partnership_types": dict(sorted(self.partnership_types.items())),
            "type_spread": self.type_spread,
            "alerts": list(self.alerts),
        }


def is_at_capacity(load: int, capacity: int) -> bool:
    """FORMATS.md's rule, load >= capacity, applied to an entity's totals (capacity 0 is always full)."""
    return load >= capacity


def over_capacity_weeks(load: int, capacity: int, history: Sequence[LoadPoint], today: dt.date) -> int | None:
    """Whole weeks the entity has been at capacity without a break, judged from ``history`` (module doc)."""
    if not is_at_capacity(load, capacity):
        return None
    since = today
    for point in sorted(history, key=lambda p: p.taken, reverse=True):
        if point.taken > today:
            continue
        if not is_at_capacity(point.load, point.capacity):
            break
        since = point.taken
    return (today - since).days // 7


def _median(values: Sequence[float]) -> float | None:
    return float(statistics.median(values)) if values else None


def _slow_responses(facts: EntityFacts, median: float | None) -> bool:
    """The median answer came later than committed, or most offers were answered late or timed out."""
    committed = facts.committed_response_days
    if median is None or committed is None:
        return False
    offers = len(facts.response_days) + len(facts.timed_out_days)
    late = sum(1 for days in facts.response_days if days > committed) + len(facts.timed_out_days)
    return median > committed or 2 * late > offers


def assess(facts: EntityFacts, today: dt.date, thresholds: Thresholds | None = None) -> Sustainability:
    """The indicators and alerts of one entity (see the module doc for each definition)."""
    limits = thresholds or Thresholds()
    if facts.load < 0 or facts.capacity < 0 or facts.resolved < 0 or facts.declined < 0:
        raise ValueError(f"counts of {facts.key!r} must not be negative")
    weeks = over_capacity_weeks(facts.load, facts.capacity, facts.history, today)
    response = _median([*facts.response_days, *facts.timed_out_days])
    resolution = _median(facts.resolution_days)
    ended = facts.resolved + facts.declined
    alerts: list[str] = []
    if weeks is not None and weeks >= limits.over_capacity_weeks:
        alerts.append(OVER_CAPACITY)
    if _slow_responses(facts, response):
        alerts.append(SLOW_RESPONSES)
    if resolution is not None and resolution > limits.slow_resolution_days:
        alerts.append(SLOW_RESOLUTION)
    if facts.holds_lead and (facts.is_individual or facts.members == 1):
        alerts.append(SINGLE_PERSON_LEAD)
    types = {key: count for key, count in facts.partnership_types.items() if count > 0}
    return Sustainability(
        key=facts.key,
        load=facts.load,
        capacity=facts.capacity,
        load_ratio=facts.load / facts.capacity if facts.capacity else None,
        over_capacity_weeks=weeks,
        median_response_days=response,
        timed_out_offers=len(facts.timed_out_days),
        median_resolution_days=resolution,
        resolution_rate=facts.resolved / ended if ended else None,
        requests_resolved=facts.resolved,
        years_active=max(0, today.year - facts.founded) if facts.founded is not None else None,
        staff_fte=facts.staff_fte,
        volunteers=facts.volunteers,
        members=facts.members,
        partnership_types=types,
        type_spread=len(types),
        alerts=tuple(alerts),
    )
