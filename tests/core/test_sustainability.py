"""Sustainability indicators of one entity and the alerts they raise."""

from __future__ import annotations

import datetime as dt

import pytest

from partnernet.core.sustainability import (
    OVER_CAPACITY,
    SINGLE_PERSON_LEAD,
    SLOW_RESOLUTION,
    SLOW_RESPONSES,
    EntityFacts,
    LoadPoint,
    Thresholds,
    assess,
    over_capacity_weeks,
)

TODAY = dt.date(2026, 11, 26)


def test_empty_facts_give_null_figures_and_no_alerts() -> None:
    result = assess(EntityFacts(key="a", capacity=5), TODAY)
    document = result.to_json()
    assert document["load_ratio"] == 0.0
    assert document["over_capacity_weeks"] is None
    assert document["median_response_days"] is None
    assert document["median_resolution_days"] is None
    assert document["resolution_rate"] is None
    assert document["years_active"] is None
    assert document["alerts"] == []


def test_capacity_zero_has_no_ratio_and_counts_as_full() -> None:
    result = assess(EntityFacts(key="a"), TODAY)
    assert result.load_ratio is None
    assert result.over_capacity_weeks == 0


def test_over_capacity_weeks_count_back_through_the_unbroken_run_of_snapshots() -> None:
    history = [
        LoadPoint(dt.date(2026, 8, 1), 1, 10),
        LoadPoint(dt.date(2026, 9, 1), 10, 10),
        LoadPoint(dt.date(2026, 10, 1), 12, 10),
        LoadPoint(dt.date(2026, 11, 1), 11, 10),
    ]
    assert over_capacity_weeks(10, 10, history, TODAY) == (TODAY - dt.date(2026, 9, 1)).days // 7
    assert over_capacity_weeks(9, 10, history, TODAY) is None


def test_over_capacity_alert_needs_the_threshold_of_weeks() -> None:
    recent = [LoadPoint(dt.date(2026, 11, 20), 5, 5)]
    assert OVER_CAPACITY not in assess(EntityFacts("a", load=5, capacity=5, history=recent), TODAY).alerts
    older = [LoadPoint(dt.date(2026, 11, 1), 5, 5), *recent]
    assert OVER_CAPACITY in assess(EntityFacts("a", load=5, capacity=5, history=older), TODAY).alerts
    lenient = Thresholds(over_capacity_weeks=8)
    busy = EntityFacts("a", load=5, capacity=5, history=older)
    assert OVER_CAPACITY not in assess(busy, TODAY, lenient).alerts


def test_resolution_rate_ignores_withdrawn_and_median_resolution_raises_slow_alert() -> None:
    facts = EntityFacts("a", capacity=3, resolved=3, declined=1, resolution_days=[10, 40, 50])
    result = assess(facts, TODAY)
    assert result.resolution_rate == 0.75
    assert result.median_resolution_days == 40.0
    assert SLOW_RESOLUTION in result.alerts
    assert SLOW_RESOLUTION not in assess(EntityFacts("a", resolution_days=[1, 2]), TODAY).alerts


def test_slow_responses_compare_with_the_committed_response_time() -> None:
    slow = EntityFacts("a", capacity=3, committed_response_days=7, response_days=[3, 9, 12])
    assert SLOW_RESPONSES in assess(slow, TODAY).alerts
    quick = EntityFacts("a", capacity=3, committed_response_days=7, response_days=[3, 5, 12])
    assert SLOW_RESPONSES not in assess(quick, TODAY).alerts


@pytest.mark.parametrize(
    ("members", "individual", "holds_lead", "alert"),
    [(1, False, True, True), (2, False, True, False), (0, True, True, True), (1, False, False, False)],
)
def test_single_person_behind_a_lead_role(
    members: int, individual: bool, holds_lead: bool, alert: bool
) -> None:
    facts = EntityFacts("a", capacity=5, members=members, is_individual=individual, holds_lead=holds_lead)
    assert (SINGLE_PERSON_LEAD in assess(facts, TODAY).alerts) is alert


def test_years_active_and_spread_of_partnership_types() -> None:
    facts = EntityFacts("a", founded=2010, partnership_types={"glam": 3, "education": 1, "media": 0})
    result = assess(facts, TODAY)
    assert result.years_active == 16
    assert result.type_spread == 2
    assert result.to_json()["partnership_types"] == {"education": 1, "glam": 3}


def test_negative_counts_are_rejected() -> None:
    with pytest.raises(ValueError, match="negative"):
        assess(EntityFacts("a", load=-1), TODAY)


def test_a_steward_that_lets_offers_time_out_gets_the_slow_responses_alert() -> None:
    silent = EntityFacts("a", capacity=3, committed_response_days=7, response_days=[1], timed_out_days=[7, 7])
    result = assess(silent, TODAY)
    assert result.timed_out_offers == 2
    assert SLOW_RESPONSES in result.alerts
    answered = EntityFacts(
        "a", capacity=3, committed_response_days=7, response_days=[1, 2], timed_out_days=[7]
    )
    assert SLOW_RESPONSES not in assess(answered, TODAY).alerts
