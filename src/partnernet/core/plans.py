"""Progress of a capacity plan's goals, read from the data and never typed in.

A goal measures one figure — a stewardship's capacity, or how many of the goal's needs are met — from a
baseline to a target by a date, with milestones on the way (a value by a date). Progress is where the figure
stands now between baseline and target; a milestone is reached when the figure has got to its value, and
overdue when its date has passed first. Pure Python.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class MilestoneState:
    title: str
    due: dt.date | None
    value: int
    reached: bool
    overdue: bool


@dataclass(frozen=True)
class Progress:
    baseline: int
    target: int
    current: int
    share: float
    """Where ``current`` stands from ``baseline`` (0) to ``target`` (1), clamped to [0, 1]."""
    done: bool
    overdue: bool
    milestones: tuple[MilestoneState, ...]


def progress(
    baseline: int,
    target: int,
    current: int,
    due: dt.date | None,
    milestones: Sequence[tuple[str, dt.date | None, int]],
    today: dt.date,
) -> Progress:
    """The goal's progress; a target equal to the baseline is done once the figure holds it."""
    rising = target >= baseline

    def got_to(value: int) -> bool:
        return current >= value if rising else current <= value

    span = target - baseline
    share = 1.0 if span == 0 else (current - baseline) / span
    share = min(1.0, max(0.0, share))
    done = got_to(target)
    states = tuple(
        MilestoneState(
            title, when, value, got_to(value), when is not None and when < today and not got_to(value)
        )
        for title, when, value in sorted(milestones, key=lambda m: (m[1] or dt.date.max, m[2]))
    )
    return Progress(
        baseline=baseline,
        target=target,
        current=current,
        share=share,
        done=done,
        overdue=due is not None and due < today and not done,
        milestones=states,
    )
