"""Background work of the agreement process: closing at the closing time, and the e-mails.

Closing is enqueued when a proposal opens, to run at its closing time (``run_after``). The task is
idempotent (``close_proposal`` returns the existing decision), so a retry or the periodic safety net
``close_due_proposals_task`` never decides twice. Backends that cannot defer (the immediate backend of
tests) skip the scheduled run; the safety net, or ``partnernet proposal close-due``, then closes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task, task_backends

from partnernet.framework.models import Proposal, Stewardship
from partnernet.i18n.sentences import message
from partnernet.notifications.services import notify


@task()
def close_proposal_task(proposal_id: int) -> str | None:
    """Close the proposal, then sweep any other overdue one (a missed or lost scheduled run)."""
    from partnernet.framework.services import close_due_proposals, close_proposal

    decision = close_proposal(proposal_id)
    close_due_proposals()
    return decision.outcome if decision is not None else None


@task()
def close_due_proposals_task() -> int:
    from partnernet.framework.services import close_due_proposals

    return len(close_due_proposals())


def schedule_closing(closing_task: Any, proposal: Proposal) -> None:
    """Enqueue ``closing_task`` to run at the proposal's closing time, where the backend can defer."""
    if task_backends[closing_task.backend].supports_defer:
        closing_task.using(run_after=proposal.closes_at).enqueue(proposal.pk)


@task()
def send_proposal_mail(proposal_id: int, event: str) -> int:
    """Tell the admins of the affected entities that a proposal opened or closed (in the app and by e-mail);
    returns how many people were told."""
    from partnernet.framework.proposals import admin_people, affected_entities

    proposal = Proposal.objects.select_related("proposer").get(pk=proposal_id)
    people = admin_people(affected_entities(proposal))
    if not people:
        return 0
    path = f"/framework/proposals/{proposal.key}"
    link = settings.BASE_URL + path
    if event == "opened":
        subject = message("mail.proposal_opened.subject", title=proposal.title)
        body = message(
            "mail.proposal_opened.body",
            proposer=proposal.proposer.name,
            title=proposal.title,
            rationale=proposal.rationale,
            closes={"datetime": proposal.closes_at.isoformat()},
            link=link,
        )
    else:
        decision = proposal.decision
        outcome = {"choice": "decision_outcome", "value": decision.outcome}
        subject = message("mail.proposal_closed.subject", title=proposal.title, outcome=outcome)
        body = message(
            "mail.proposal_closed.body",
            title=proposal.title,
            outcome=outcome,
            support=decision.support,
            oppose=decision.oppose,
            abstain=decision.abstain,
            reasons="\n".join(f"- {reason}" for reason in decision.reasons),
            link=link,
        )
    made = notify(people, subject, path, body=[body], each=True, prefix="", fail_silently=False)
    return len(made)


@task()
def lapse_ended_terms_task() -> int:
    """Lapse the stewardships whose term ended (scheduled for the day after each term's end)."""
    from partnernet.framework.services import lapse_ended_terms

    return len(lapse_ended_terms())


def schedule_lapse(term_end: dt.date) -> None:
    """Run the lapse at the start of the day after ``term_end`` (local time), where the backend can defer;
    ``partnernet lapse_terms`` does the same by hand or from cron."""
    backend = task_backends[lapse_ended_terms_task.backend]
    if not backend.supports_defer:
        return
    start = timezone.make_aware(dt.datetime.combine(term_end + dt.timedelta(days=1), dt.time.min))
    lapse_ended_terms_task.using(run_after=start).enqueue()


def stewardship_saved(sender: Any, instance: Any, **_: Any) -> None:
    """``post_save`` of a stewardship: an active one with a term end gets its lapse scheduled."""
    if instance.status == "active" and instance.term_end is not None:
        end = instance.term_end
        transaction.on_commit(lambda: schedule_lapse(end))


def stewardships_created(sender: Any, records: Any, **_: Any) -> None:
    """``base.signals.records_created``: stewardships imported in bulk get their lapses scheduled too."""
    if sender is not Stewardship:
        return
    ends = sorted({r.term_end for r in records if r.status == "active" and r.term_end is not None})

    def schedule_all() -> None:
        for end in ends:
            schedule_lapse(end)

    if ends:
        transaction.on_commit(schedule_all)
