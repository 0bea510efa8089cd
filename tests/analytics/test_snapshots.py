"""Monthly snapshots: taken by the service, the task and the command; read back as trends and durations."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from partnernet.analytics.models import Snapshot
from partnernet.analytics.selectors import network_data
from partnernet.analytics.services import take_snapshot
from partnernet.analytics.sustainability import sustainability
from partnernet.analytics.tasks import take_monthly_snapshot
from partnernet.analytics.trends import trend_rows
from partnernet.audit.models import AuditEvent
from tests.factories import EntityFactory, StewardshipFactory, SupportRequestFactory

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)


def test_one_snapshot_per_month_kept_and_refreshed_within_the_month() -> None:
    take_snapshot(now=at(dt.date(2026, 9, 3)))
    take_snapshot(now=at(dt.date(2026, 10, 2)))
    EntityFactory()
    refreshed = take_snapshot(now=at(dt.date(2026, 10, 20)))
    assert list(Snapshot.objects.values_list("month", flat=True)) == [
        dt.date(2026, 9, 1),
        dt.date(2026, 10, 1),
    ]
    rows = trend_rows()
    assert [row["month"] for row in rows] == ["2026-09", "2026-10"]
    assert rows[1]["entities"] == rows[0]["entities"] + 1
    assert refreshed.taken == at(dt.date(2026, 10, 20))
    assert AuditEvent.objects.filter(verb="take_snapshot").count() == 3


def test_trend_rows_reduce_lists_to_counts() -> None:
    take_snapshot(now=at(dt.date(2026, 9, 3)))
    row = trend_rows()[0]
    assert set(row) >= {"month", "degree_centralization", "covered", "cells", "gaps", "single_steward"}
    assert row["gaps"] == row["cells"] - row["covered"]


@override_settings(TASKS=IMMEDIATE)
def test_monthly_task_takes_the_snapshot() -> None:
    result = take_monthly_snapshot.enqueue()
    assert result.return_value == Snapshot.objects.get().month.strftime("%Y-%m")


def test_over_capacity_for_weeks_is_measured_from_snapshots() -> None:
    held = StewardshipFactory(entity=EntityFactory(key="t-busy", kind="chapter"), capacity=1)
    SupportRequestFactory(stewardship=held, steward=held.entity, status="accepted")
    take_snapshot(now=at(dt.date(2026, 9, 1)))
    take_snapshot(now=at(dt.date(2026, 10, 1)))
    report = sustainability(network_data(), today=dt.date(2026, 10, 20))
    assert report["t-busy"].over_capacity_weeks == (dt.date(2026, 10, 20) - dt.date(2026, 9, 1)).days // 7
    assert "over_capacity" in report["t-busy"].alerts
    assert Snapshot.objects.get(month=dt.date(2026, 9, 1)).loads["t-busy"] == [1, 1]
