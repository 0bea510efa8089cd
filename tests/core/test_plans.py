"""Progress of capacity plan goals."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from partnernet.core.plans import progress

TODAY = dt.date(2026, 12, 3)


def test_glam_capacity_from_two_to_six() -> None:
    state = progress(
        2, 6, 4, dt.date(2027, 6, 30), [("Half-way", dt.date(2026, 11, 1), 4), ("Six", None, 6)], TODAY
    )
    assert state.share == 0.5
    assert not state.done
    assert not state.overdue
    assert [(m.title, m.reached, m.overdue) for m in state.milestones] == [
        ("Half-way", True, False),
        ("Six", False, False),
    ]


def test_a_missed_date_is_overdue() -> None:
    state = progress(2, 6, 3, dt.date(2026, 6, 30), [("Four", dt.date(2026, 9, 1), 4)], TODAY)
    assert state.overdue
    assert state.milestones[0].overdue


@settings(deadline=None)
@given(st.integers(0, 50), st.integers(0, 50), st.integers(0, 60))
def test_share_stays_between_zero_and_one_and_done_means_full(
    baseline: int, target: int, current: int
) -> None:
    state = progress(baseline, target, current, None, [], TODAY)
    assert 0.0 <= state.share <= 1.0
    if state.done and target != baseline:
        assert state.share == 1.0
