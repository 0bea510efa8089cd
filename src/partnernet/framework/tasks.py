"""Background work of the agreement process: closing at the closing time, and the e-mails.

Closing is enqueued when a proposal opens, to run at its closing time (``run_after``). The task is
idempotent (``close_proposal`` returns the existing decision), so a retry or the periodic safety net
``close_due_proposals_task`` never decides twice. Backends that cannot defer (the immediate backend of
tests) skip the scheduled run; the safety net, or ``partnernet proposal close-due``, then closes.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mass_mail
from django.utils.translation import gettext as _
from django_tasks import task, task_backends

from partnernet.framework.models import Proposal


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
    """Tell the admins of the affected entities that a proposal opened or closed; returns messages sent."""
    from partnernet.framework.selectors import admin_addresses, affected_entities

    proposal = Proposal.objects.select_related("proposer").get(pk=proposal_id)
    recipients = admin_addresses(affected_entities(proposal))
    if not recipients:
        return 0
    link = f"{settings.BASE_URL}/framework/proposals/{proposal.key}"
    if event == "opened":
        subject = _("Proposal opened: %(title)s") % {"title": proposal.title}
        body = _(
            "%(proposer)s proposes: %(title)s\n\n%(rationale)s\n\n"
            "Entities may endorse, oppose or abstain until %(closes)s UTC.\n%(link)s\n"
        ) % {
            "proposer": proposal.proposer,
            "title": proposal.title,
            "rationale": proposal.rationale,
            "closes": f"{proposal.closes_at:%Y-%m-%d %H:%M}",
            "link": link,
        }
    else:
        decision = proposal.decision
        subject = _("Proposal closed: %(title)s (%(outcome)s)") % {
            "title": proposal.title,
            "outcome": decision.get_outcome_display(),
        }
        reasons = "\n".join(f"- {reason}" for reason in decision.reasons)
        body = _(
            "The proposal %(title)s closed: %(outcome)s.\n"
            "Support %(support)s, oppose %(oppose)s, abstain %(abstain)s.\n%(reasons)s\n%(link)s\n"
        ) % {
            "title": proposal.title,
            "outcome": decision.get_outcome_display(),
            "support": decision.support,
            "oppose": decision.oppose,
            "abstain": decision.abstain,
            "reasons": reasons,
            "link": link,
        }
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in recipients]
    return send_mass_mail(messages, fail_silently=False)
