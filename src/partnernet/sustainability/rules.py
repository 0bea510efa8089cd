"""Who may see and do what with needs and pledges, decided in one place (views, API, exports, feed).

Seeing follows the need's visibility, as for partnerships:

- ``public``: everyone, anonymous included;
- ``movement`` (the default): people who belong to a movement entity, and facilitators;
- ``private``: the members of the entity that declared it, and the operator (superusers). A private need
  never leaves the instance (``kinds.need_recipients``). A pledge is seen by whoever sees its need.

Acting:

- only the admins of an entity declare, change and withdraw its needs, and only on the instance that
  publishes the entity (its home; an unclaimed seeded entity has none yet, and may be spoken for here);
- anyone signed in who sees an open need of this instance may pledge to it: for an entity they belong to
  (not the needing entity itself), for a partner institution they act for, or as a person;
- a pledger changes or cancels only its own pledge (the person who made it, or the admins of the entity it
  pledged for); the need's admins confirm a delivery.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import rules
from django.db.models import Q, QuerySet

from partnernet.base.identity import instance_id
from partnernet.directory.models import Entity
from partnernet.directory.rules import entity_ids_of, is_entity_admin, is_local_row, is_movement_member
from partnernet.sustainability.models import Need, NeedStatus, NeedVisibility, Pledge, PledgeStatus


def visible_needs(user: Any, queryset: QuerySet[Need] | None = None) -> QuerySet[Need]:
    rows = Need.objects.all() if queryset is None else queryset
    if getattr(user, "is_superuser", False):
        return rows
    allowed = (
        ~Q(visibility=NeedVisibility.PRIVATE)
        if is_movement_member(user)
        else Q(visibility=NeedVisibility.PUBLIC)
    )
    own = entity_ids_of(user)
    if own:
        allowed |= Q(visibility=NeedVisibility.PRIVATE, entity_id__in=own)
    return rows.filter(allowed)


def visible_pledges(user: Any, queryset: QuerySet[Pledge] | None = None) -> QuerySet[Pledge]:
    rows = Pledge.objects.all() if queryset is None else queryset
    if getattr(user, "is_superuser", False):
        return rows
    return rows.filter(need__in=visible_needs(user).values("pk"))


def publishes_here(entity: Entity) -> bool:
    """This instance may publish the entity's needs: it is its home, or the entity has no home yet."""
    return entity.home_instance in ("", instance_id())


@rules.predicate
def can_view_need(user: Any, need: Need | None) -> bool:
    return need is not None and visible_needs(user, Need.objects.filter(pk=need.pk)).exists()


@rules.predicate
def can_declare_need(user: Any, entity: Entity | None) -> bool:
    return entity is not None and bool(is_entity_admin(user, entity)) and publishes_here(entity)


@rules.predicate
def is_need_admin(user: Any, need: Need | None) -> bool:
    return need is not None and bool(is_entity_admin(user, need.entity))


@rules.predicate
def can_pledge(user: Any, need: Need | None) -> bool:
    return (
        need is not None
        and getattr(user, "is_authenticated", False)
        and bool(is_local_row(user, need))
        and need.status != NeedStatus.WITHDRAWN
        and bool(can_view_need(user, need))
    )


@rules.predicate
def is_own_pledge(user: Any, pledge: Pledge | None) -> bool:
    if pledge is None or not getattr(user, "is_authenticated", False):
        return False
    if pledge.made_by_id == user.pk:
        return True
    return pledge.entity_id is not None and pledge.entity_id in entity_ids_of(user, "admin")


@rules.predicate
def is_pledged(user: Any, pledge: Pledge | None) -> bool:
    return pledge is not None and pledge.status == PledgeStatus.PLEDGED


@rules.predicate
def can_confirm(user: Any, pledge: Pledge | None) -> bool:
    return pledge is not None and bool(is_need_admin(user, pledge.need))


rules.add_perm("sustainability.view_need", can_view_need)
rules.add_perm("sustainability.declare_need", can_declare_need)
rules.add_perm("sustainability.change_plan", can_declare_need)
rules.add_perm("sustainability.change_need", is_local_row & is_need_admin)
rules.add_perm("sustainability.pledge", can_pledge)
rules.add_perm("sustainability.change_pledge", is_local_row & is_own_pledge & is_pledged)
rules.add_perm("sustainability.confirm_pledge", is_local_row & can_confirm & is_pledged)


def pledging_entities(user: Any, need: Need) -> QuerySet[Entity]:
    """The entities ``user`` may pledge for: those they belong to, except the needing entity."""
    return Entity.objects.filter(pk__in=entity_ids_of(user)).exclude(pk=need.entity_id).order_by("name")


@dataclass(frozen=True)
class NeedActions:
    edit: bool = False
    pledge: bool = False


def need_actions(user: Any, need: Need) -> NeedActions:
    return NeedActions(
        edit=user.has_perm("sustainability.change_need", need),
        pledge=user.has_perm("sustainability.pledge", need),
    )


@dataclass(frozen=True)
class PledgeActions:
    confirm: bool = False
    cancel: bool = False


def pledge_actions(user: Any, pledge: Pledge) -> PledgeActions:
    return PledgeActions(
        confirm=user.has_perm("sustainability.confirm_pledge", pledge),
        cancel=user.has_perm("sustainability.change_pledge", pledge),
    )


def declarable_keys(user: Any) -> set[str]:
    """Keys of the entities whose needs ``user`` may declare here (the links next to alerts)."""
    admin_of = Entity.objects.filter(pk__in=entity_ids_of(user, "admin"))
    return {entity.key for entity in admin_of if publishes_here(entity)}
