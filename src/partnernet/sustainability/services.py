"""Every write of needs and pledges: the writers of the two kinds (import, API, forms, federation apply all
go through them) and the use cases people act on, each one transaction with its audit event.

A need's status is never typed in: the need writer derives it from the delivered pledges
(``core.needs.need_status``) on every local write, except ``withdrawn``, which the need's admins set. Every
write of a pledge re-derives the status of its need. A peer's copies keep the status their origin sent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from partnernet.audit.services import record
from partnernet.base.cleaning import exchange_value
from partnernet.base.identity import instance_id
from partnernet.base.records import Planned, RecordRejected, RecordWriter, WriteCounts
from partnernet.base.references import References
from partnernet.core.needs import PledgeFigure, may_move, need_status
from partnernet.sustainability import notices
from partnernet.sustainability.models import (
    CapacityPlan,
    GoalMeasure,
    Milestone,
    Need,
    NeedStatus,
    PlanGoal,
    Pledge,
    PledgeStatus,
)


class NeedWriter(RecordWriter):
    kind_name = "needs"
    noun = "need"

    def before_save(self, obj: Any, clean: dict[str, Any], refs: References) -> None:
        if obj.pk is not None:
            _keep_unit_while_pledged(obj)
        obj.status = derived_status(obj)


class PledgeWriter(RecordWriter):
    kind_name = "pledges"
    noun = "pledge"

    def create(self, actor: Any, values: dict[str, Any], extra: dict[str, Any] | None = None) -> Any:
        with transaction.atomic():
            obj = super().create(actor, values, extra)
            refresh_needs(actor, [obj.need_id])
        return obj

    def update(self, actor: Any, obj: Any, changes: dict[str, Any], extra: dict[str, Any] | None = None,
               verb: str | None = None) -> Any:  # fmt: skip
        with transaction.atomic():
            before = obj.need_id
            result = super().update(actor, obj, changes, extra, verb)
            refresh_needs(actor, {before, obj.need_id})
        return result

    def delete(self, actor: Any, obj: Any) -> None:
        with transaction.atomic():
            need_id = obj.need_id
            super().delete(actor, obj)
            refresh_needs(actor, [need_id])

    def write_plan(self, plan: list[Planned], refs: References) -> WriteCounts:
        with transaction.atomic():
            before = {item.existing.need_id for item in plan if item.existing is not None}
            counts = super().write_plan(plan, refs)
            after = {refs.ids("needs")[item.clean["need"]] for item in plan}
            refresh_needs(None, before | after)
        return counts


NEEDS = NeedWriter()
PLEDGES = PledgeWriter()


def derived_status(need: Need) -> str:
    """The status ``need`` has from its delivered pledges (``withdrawn`` stays)."""
    figures = (
        [
            PledgeFigure(s, a)
            for s, a in Pledge.objects.filter(need_id=need.pk).values_list("status", "amount")
        ]
        if need.pk is not None
        else []
    )
    return need_status(need.amount, figures, withdrawn=need.status == NeedStatus.WITHDRAWN)


def _keep_unit_while_pledged(need: Need) -> None:
    stored = Need.objects.filter(pk=need.pk).values("unit", "currency").first()
    if stored is None or (stored["unit"], stored["currency"]) == (need.unit, need.currency):
        return
    if need.pledges.exclude(status=PledgeStatus.CANCELLED).exists():
        raise RecordRejected(
            {"unit": ["cannot change while pledges in the old unit or currency stand; cancel them first"]},
            "The unit of a need with pledges cannot change.",
        )


def refresh_needs(actor: Any, need_ids: Iterable[int]) -> None:
    """Re-derive the status of this instance's needs among ``need_ids``; a change is audited."""
    for need in Need.objects.filter(pk__in=set(need_ids), origin=instance_id()):
        if derived_status(need) != need.status:
            NEEDS.update(actor, need, {}, verb="update_need_status")


# -- needs -----------------------------------------------------------------------------------------------

NEED_FORM_FIELDS = (
    "kind", "title", "stewardships", "amount", "unit", "currency", "start", "end", "why", "urgency",
    "visibility",
)  # fmt: skip


def _free_key(model: type[Need] | type[Pledge], text: str, fallback: str) -> str:
    base = (slugify(text)[:90] or fallback).strip("-") or fallback
    taken = set(
        model.objects.filter(origin=instance_id(), key__startswith=base).values_list("key", flat=True)
    )
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def _values(data: dict[str, Any], names: Iterable[str]) -> dict[str, Any]:
    values = {}
    for name in names:
        if name in data:
            value = data[name]
            values[name] = str(value) if hasattr(value, "as_tuple") else exchange_value(value)
    return values


def declare_need(actor: Any, entity: Any, data: dict[str, Any], is_demo: bool = False) -> Need:
    """A need of ``entity`` (its admins declare it; the caller checked the rule); audited."""
    values = {**_values(data, NEED_FORM_FIELDS), "entity": entity.key}
    values["key"] = data.get("key") or _free_key(Need, f"{entity.key}-{data.get('title', '')}", "need")
    actor_user = actor if getattr(actor, "is_authenticated", False) else None
    obj: Need = NEEDS.create(actor, values, extra={"declared_by": actor_user, "is_demo": is_demo})
    return obj


def change_need(actor: Any, need: Need, data: dict[str, Any]) -> Need:
    stored = Need.objects.get(pk=need.pk)
    NEEDS.update(actor, stored, _values(data, NEED_FORM_FIELDS))
    return stored


@transaction.atomic
def withdraw_need(actor: Any, need: Need) -> Need:
    """The need is no longer wanted: it takes no pledges, and pledges not yet delivered are cancelled."""
    stored = Need.objects.select_for_update().get(pk=need.pk)
    waiting = list(stored.pledges.filter(status=PledgeStatus.PLEDGED).select_related("entity", "partner"))
    for pledge in waiting:
        PLEDGES.update(actor, pledge, {"status": PledgeStatus.CANCELLED}, verb="cancel_pledge")
    NEEDS.update(actor, stored, {"status": NeedStatus.WITHDRAWN}, verb="withdraw_need")
    notices.need_withdrawn(stored, waiting)
    return stored


@transaction.atomic
def reopen_need(actor: Any, need: Need) -> Need:
    stored = Need.objects.select_for_update().get(pk=need.pk)
    NEEDS.update(actor, stored, {"status": NeedStatus.OPEN}, verb="reopen_need")
    return stored


# -- pledges ---------------------------------------------------------------------------------------------


class PledgeRefused(Exception):
    """A pledge cannot move that way (such as delivering a cancelled one). Nothing was written."""


@transaction.atomic
def make_pledge(
    actor: Any,
    need: Need,
    *,
    what: str,
    amount: Any = None,
    when: dt.date | str | None = None,
    entity: Any = None,
    partner: Any = None,
    person: str = "",
    key: str = "",
    is_demo: bool = False,
) -> Pledge:
    """Commit to ``need`` as ``entity`` (a member acting for it), as a partner institution through
    ``person``, or as ``person``; both sides are told. The caller checked the rule."""
    Need.objects.select_for_update().filter(pk=need.pk).first()
    pledger = entity.key if entity is not None else partner.key if partner is not None else person
    values = {
        "key": key or _free_key(Pledge, f"{need.key}-{pledger}", "pledge"),
        "need": need.key,
        "entity": entity.key if entity is not None else "",
        "partner": partner.key if partner is not None else "",
        "person": person,
        "what": what,
        "amount": str(amount) if amount is not None else None,
        "when": when.isoformat() if isinstance(when, dt.date) else (when or None),
        "status": PledgeStatus.PLEDGED,
    }
    actor_user = actor if getattr(actor, "is_authenticated", False) else None
    obj: Pledge = PLEDGES.create(actor, values, extra={"made_by": actor_user, "is_demo": is_demo})
    obj = Pledge.objects.select_related("need__entity", "entity", "partner").get(pk=obj.pk)
    notices.pledge_event(obj, "made")
    return obj


def _move(actor: Any, pledge: Pledge, target: str, verb: str, event: str) -> Pledge:
    stored = Pledge.objects.select_for_update().get(pk=pledge.pk)
    if not may_move(stored.status, target):
        raise PledgeRefused(f"A pledge that is {stored.get_status_display()} cannot become {target}.")
    PLEDGES.update(actor, stored, {"status": target}, verb=verb)
    fresh = Pledge.objects.select_related("need__entity", "entity", "partner").get(pk=stored.pk)
    notices.pledge_event(fresh, event)
    return fresh


@transaction.atomic
def confirm_delivery(actor: Any, pledge: Pledge) -> Pledge:
    """The need's admins confirm the pledge was delivered; the need's status follows."""
    return _move(actor, pledge, PledgeStatus.DELIVERED, "deliver_pledge", "delivered")


@transaction.atomic
def cancel_pledge(actor: Any, pledge: Pledge) -> Pledge:
    """The pledger takes its pledge back before delivery."""
    return _move(actor, pledge, PledgeStatus.CANCELLED, "cancel_pledge", "cancelled")


@transaction.atomic
def change_pledge(actor: Any, pledge: Pledge, data: dict[str, Any]) -> Pledge:
    """The pledger corrects what, how much or when (not who, not the status)."""
    stored = Pledge.objects.select_for_update().get(pk=pledge.pk)
    if stored.status != PledgeStatus.PLEDGED:
        raise PledgeRefused("Only a pledge not yet delivered or cancelled can be changed.")
    PLEDGES.update(actor, stored, _values(data, ("what", "amount", "when")))
    return stored


# -- capacity plans --------------------------------------------------------------------------------------


def plan_for(actor: Any, entity: Any) -> CapacityPlan:
    """The entity's plan on this instance, made (and audited) the first time it is needed."""
    plan, made = CapacityPlan.objects.get_or_create(entity=entity, origin=instance_id())
    if made:
        record(actor, "create", "create_capacity_plan", plan, {"entity": [None, entity.key]})
    return plan


@transaction.atomic
def add_goal(actor: Any, entity: Any, data: dict[str, Any]) -> PlanGoal:
    """A goal of the entity's plan; ``evaluation`` and ``finding`` when it answers an evaluation's finding."""
    plan = plan_for(actor, entity)
    stewardship = data.get("stewardship")
    if data["measure"] == GoalMeasure.CAPACITY and stewardship is None:
        raise RecordRejected({"stewardship": ["is required to measure a capacity"]})
    if stewardship is not None and stewardship.entity_id != entity.pk:
        raise RecordRejected({"stewardship": [f"'{stewardship.key}' is not a stewardship of '{entity.key}'"]})
    needs = list(data.get("needs") or [])
    if any(need.entity_id != entity.pk for need in needs):
        raise RecordRejected({"needs": ["a goal depends only on its own entity's needs"]})
    goal = PlanGoal.objects.create(
        plan=plan,
        title=data["title"],
        measure=data["measure"],
        stewardship=stewardship,
        baseline=data["baseline"],
        target=data["target"],
        due=data.get("due"),
        evaluation=data.get("evaluation"),
        finding=data.get("finding") or "",
    )
    goal.needs.set(needs)
    changes = {
        name: [None, str(data.get(name))] for name in ("title", "measure", "baseline", "target", "due")
    }
    if goal.evaluation_id:
        changes["evaluation"] = [None, goal.evaluation.key]  # type: ignore[union-attr]
    record(actor, "create", "add_plan_goal", goal, changes)
    return goal


@transaction.atomic
def add_milestone(actor: Any, goal: PlanGoal, title: str, value: int, due: dt.date | None) -> Milestone:
    milestone = Milestone.objects.create(goal=goal, title=title, value=value, due=due)
    record(actor, "create", "add_milestone", goal, {"milestone": [None, f"{title}: {value} by {due or '—'}"]})
    return milestone


@transaction.atomic
def remove_goal(actor: Any, goal: PlanGoal) -> None:
    record(actor, "delete", "remove_plan_goal", goal, {"title": [goal.title, None]})
    goal.delete()
