"""Who may make what for themselves: a person makes their own individual profile once."""

from __future__ import annotations

from typing import Any

import rules

from partnernet.directory.models import Entity, Membership


@rules.predicate
def has_no_individual_profile(user: Any) -> bool:
    """Logged in and not yet the admin of an individual profile (one per person: a person is one actor)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return not Membership.objects.filter(
        user=user, role=Membership.Role.ADMIN, entity__kind=Entity.Kind.INDIVIDUAL
    ).exists()


rules.add_perm("accounts.create_individual_profile", has_no_individual_profile)
