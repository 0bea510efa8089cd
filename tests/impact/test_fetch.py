"""Fetching outcomes: once per cell, entered figures kept, progress recorded, unreachable network clear."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from partnernet.audit.models import AuditEvent
from partnernet.impact.connectors.http import NetworkUnreachable
from partnernet.impact.models import FetchRun, Outcome
from partnernet.impact.services import add_outcome_source, record_outcome, request_fetch, run_fetch
from tests.clitools import run_cli
from tests.factories import PartnershipFactory
from tests.impact.fakeapi import FakeWikimedia, api_settings, closed_port

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def sourced() -> object:
    partnership = PartnershipFactory(key="bundesarchiv")
    add_outcome_source(
        None,
        partnership,
        connector="commons",
        target="Category:Bundesarchiv test",
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2024, 12, 31),
    )
    add_outcome_source(
        None,
        partnership,
        connector="dashboard",
        target="campaigns/bundesarchiv_test",
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2024, 12, 31),
    )
    return partnership


def test_fetch_stores_figures_with_source_and_date_and_reports_progress(
    wikimedia: FakeWikimedia, sourced: object
) -> None:
    steps: list[tuple[int, int]] = []
    run = run_fetch(FetchRun.objects.create(), progress=lambda done, total, _: steps.append((done, total)))
    assert run.status == "succeeded"
    assert (run.steps_done, run.steps_total) == (2, 2)
    assert steps[0] == (0, 2)
    assert steps[-1] == (2, 2)
    uploaded = Outcome.objects.get(partnership=sourced, indicator="media_uploaded")
    assert (uploaded.value, uploaded.source, uploaded.connector) == (Decimal(2), "fetched", "commons")
    assert uploaded.measured_on == dt.date.today()
    assert AuditEvent.objects.filter(verb="record_outcome").count() == 6


def test_fetching_twice_updates_instead_of_adding(wikimedia: FakeWikimedia, sourced: object) -> None:
    run_fetch(FetchRun.objects.create())
    first = Outcome.objects.count()
    run_fetch(FetchRun.objects.create())
    assert Outcome.objects.count() == first == 6


def test_a_figure_people_entered_is_kept_over_a_fetched_one(
    wikimedia: FakeWikimedia, sourced: object
) -> None:
    record_outcome(
        None,
        sourced,
        indicator="participants",
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2024, 12, 31),
        value=Decimal(60),
    )  # type: ignore[arg-type]
    run = run_fetch(FetchRun.objects.create())
    kept = Outcome.objects.get(partnership=sourced, indicator="participants")
    assert (kept.value, kept.source) == (Decimal(60), "entered")
    assert "1 entered figures kept" in run.message


def test_background_task_runs_the_fetch_and_marks_the_run(
    wikimedia: FakeWikimedia, sourced: object, django_capture_on_commit_callbacks: object
) -> None:
    with override_settings(TASKS=IMMEDIATE), django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        run = request_fetch(None, sourced)  # type: ignore[arg-type]
    run.refresh_from_db()
    assert run.status == "succeeded"
    assert run.percent == 100
    assert Outcome.objects.filter(partnership=sourced, source="fetched").count() == 6


def test_unreachable_network_fails_the_run_with_a_clear_message(sourced: object) -> None:
    with override_settings(**api_settings(f"http://127.0.0.1:{closed_port()}")):
        run = FetchRun.objects.create()
        with pytest.raises(NetworkUnreachable):
            run_fetch(run)
    run.refresh_from_db()
    assert run.status == "failed"
    assert run.message.startswith("The network is not reachable")
    assert not Outcome.objects.exists()


def test_fetch_command_with_unknown_partnership_is_a_usage_error() -> None:
    with pytest.raises(CommandError, match="--partnership") as error:
        call_command("impact", "fetch", "--partnership", "no-such-key")
    assert error.value.returncode == 2


@pytest.mark.slow
def test_cli_fetch_exits_1_with_a_message_when_the_network_is_unreachable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed = run_cli(tmp_path, "seed", "--demo")
    assert seed.returncode == 0, seed.stderr
    base = f"http://127.0.0.1:{closed_port()}"
    monkeypatch.setenv("PARTNERNET_COMMONS_API", f"{base}/w/api.php")
    monkeypatch.setenv("PARTNERNET_WIKIDATA_API", f"{base}/w/api.php")
    monkeypatch.setenv("PARTNERNET_PAGEVIEWS_API", f"{base}/pageviews")
    monkeypatch.setenv("PARTNERNET_DASHBOARD_URL", base)
    monkeypatch.setenv("PARTNERNET_HTTP_RETRIES", "1")
    result = run_cli(tmp_path, "impact", "fetch")
    assert result.returncode == 1, result.stderr
    assert "network is not reachable" in result.stderr
    assert result.stdout == ""
