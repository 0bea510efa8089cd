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
