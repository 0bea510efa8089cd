"""Background work of federation, run by the django-tasks worker (``partnernet db_worker``).

``sync_federation`` pulls every due peer and sends due deliveries, then schedules its next run for when
the earliest peer or delivery is due (at most one poll interval away), so one enqueued run keeps the
instance in sync for as long as a worker runs. ``federation add`` starts the chain; a run that finds a later
one already queued does not queue another.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Min
from django.utils import timezone
from django_tasks import task

from partnernet.federation.delivery import send_pending_deliveries
from partnernet.federation.models import OutgoingDelivery, Peer
from partnernet.federation.pull import POLICY, sync_due


@task()
def sync_federation() -> dict[str, int]:
    reports = sync_due()
    deliveries = send_pending_deliveries()
    schedule_sync(_next_due())
    return {
        "peers": len(reports),
        "failed": sum(1 for report in reports if not report.ok),
        "delivered": deliveries.delivered,
    }


@task()
def send_deliveries() -> int:
    """Send due deliveries now (enqueued when a routing decision commits)."""
    return send_pending_deliveries().delivered


def _next_due() -> datetime:
    now = timezone.now()
    latest = now + POLICY.poll_interval
    peer_due = Peer.objects.filter(needs_attention=False).aggregate(at=Min("next_attempt_at"))["at"]
    delivery_due = OutgoingDelivery.objects.filter(status=OutgoingDelivery.Status.PENDING).aggregate(
        at=Min("next_attempt_at")
    )["at"]
    candidates = [moment for moment in (peer_due, delivery_due) if moment is not None]
    return max(now + timedelta(seconds=1), min([latest, *candidates]))


def schedule_sync(at: datetime | None = None) -> None:
    """Queue the next ``sync_federation`` run unless one is already waiting."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(task_path=sync_federation.module_path, status="READY").exists()
    if not waiting:
        sync_federation.using(run_after=at or timezone.now()).enqueue()
