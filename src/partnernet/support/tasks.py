"""Background work of the support workflow, run by ``partnernet worker`` (django-tasks' ``db_worker``)."""

from __future__ import annotations

from django_tasks import task

from partnernet.support import services


@task()
def escalate_offer(request_key: str) -> bool:
    """Enqueued at offer time to run at the offer's due time: move it on if still unanswered.

    Safe to run late, twice or after the request changed: ``escalate_overdue`` re-checks under the lock.
    """
    return services.escalate_overdue(request_key)
