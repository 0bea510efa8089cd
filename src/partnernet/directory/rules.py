"""Who may do what, decided in one place: roles of a person come from their memberships.

Roles (DESIGN.md): anonymous; member or admin of an entity (through ``Membership``); facilitator (members of
the ``facilitators`` group run the framework and the agreement process); superuser. Views, the API, exports
and search all ask these predicates, so a rule changes everywhere at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import rules

from partnernet.directory.models import Entity, Membership

FACILITATORS = "facilitators"


def _roles(user: Any) -> dict[int, str]:
    """The person's role per entity id, read once per user object (one query per request)."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached: dict[int, str] | None = getattr(user, "_partnernet_roles", None)
    if cached is None:
        cached = dict(Membership.objects.filter(user=user).values_list("entity_id", "role"))
        user._partnernet_roles = cached
    return cached


def entity_ids_of(user: Any, role: str | None = None) -> set[int]:
    """Ids of the entities the person belongs to (or holds ``role`` in)."""
    return {entity_id for entity_id, held in _roles(user).items() if role is None or held == role}


@rules.predicate
def is_facilitator(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    cached: bool | None = getattr(user, "_partnernet_facilitator", None)
    if cached is None:
        cached = user.groups.filter(name=FACILITATORS).exists()
        user._partnernet_facilitator = cached
    return bool(cached)


@rules.predicate
def is_movement_member(user: Any) -> bool:
    """Belongs to at least one entity: may see rows of visibility ``movement``."""
    return bool(_roles(user)) or bool(is_facilitator(user))


@rules.predicate
def is_entity_member(user: Any, entity: Entity | None) -> bool:
    return entity is not None and entity.pk in _roles(user)


@rules.predicate
def is_entity_admin(user: Any, entity: Entity | None) -> bool:
    return entity is not None and _roles(user).get(entity.pk) == Membership.Role.ADMIN


@rules.predicate
def is_local_row(user: Any, obj: Any) -> bool:
    """Only the origin may change a record: rows from the seed or from peers are read-only here."""
    from partnernet.base.identity import instance_id

    return obj is not None and getattr(obj, "origin", None) == instance_id()


rules.add_perm("directory.view_entity", rules.always_allow)
rules.add_perm("directory.add_entity", is_facilitator)
rules.add_perm("directory.delete_entity", is_local_row & is_facilitator)
rules.add_perm("directory.view_partner", rules.always_allow)
rules.add_perm("directory.add_partner", is_movement_member)
# directory.change_partner is the partnerships app's rule: the parties of a partnership with the partner.
rules.add_perm("directory.delete_partner", is_local_row & is_facilitator)
rules.add_perm("directory.change_entity", is_local_row & (is_entity_admin | is_facilitator))
rules.add_perm("directory.view_members", is_entity_member | is_facilitator)
rules.add_perm("directory.manage_members", is_entity_admin)


@dataclass(frozen=True)
class EntityActions:
    """What a person may do on an entity's page."""

    edit: bool = False
    see_members: bool = False


def entity_actions(user: Any, entity: Entity) -> EntityActions:
    """The origin check applies to superusers too (Django grants them every permission): a row from the
    seed or a peer is read-only here for everyone."""
    return EntityActions(
        edit=bool(is_local_row(user, entity)) and user.has_perm("directory.change_entity", entity),
        see_members=user.has_perm("directory.view_members", entity),
    )


@dataclass(frozen=True)
class PartnerActions:
    edit: bool = False


def partner_actions(user: Any, partner: Any) -> PartnerActions:
    """``directory.change_partner`` (the partnerships app's rule: the parties of a partnership with the
    institution, and facilitators), with the origin check applied to superusers too."""
    return PartnerActions(
        edit=bool(is_local_row(user, partner)) and user.has_perm("directory.change_partner", partner)
    )
