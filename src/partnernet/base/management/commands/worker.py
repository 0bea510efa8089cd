"""``partnernet worker``: django-tasks' database worker, with a heartbeat for ``/healthz``.

The worker runs every background task (SLA escalation, proposal closing, fetches, federation sync). A thread
beside it writes a heartbeat row every ``HEARTBEAT_SECONDS``, idle or busy, so a monitor reading ``/healthz``
sees a stalled or stopped worker as ``stale``.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.db import connection
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from partnernet.base.health import HEARTBEAT_SECONDS, beat

log = logging.getLogger("partnernet.worker")


def _beat_until(stop: threading.Event) -> None:
    while True:
        try:
            beat()
        except Exception:  # a locked or briefly unreachable database: the next beat tries again
            log.warning("could not record the worker heartbeat", exc_info=True)
        finally:
            connection.close()
        if stop.wait(HEARTBEAT_SECONDS):
            return


class Command(DbWorkerCommand):
    help = "Run background tasks (Partnernet's worker: django-tasks' database worker with a heartbeat)."

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        heart = threading.Thread(target=_beat_until, args=(stop,), name="heartbeat", daemon=True)
        heart.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
            heart.join(timeout=5)
