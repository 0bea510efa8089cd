"""A steward's capacity plan: its goals with progress read from the data, what was delivered to its needs,
and, for its admins, adding goals and milestones and turning an evaluation's findings into goals."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from partnernet.base.identity import instance_id
from partnernet.base.records import RecordRejected
from partnernet.base.references import origin_rank
from partnernet.directory.models import Entity
from partnernet.sustainability import services
from partnernet.sustainability.forms import GoalForm, MilestoneForm
from partnernet.sustainability.models import PlanGoal
from partnernet.sustainability.planning import findings_of, plan_view


def _entity(key: str) -> Entity:
    rows = list(Entity.objects.filter(key=key))
    if not rows:
        raise Http404(_("No such entity."))
    return min(rows, key=lambda row: origin_rank(row.origin, instance_id()))


@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest, key: str) -> HttpResponse:
    entity = _entity(key)
    may_edit = request.user.has_perm("sustainability.change_plan", entity)
    goal_form = GoalForm(entity=entity, initial={"measure": "capacity"}) if may_edit else None
    milestone_form = MilestoneForm(entity=entity) if may_edit else None
    if request.GET.get("finding") and goal_form is not None:
        goal_form = GoalForm(
            entity=entity,
            initial={"title": request.GET["finding"][:300], "finding": request.GET["finding"],
                     "evaluation": request.GET.get("evaluation"), "measure": "capacity"},
        )  # fmt: skip
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied(_("Only the entity's admins change its plan."))
        action = request.POST.get("action")
        if action == "goal":
            goal_form = GoalForm(request.POST, entity=entity)
            if goal_form.is_valid():
                try:
                    services.add_goal(request.user, entity, goal_form.cleaned_data)
                except RecordRejected as error:
                    for name, problems in error.fields.items():
                        for problem in problems:
                            goal_form.add_error(name if name in goal_form.fields else None, problem)
                else:
                    messages.success(request, _("The goal is added to the plan."))
                    return redirect("sustainability:plan", key=entity.key)
        elif action == "milestone":
            milestone_form = MilestoneForm(request.POST, entity=entity)
            if milestone_form.is_valid():
                data = milestone_form.cleaned_data
                services.add_milestone(request.user, data["goal"], data["title"], data["value"], data["due"])
                messages.success(request, _("The milestone is added."))
                return redirect("sustainability:plan", key=entity.key)
        elif action == "remove":
            goal = PlanGoal.objects.filter(plan__entity=entity, pk=request.POST.get("goal") or 0).first()
            if goal is not None:
                services.remove_goal(request.user, goal)
                messages.success(request, _("The goal is removed."))
            return redirect("sustainability:plan", key=entity.key)
    invalid = bool(
        (goal_form is not None and goal_form.errors) or (milestone_form is not None and milestone_form.errors)
    )
    context: dict[str, Any] = {
        "view": plan_view(entity, request.user),
        "may_edit": may_edit,
        "goal_form": goal_form,
        "milestone_form": milestone_form,
        "findings": findings_of(entity) if may_edit else [],
    }
    return render(request, "sustainability/plan.html", context, status=400 if invalid else 200)
