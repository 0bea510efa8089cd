"""Reads of capacity plans: each goal's progress from the data, the capacity changes it rests on, what was
delivered to the steward's needs, and the evaluation findings that may become goals.

Progress is never typed in: a capacity goal reads its stewardship's capacity now (0 once it is no longer
active) and the audited changes of it; a needs goal counts its needs that are met (``core.plans``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from partnernet.audit.selectors import history_of
from partnernet.core.needs import totals_by_currency
from partnernet.core.plans import Progress, progress
from partnernet.framework.models import Stewardship
from partnernet.impact.models import Evaluation
from partnernet.sustainability.models import CapacityPlan, GoalMeasure, Need, NeedStatus, PlanGoal, Pledge
from partnernet.sustainability.rules import visible_needs


@dataclass(frozen=True)
class CapacityChange:
    at: dt.datetime
    before: Any
    after: Any


@dataclass(frozen=True)
class GoalView:
    goal: PlanGoal
    progress: Progress
    needs: list[Need]
    changes: list[CapacityChange] = field(default_factory=list)


@dataclass(frozen=True)
class Delivered:
    """What was delivered to the steward's needs: needs met, and delivered amounts per unit or currency."""

    needs_met: int
    needs_open: int
    money: dict[str, Decimal]
    fte: Decimal | None
    hours: Decimal | None


@dataclass(frozen=True)
class PlanView:
    entity: Any
    plan: CapacityPlan | None
    goals: list[GoalView]
    delivered: Delivered


def capacity_changes(stewardship: Stewardship) -> list[CapacityChange]:
    """Every audited change of the stewardship's capacity, oldest first."""
    changes = []
    for event in history_of(stewardship).order_by("at", "pk"):
        values = (event.changes or {}).get("capacity")
        if isinstance(values, list) and len(values) == 2 and values[0] != values[1]:
            changes.append(CapacityChange(event.at, values[0], values[1]))
    return changes


def current_value(goal: PlanGoal) -> int:
    if goal.measure == GoalMeasure.CAPACITY:
        held = goal.stewardship
        return held.capacity if held is not None and held.status == Stewardship.Status.ACTIVE else 0
    return goal.needs.filter(status=NeedStatus.MET).count()


def goal_view(goal: PlanGoal, user: Any, today: dt.date) -> GoalView:
    milestones = [(m.title, m.due, m.value) for m in goal.milestones.all()]
    state = progress(goal.baseline, goal.target, current_value(goal), goal.due, milestones, today)
    needs = list(visible_needs(user, goal.needs.all()))
    changes = capacity_changes(goal.stewardship) if goal.stewardship is not None else []
    return GoalView(goal, state, needs, changes)


def delivered_to(entity: Any, user: Any) -> Delivered:
    """Delivered pledges to the entity's needs that ``user`` may see; money stays per currency."""
    needs = visible_needs(user, Need.objects.filter(entity=entity))
    rows = Pledge.objects.filter(need__in=needs, status=Pledge.Status.DELIVERED).values_list(
        "need__unit", "need__currency", "amount"
    )
    money = totals_by_currency((currency, amount) for unit, currency, amount in rows if unit == "money")
    by_unit = totals_by_currency((unit, amount) for unit, _, amount in rows if unit in ("fte", "hours"))
    return Delivered(
        needs_met=needs.filter(status=NeedStatus.MET).count(),
        needs_open=needs.filter(status__in=(NeedStatus.OPEN, NeedStatus.PARTLY_MET)).count(),
        money=money,
        fte=by_unit.get("fte"),
        hours=by_unit.get("hours"),
    )


def plan_view(entity: Any, user: Any, today: dt.date | None = None) -> PlanView:
    day = today or timezone.localdate()
    plan = CapacityPlan.objects.filter(entity=entity).order_by("pk").first()
    goals = []
    if plan is not None:
        rows = plan.goals.select_related("stewardship__type", "stewardship__region", "evaluation")
        goals = [goal_view(goal, user, day) for goal in rows.prefetch_related("milestones")]
    return PlanView(entity, plan, goals, delivered_to(entity, user))


@dataclass(frozen=True)
class Finding:
    evaluation: Evaluation
    text: str


def findings_of(entity: Any) -> list[Finding]:
    """Findings of the evaluations of the entity that are not a goal yet: facts, and the rationale of each
    score below the middle of its rubric's scale."""
    taken = set(PlanGoal.objects.filter(plan__entity=entity).values_list("evaluation_id", "finding"))
    found: list[Finding] = []
    for evaluation in (
        Evaluation.objects.filter(steward=entity).select_related("rubric").order_by("-evaluated_on")
    ):
        texts = [fact.text for fact in evaluation.facts.all()]
        middle = evaluation.rubric.scale_max / 2
        texts += [
            score.rationale
            for score in evaluation.scores.select_related("criterion")
            if score.rationale and score.score is not None and score.score < middle
        ]
        found += [Finding(evaluation, text) for text in texts if (evaluation.pk, text) not in taken]
    return found


def proposal_plan_panel(proposal: Any, user: Any) -> tuple[str, dict[str, Any]] | None:
    """On a proposal to renew or widen a stewardship (kind ``change``): its steward's plan and what was
    delivered to its needs (``framework.panels``)."""
    if proposal.kind != "change" or proposal.stewardship_id is None:
        return None
    entity = proposal.stewardship.entity
    return "sustainability/_proposal_plan.html", {"view": plan_view(entity, user)}
