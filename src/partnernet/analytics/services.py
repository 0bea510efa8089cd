"""Writes of the analytics app: taking the monthly snapshot."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from partnernet.analytics.models import Snapshot
from partnernet.analytics.report import build_report
from partnernet.analytics.selectors import NetworkData, entity_loads, network_data
from partnernet.audit.models import AuditEvent
from partnernet.audit.services import record


def take_snapshot(
    actor: Any = None, *, now: dt.datetime | None = None, data: NetworkData | None = None
) -> Snapshot:
    """Store this month's figures (replacing an earlier snapshot of the same month) and each steward's load.

    The figures are those of ``analyze --json`` at the default matrix level, without ``sustainability``
    (which is recomputed from live data and these snapshots). ``actor`` is the person who asked, or ``None``
    for the monthly task and the command line. The heavy reading happens before the transaction opens, so
    the write lock is held only for the one row and its audit event.
    """
    moment = now or timezone.now()
    network = data if data is not None else network_data()
    figures = build_report(network).to_json()
    loads = {key: [load, capacity] for key, (load, capacity) in sorted(entity_loads(network).items())}
    month = (
        timezone.localtime(moment).date().replace(day=1)
        if timezone.is_aware(moment)
        else moment.date().replace(day=1)
    )
    with transaction.atomic():
        snapshot, created = Snapshot.objects.update_or_create(
            month=month, defaults={"taken": moment, "figures": figures, "loads": loads}
        )
        record(
            actor,
            AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
            "take_snapshot",
            snapshot,
        )
    return snapshot


def request_snapshot() -> str:
    """Enqueue the snapshot task for the worker (the dashboard's button); returns the task result id.

    The task itself writes the snapshot and its audit event, as the system.
    """
    from partnernet.analytics.tasks import take_monthly_snapshot

    return str(take_monthly_snapshot.enqueue().id)
