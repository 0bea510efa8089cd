"""Background work of the impact app, run by ``partnernet db_worker`` (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from partnernet.impact.connectors.http import NetworkUnreachable
from partnernet.impact.models import FetchRun


@task()
def fetch_outcomes_task(run_id: int) -> str:
    """Run a queued fetch; its ``FetchRun`` row carries progress and the outcome for pages to show."""
    from partnernet.impact.services import run_fetch

    run = FetchRun.objects.select_related("partnership", "requested_by").get(pk=run_id)
    try:
        run = run_fetch(run, actor=run.requested_by)
    except NetworkUnreachable:
        run.refresh_from_db()
    return run.status
