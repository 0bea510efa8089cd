"""Who may take part in the agreement process.

An entity's voice is cast by one of its admins; facilitators edit the quorum rules and read the audit
history; anyone in the movement may follow and discuss proposals.
"""

from __future__ import annotations

import rules

from partnernet.directory.rules import is_entity_admin, is_facilitator, is_movement_member

rules.add_perm("framework.propose_for_entity", is_entity_admin)
rules.add_perm("framework.endorse_for_entity", is_entity_admin)
rules.add_perm("framework.comment_on_proposal", is_movement_member)
rules.add_perm("framework.change_quorumrule", is_facilitator)
rules.add_perm("framework.view_audit_history", is_facilitator)
