"""Capacity plans: progress read from the data, shown on a proposal to change the stewardship, and goals made
from an evaluation's findings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from partnernet.framework.models import Proposal
from partnernet.impact.models import Evaluation, EvaluationFact, Rubric
from partnernet.sustainability import services
from partnernet.sustainability.models import PlanGoal
from partnernet.sustainability.planning import plan_view
from tests.factories import EntityFactory, MembershipFactory, StewardshipFactory, UserFactory, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def steward() -> dict[str, object]:
    entity = EntityFactory(key="wa-steward", name="West African chapter", kind="chapter")
    glam = StewardshipFactory(entity=entity, key="glam-wa", region=region("011"), capacity=2)
    admin = MembershipFactory(entity=entity, role="admin").user
    return {"entity": entity, "glam": glam, "admin": admin}


def _goal(steward: dict[str, object]) -> PlanGoal:
    return services.add_goal(
        steward["admin"],
        steward["entity"],
        {"title": "GLAM capacity for Western Africa from 2 to 6 cases by 2027-06", "measure": "capacity",
         "stewardship": steward["glam"], "baseline": 2, "target": 6, "due": dt.date(2027, 6, 30)},
    )  # fmt: skip


def test_progress_follows_the_stewardships_capacity(steward: dict[str, object]) -> None:
    _goal(steward)
    assert plan_view(steward["entity"], UserFactory()).goals[0].progress.share == 0.0
    glam = steward["glam"]
    glam.capacity = 4  # type: ignore[attr-defined]
    glam.save()  # type: ignore[attr-defined]
    state = plan_view(steward["entity"], UserFactory()).goals[0].progress
    assert (state.current, state.share, state.done) == (4, 0.5, False)


def test_only_the_admins_change_the_plan(steward: dict[str, object]) -> None:
    client = Client()
    client.force_login(UserFactory())
    data = {"action": "goal", "title": "x", "measure": "needs_met", "baseline": 0, "target": 1}
    assert client.post("/needs/plans/wa-steward/", data).status_code == 403
    admin = Client()
    admin.force_login(steward["admin"])
    assert admin.post("/needs/plans/wa-steward/", data).status_code == 302
    assert PlanGoal.objects.get().title == "x"
    bad = admin.post("/needs/plans/wa-steward/", {**data, "measure": "capacity"})
    assert bad.status_code == 400
    assert PlanGoal.objects.count() == 1


def test_a_proposal_to_widen_the_stewardship_shows_the_plan(steward: dict[str, object]) -> None:
    _goal(steward)
    now = timezone.now()
    proposal = Proposal.objects.create(
        key="widen-glam-wa", kind="change", title="Widen GLAM in Western Africa", rationale="More cases",
        proposer=steward["entity"], opens_at=now, closes_at=now + dt.timedelta(days=14),
        stewardship=steward["glam"], changes={"capacity": 6}, min_participants=1, share_numerator=1,
        share_denominator=2, require_affected_region=False,
    )  # fmt: skip
    page = Client().get(f"/framework/proposals/{proposal.key}").content.decode()
    assert "Capacity plan of West African chapter" in page
    assert "GLAM capacity for Western Africa from 2 to 6 cases" in page


def test_an_evaluation_finding_becomes_a_goal(steward: dict[str, object]) -> None:
    rubric = Rubric.objects.create(key="r", name="Rubric")
    evaluation = Evaluation.objects.create(
        key="case",
        title="Case study",
        rubric=rubric,
        steward=steward["entity"],
        evaluated_on=dt.date(2026, 5, 1),
    )
    EvaluationFact.objects.create(evaluation=evaluation, text="One coordinator holds every GLAM case",
                                  source_url="https://example.org/report")  # fmt: skip
    admin = Client()
    admin.force_login(steward["admin"])
    page = admin.get("/needs/plans/wa-steward/").content.decode()
    assert "One coordinator holds every GLAM case" in page
    answer = admin.post(
        "/needs/plans/wa-steward/",
        {"action": "goal", "title": "A second coordinator", "measure": "capacity", "baseline": 2, "target": 4,
         "stewardship": steward["glam"].pk, "evaluation": evaluation.pk,
         "finding": "One coordinator holds every GLAM case"},
    )  # fmt: skip
    assert answer.status_code == 302
    goal = PlanGoal.objects.get()
    assert (goal.evaluation, goal.finding) == (evaluation, "One coordinator holds every GLAM case")
    assert "Make it a goal" not in admin.get("/needs/plans/wa-steward/").content.decode()
