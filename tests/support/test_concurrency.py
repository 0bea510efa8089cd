"""Two stewards, or two browser tabs, acting on one request at once: exactly one wins.

The race is made certain rather than likely: both threads start together at a barrier, and the winner's
transaction is held open (a pause while it writes its timeline event), so the loser must reach the row while
the winner still holds it. Without the row lock both would read "offered" and both would succeed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from partnernet.support import services
from partnernet.support.models import SupportRequest
from partnernet.support.services import workflow
from tests.support.conftest import World, new_request

pytestmark = pytest.mark.mariadb


@pytest.fixture
def postgresql(committed: None) -> None:
    if connection.vendor not in ("postgresql", "mysql"):
        pytest.skip(
            "row locks need PostgreSQL or MariaDB: scripts/test runs it in those passes (always in CI)"
        )


def race(monkeypatch: pytest.MonkeyPatch, *actions: Callable[[], Any]) -> list[str]:
    """Run ``actions`` at once in threads; return each one's outcome ("ok" or the error message)."""
    real_event = workflow.add_event

    def slow_event(*args: Any, **kwargs: Any) -> Any:
        result = real_event(*args, **kwargs)
        time.sleep(0.3)
        return result

    monkeypatch.setattr(workflow, "add_event", slow_event)
    barrier = threading.Barrier(len(actions))
    outcomes: list[str] = [""] * len(actions)

    def run(index: int, action: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            action()
            outcomes[index] = "ok"
        except services.WorkflowError as error:
            outcomes[index] = str(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.fixture
def world(postgresql: None, world: World) -> World:
    return world


def test_two_tabs_accept_and_decline_at_once_exactly_one_wins(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    request = new_request(world)
    user = world.first_user
    outcomes = race(
        monkeypatch,
        lambda: services.accept_offer(user, request.key),
        lambda: services.decline_offer(user, request.key, "Too busy."),
    )
    assert sorted(outcome == "ok" for outcome in outcomes) == [False, True]
    loser = next(outcome for outcome in outcomes if outcome != "ok")
    assert loser in (
        "Cannot decline it: the request is already accepted (Wikimedia Sverige).",
        "Cannot accept it: the request is no longer offered to you; it has moved on.",
    )
    request.refresh_from_db()
    kinds = list(request.events.values_list("kind", flat=True))
    if outcomes[0] == "ok":
        assert request.status == "accepted"
        assert kinds == ["created", "offered", "accepted"]
    else:
        assert request.steward.name == "Wikimedia Norge"
        assert kinds == ["created", "offered", "declined", "offered"]


def test_two_accepts_at_once_make_one_acceptance(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    request = new_request(world)
    user = world.first_user
    outcomes = race(
        monkeypatch,
        lambda: services.accept_offer(user, request.key),
        lambda: services.accept_offer(user, request.key),
    )
    assert sorted(outcomes) == [
        "Cannot accept it: the request is already accepted (Wikimedia Sverige).",
        "ok",
    ]
    assert SupportRequest.objects.get().events.filter(kind="accepted").count() == 1
