"""Visibility of partnerships, the one place views, API, exports and search ask.

- ``public``: everyone, anonymous included.
- ``movement``: people who belong to a movement entity (any membership), and facilitators.
- ``private``: members of the lead or of a supporting entity only; superusers (the operator) see all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import rules
from django.db.models import Q, QuerySet

from partnernet.directory.rules import (
    entity_ids_of,
    is_entity_admin,
    is_entity_member,
    is_facilitator,
    is_local_row,
    is_movement_member,
)
from partnernet.partnerships.models import Partnership, Visibility


def visible_partnerships(user: Any, queryset: QuerySet[Partnership] | None = None) -> QuerySet[Partnership]:
    """Restrict ``queryset`` (default: all) to what ``user`` may see, as one SQL filter."""
    rows = Partnership.objects.all() if queryset is None else queryset
    if getattr(user, "is_superuser", False):
        return rows
    # "Not private" rather than "public or movement": the same rows (visibility has three values), but a
    # negation lets the database walk the ordering index instead of sorting most of the table.
    allowed = (
        ~Q(visibility=Visibility.PRIVATE) if is_movement_member(user) else Q(visibility=Visibility.PUBLIC)
    )
    own = entity_ids_of(user)
    if own:
        involved = Partnership.supporters.through.objects.filter(entity_id__in=own).values("partnership_id")
        allowed |= Q(visibility=Visibility.PRIVATE) & (Q(lead_id__in=own) | Q(pk__in=involved))
    return rows.filter(allowed)


@rules.predicate
def can_view_partnership(user: Any, partnership: Partnership | None) -> bool:
    if partnership is None:
        return False
    if getattr(user, "is_superuser", False) or partnership.visibility == Visibility.PUBLIC:
        return True
    if partnership.visibility == Visibility.MOVEMENT:
        return bool(is_movement_member(user))
    own = entity_ids_of(user)
    return partnership.lead_id in own or partnership.supporters.filter(pk__in=own).exists()


@rules.predicate
def is_partnership_party(user: Any, partnership: Partnership | None) -> bool:
    """A member of the lead or of a supporting entity."""
    if partnership is None:
        return False
    return (
        bool(is_entity_member(user, partnership.lead))
        or partnership.supporters.filter(pk__in=entity_ids_of(user)).exists()
    )


@rules.predicate
def is_lead_admin(user: Any, partnership: Partnership | None) -> bool:
    return partnership is not None and bool(is_entity_admin(user, partnership.lead))


rules.add_perm("partnerships.view_partnership", can_view_partnership)
# add_partnership is asked about the entity that would lead it: its members record its partnerships.
rules.add_perm("partnerships.add_partnership", is_entity_member | is_facilitator)
rules.add_perm("partnerships.delete_partnership", is_local_row & (is_lead_admin | is_facilitator))
rules.add_perm("partnerships.change_partnership", is_local_row & (is_partnership_party | is_facilitator))
rules.add_perm("partnerships.view_agreements", is_partnership_party)


@rules.predicate
def is_partner_party(user: Any, partner: Any) -> bool:
    """A member of an entity that leads or supports a partnership with this partner institution."""
    if partner is None:
        return False
    own = entity_ids_of(user)
    if not own:
        return False
    return (
        Partnership.objects.filter(partners=partner)
        .filter(Q(lead_id__in=own) | Q(supporters__in=own))
        .exists()
    )


# The directory's rule, kept here because it is about partnerships: the parties of a partnership with the
# institution (and facilitators) may correct a partner row of this instance.
rules.add_perm("directory.change_partner", is_local_row & (is_partner_party | is_facilitator))


@dataclass(frozen=True)
class PartnershipActions:
    edit: bool = False
    see_agreements: bool = False


def partnership_actions(user: Any, partnership: Partnership) -> PartnershipActions:
    """The origin check applies to superusers too: a peer's partnership is read-only here for everyone."""
    return PartnershipActions(
        edit=bool(is_local_row(user, partnership))
        and user.has_perm("partnerships.change_partnership", partnership),
        see_agreements=user.has_perm("partnerships.view_agreements", partnership),
    )
