"""Who may take part in the agreement process, and who may record stewardships.

An entity's voice is cast by one of its admins; facilitators edit the quorum rules and read the audit
history; anyone in the movement may follow and discuss proposals.

An entity's admins speak for it, so they may also record the stewardships it offers (in any status; the
agreement process decides which become active) and change or withdraw them; facilitators may do so for any
entity. Stewardships are public: finding who stewards a cell is the point of the directory.
"""

from __future__ import annotations

from typing import Any

import rules

from partnernet.core.regions import WORLD, RegionTree
from partnernet.directory.rules import is_entity_admin, is_facilitator, is_local_row, is_movement_member

rules.add_perm("framework.propose_for_entity", is_entity_admin)
rules.add_perm("framework.endorse_for_entity", is_entity_admin)
rules.add_perm("framework.comment_on_proposal", is_movement_member)
rules.add_perm("framework.change_quorumrule", is_facilitator)
rules.add_perm("framework.view_audit_history", is_facilitator)


@rules.predicate
def is_steward_admin(user: Any, stewardship: Any) -> bool:
    """An admin of the entity that holds the stewardship."""
    return stewardship is not None and bool(is_entity_admin(user, stewardship.entity))


rules.add_perm("framework.view_stewardship", rules.always_allow)
# add_stewardship is asked about the entity that would hold the stewardship.
rules.add_perm("framework.add_stewardship", is_entity_admin | is_facilitator)
rules.add_perm("framework.change_stewardship", is_local_row & (is_steward_admin | is_facilitator))
rules.add_perm("framework.delete_stewardship", is_local_row & (is_steward_admin | is_facilitator))


def changes_needing_agreement(
    before: dict[str, Any] | None, after: dict[str, Any], tree: RegionTree
) -> list[str]:
    """The fields of a stewardship row (exchange form) whose change only the agreement process may make.

    The model must be agreed by movement entities (the recommendation), so a stewardship is taken up,
    activated, moved to another entity, widened (another type, any theme instead of one, a region that is
    not inside the old one) or given more capacity only by an accepted proposal. Narrowing, lowering the
    capacity, lapsing it and its practical details (languages, response time) are the holder's to change.
    ``before`` is ``None`` for a new stewardship: every one needs agreement.
    """
    if before is None:
        return ["key"]
    needing: list[str] = []
    if after.get("status") == "active" and before.get("status") != "active":
        needing.append("status")
    if after.get("entity") != before.get("entity"):
        needing.append("entity")
    if after.get("type") != before.get("type"):
        needing.append("type")
    if after.get("theme") != before.get("theme") and before.get("theme") is not None:
        needing.append("theme")
    old_region, new_region = before.get("region") or WORLD, after.get("region") or WORLD
    if new_region != old_region and not tree.covers(old_region, new_region):
        needing.append("region")
    if (after.get("capacity") or 0) > (before.get("capacity") or 0):
        needing.append("capacity")
    return needing
