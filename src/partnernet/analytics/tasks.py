"""Background work of the analytics app (django-tasks; run by the tasks worker)."""

from __future__ import annotations

from django_tasks import task

from partnernet.analytics.services import take_snapshot


@task()
def take_monthly_snapshot() -> str:
    """Take (or refresh) this month's snapshot; returns its month as ``YYYY-MM``.

    Enqueue it once a month, from the dashboard's button or from a scheduler (``cron``) running
    ``partnernet analyze --snapshot``; running it twice in a month only refreshes that month's figures.
    """
    return str(take_snapshot())
