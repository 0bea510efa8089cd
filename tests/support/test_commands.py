"""The route, rebalance, worker and escalate_overdue commands (in-process; one real subprocess)."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from partnernet.support.models import SupportRequest
from tests.clitools import run_cli
from tests.support.conftest import World, new_request

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_route_json_has_the_contract_shape_and_changes_nothing(world: World) -> None:
    new_request(world)
    before = SupportRequest.objects.values_list("status", "stewardship_id").get()
    document = json.loads(
        run("route", "--type", "glam", "--region", "se", "--need", "tools", "--language", "sv", "--json")
    )
    assert document["request"] == {
        "type": "glam",
        "theme": None,
        "region": "SE",
        "need": "tools",
        "language": "sv",
        "requester": None,
    }
    first, second = document["candidates"]
    assert first == {
        "rank": 1,
        "entity": "wm-se",
        "stewardship": "se-glam",
        "level": "lead",
        "cell": {"type": "glam", "theme": None, "region": "154"},
        "load": 1,
        "capacity": 3,
        "explanation": "GLAM lead for Northern Europe, load 1/3, shares sv",
    }
    assert (second["rank"], second["stewardship"]) == (2, "no-glam")
    assert SupportRequest.objects.values_list("status", "stewardship_id").get() == before


def test_route_with_nobody_matching_prints_an_empty_list(world: World) -> None:
    document = json.loads(run("route", "--type", "policy", "--region", "GH", "--json"))
    assert document["candidates"] == []
    assert "facilitators' queue" in run("route", "--type", "policy", "--region", "GH")


def test_route_names_the_argument_at_fault_with_exit_2(world: World) -> None:
    with pytest.raises(CommandError) as caught:
        run("route", "--type", "glam", "--region", "999", "--theme", "nope")
    assert caught.value.returncode == 2
    assert "argument --region: Unknown region code '999'" in str(caught.value)
    assert "argument --theme: Unknown theme 'nope'" in str(caught.value)


def test_rebalance_dry_run_prints_moves_and_changes_nothing(world: World) -> None:
    request = new_request(world)
    world.first.status = "lapsed"
    world.first.save()
    document = json.loads(run("rebalance", "--dry-run", "--json"))
    assert document["moves"] == [
        {
            "request": request.key,
            "from": "se-glam",
            "to": "no-glam",
            "reason": document["moves"][0]["reason"],
        }
    ]
    assert document["moves"][0]["reason"].startswith("se-glam is no longer available; now no-glam")
    assert set(document["timings"]) == {"read_seconds", "solve_seconds", "write_seconds"}
    assert SupportRequest.objects.get().stewardship_id == world.first.pk
    text = run("rebalance")
    assert f"{request.key}: se-glam -> no-glam" in text
    assert SupportRequest.objects.get().stewardship_id == world.second.pk


@pytest.mark.usefixtures("committed")
def test_offer_enqueues_the_sla_task_and_the_worker_moves_an_overdue_offer(world: World) -> None:
    """Committed data: the worker closes its database connection when it is done, as a real one does."""
    request = new_request(world)
    task = DBTaskResult.objects.get()
    assert task.task_path == "partnernet.support.tasks.escalate_offer"
    assert task.run_after == request.due_at
    past = timezone.now() - dt.timedelta(minutes=1)
    SupportRequest.objects.filter(pk=request.pk).update(due_at=past)
    DBTaskResult.objects.filter(pk=task.pk).update(run_after=past)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    request.refresh_from_db()
    assert request.steward.name == "Wikimedia Norge"
    assert request.events.filter(kind="timed_out").exists()
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"


def test_escalate_overdue_command_is_the_sweep(world: World) -> None:
    request = new_request(world)
    SupportRequest.objects.filter(pk=request.pk).update(due_at=timezone.now() - dt.timedelta(days=1))
    assert run("escalate_overdue").strip() == "1 overdue offer moved on."
    assert run("escalate_overdue").strip() == "0 overdue offers moved on."


@pytest.mark.slow
def test_real_command_route_exit_codes_and_worker_verb(tmp_path: Path) -> None:
    assert run_cli(tmp_path, "seed").returncode == 0
    bad = run_cli(tmp_path, "route", "--type", "glam", "--region", "ZZ")
    assert bad.returncode == 2
    assert "argument --region" in bad.stderr
    assert bad.stdout == ""
    good = run_cli(tmp_path, "route", "--type", "glam", "--region", "SE", "--json")
    assert good.returncode == 0
    assert json.loads(good.stdout)["candidates"] == []
    worker = run_cli(tmp_path, "worker", "--batch", "--no-startup-delay")
    assert worker.returncode == 0, worker.stderr
    assert "worker" in run_cli(tmp_path, "--help").stdout
