"""``/healthz`` for monitors: database, migrations, worker heartbeat and federation sync (issue 21)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from partnernet.base.health import beat
from partnernet.base.models import Heartbeat
from partnernet.federation.models import Peer

pytestmark = pytest.mark.django_db


def test_fresh_heartbeat_and_last_sync_read_ok(client: Client) -> None:
    beat()
    synced = timezone.now() - dt.timedelta(minutes=3)
    Peer.objects.create(
        instance_id="pn-far", base_url="http://far.example", public_key="A" * 43 + "=", fingerprint="ab" * 32,
        last_success_at=synced,
    )  # fmt: skip
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert body["database"] == {"ok": True, "problem": None}
    assert body["worker"]["stale"] is False
    assert body["federation"] == {"last_sync": synced.isoformat(), "peers": 1}


@pytest.mark.parametrize("age", [None, dt.timedelta(minutes=10)])
def test_a_stale_or_missing_worker_reads_not_ok_but_the_site_answers(client: Client, age: Any) -> None:
    if age is not None:
        Heartbeat.objects.create(name="worker", beat_at=timezone.now() - age)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["ok"] is False
    assert response.json()["worker"]["stale"] is True


def test_a_database_that_cannot_serve_is_a_503(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    from partnernet.web import health

    monkeypatch.setattr(health, "database_problem", lambda: "the database is not migrated (3 migrations)")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == {
        "ok": False,
        "problem": "the database is not migrated (3 migrations)",
    }


def test_healthz_is_exempt_from_the_https_redirect(client: Client, settings: Any) -> None:
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/").status_code == 301
    assert client.get("/healthz").status_code == 200


def test_the_worker_beats_beside_the_task_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker starts its heart beside django-tasks' loop (here run in this thread: an in-memory test
    database cannot be shared with another thread) and stops it when the loop ends."""
    import threading

    from partnernet.base.management.commands import worker

    started: list[str] = []

    class InThisThread(threading.Thread):
        def start(self) -> None:
            started.append(self.name)
            stop = self._args[0]  # type: ignore[attr-defined]
            stop.set()
            worker._beat_until(stop)

        def join(self, timeout: float | None = None) -> None:
            pass

    monkeypatch.setattr(worker.threading, "Thread", InThisThread)
    monkeypatch.setattr(worker.connection, "close", lambda: None)
    call_command("worker", batch=True, startup_delay=False, verbosity=0)
    assert started == ["heartbeat"]
    row = Heartbeat.objects.get(name="worker")
    assert timezone.now() - row.beat_at < dt.timedelta(minutes=1)
