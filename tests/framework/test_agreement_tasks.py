"""Background work: closing at the closing time (idempotent), and e-mails to the affected entities."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from partnernet.framework.models import Decision
from partnernet.framework.services import close_proposal
from partnernet.framework.tasks import close_due_proposals_task, close_proposal_task
from tests.factories import MembershipFactory, StewardshipFactory, UserFactory, region
from tests.framework.agreement import after_closing, entity_with_admin, take_up, vote

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
Capture = Callable[..., Any]


def test_opening_schedules_the_closing_task_at_the_closing_time(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    user, entity = entity_with_admin()
    with django_capture_on_commit_callbacks(execute=True):
        proposal = take_up(user, entity)
    scheduled = DBTaskResult.objects.get(task_path="partnernet.framework.tasks.close_proposal_task")
    assert scheduled.run_after == proposal.closes_at
    assert scheduled.args_kwargs["args"] == [proposal.pk]
    assert scheduled.run_after > timezone.now()


def test_closing_task_decides_once_when_due(monkeypatch: pytest.MonkeyPatch) -> None:
    user, entity = entity_with_admin()
    proposal = take_up(user, entity)
    vote(proposal, "support", "support", "support")
    missed = take_up(user, entity, theme="science")
    assert close_proposal_task.call(proposal.pk) is None
    monkeypatch.setattr(timezone, "now", lambda: after_closing(missed))
    assert close_proposal_task.call(proposal.pk) == "accepted"
    assert Decision.objects.get(proposal=missed).outcome == "rejected"
    assert close_proposal_task.call(proposal.pk) == "accepted"
    assert close_due_proposals_task.call() == 0
    assert Decision.objects.filter(proposal=proposal).count() == 1


@override_settings(TASKS=IMMEDIATE)
def test_affected_entities_admins_are_told_when_a_proposal_opens_and_closes(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    user, entity = entity_with_admin()
    user.email = "proposer@example.org"
    user.save()
    in_cell = StewardshipFactory(region=region("SE")).entity
    MembershipFactory(entity=in_cell, role="admin", user=UserFactory(email="steward@example.org"))
    MembershipFactory(entity=in_cell, role="member", user=UserFactory(email="member@example.org"))
    elsewhere = StewardshipFactory(region=region("GH")).entity
    MembershipFactory(entity=elsewhere, role="admin", user=UserFactory(email="ghana@example.org"))
    with django_capture_on_commit_callbacks(execute=True):
        proposal = take_up(user, entity)
    assert sorted(m.to[0] for m in mail.outbox) == ["proposer@example.org", "steward@example.org"]
    assert mail.outbox[0].subject == "Proposal opened: GLAM lead for Northern Europe"
    assert f"/framework/proposals/{proposal.key}" in mail.outbox[0].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        close_proposal(proposal.pk, now=after_closing(proposal))
    assert sorted(m.to[0] for m in mail.outbox) == ["proposer@example.org", "steward@example.org"]
    assert mail.outbox[0].subject == "Proposal closed: GLAM lead for Northern Europe (Rejected)"
    assert "only 0 of the 3 entities required took part" in mail.outbox[0].body
