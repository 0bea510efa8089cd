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


@rules.predicate
def is_seed_row(user: Any, obj: Any) -> bool:
    from partnernet.base.models import SEED_ORIGIN

    return obj is not None and getattr(obj, "origin", None) == SEED_ORIGIN


@rules.predicate
def is_homed_here(user: Any, entity: Entity | None) -> bool:
    """This instance is the entity's home: the only one that keeps (and accepts edits of) its profile."""
    from partnernet.base.identity import instance_id

    return entity is not None and entity.home_instance == instance_id()


@rules.predicate
def decides_join(user: Any, join: Any) -> bool:
    """The admins of the entity a person asks to join decide on it."""
    return join is not None and bool(is_entity_admin(user, join.entity))


rules.add_perm("directory.view_entity", rules.always_allow)
rules.add_perm("directory.change_profile", is_seed_row & is_homed_here & (is_entity_admin | is_facilitator))
rules.add_perm("directory.decide_join", decides_join)
rules.add_perm("directory.decide_claims", is_facilitator)
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
    join: bool = False
    claim: bool = False
    decide_joins: bool = False


def entity_actions(user: Any, entity: Entity) -> EntityActions:
    """The origin check applies to superusers too (Django grants them every permission): a row from a peer
    is read-only here for everyone, and a seeded row is edited only as the profile its home keeps.

    ``join`` and ``claim`` are offered to signed-in people who are not yet members, where the step can be
    taken here (a seeded affiliate without admins is claimed; an entity with admins is joined); the services
    still refuse, with a reason, what changed since the page was drawn.
    """
    from partnernet.base.identity import instance_id

    signed_in = bool(getattr(user, "is_authenticated", False))
    seeded = bool(is_seed_row(user, entity))
    home = entity.home_instance
    here = not home or home == instance_id()
    member = bool(is_entity_member(user, entity))
    may_step_in = signed_in and here and not member
    has_admins = may_step_in and entity.memberships.filter(role=Membership.Role.ADMIN).exists()
    local_edit = bool(is_local_row(user, entity)) and user.has_perm("directory.change_entity", entity)
    profile_edit = (
        seeded and bool(is_homed_here(user, entity)) and user.has_perm("directory.change_profile", entity)
    )
    return EntityActions(
        edit=local_edit or profile_edit,
        see_members=user.has_perm("directory.view_members", entity),
        join=may_step_in and has_admins,
        claim=may_step_in and seeded and not has_admins,
        decide_joins=bool(is_entity_admin(user, entity)),
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
