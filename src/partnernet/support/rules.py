"""Who may see and act on support requests and hostings.

- The requester's members see their request, follow it and may withdraw it.
- The steward's members (the entity the request is offered to or held by) work it from their inbox.
- Facilitators see every request, work the facilitators' queue and may offer a request to any steward.
"""

from __future__ import annotations

from typing import Any

import rules

from partnernet.directory.rules import entity_ids_of, is_entity_member, is_facilitator
from partnernet.support.models import Hosting, SupportRequest


@rules.predicate
def is_requester_member(user: Any, request: SupportRequest | None) -> bool:
    return (
        request is not None
        and request.requester_id is not None
        and request.requester_id in entity_ids_of(user)
    )


@rules.predicate
def is_steward_member(user: Any, request: SupportRequest | None) -> bool:
    return (
        request is not None and request.steward_id is not None and request.steward_id in entity_ids_of(user)
    )


@rules.predicate
def is_hosting_party(user: Any, hosting: Hosting | None) -> bool:
    """A member of the host or of the hosted entity: either side may end a hosting."""
    if hosting is None:
        return False
    own = entity_ids_of(user)
    return hosting.host_id in own or hosting.hosted_id in own


@rules.predicate
def is_member_of_any_entity(user: Any) -> bool:
    return bool(entity_ids_of(user))


rules.add_perm("support.create_request", is_member_of_any_entity)
rules.add_perm("support.create_request_for", is_entity_member)
rules.add_perm("support.view_request", is_requester_member | is_steward_member | is_facilitator)
rules.add_perm("support.answer_request", is_steward_member)
rules.add_perm("support.withdraw_request", is_requester_member)
rules.add_perm("support.manage_queue", is_facilitator)
rules.add_perm("support.establish_hosting", is_steward_member)
rules.add_perm("support.end_hosting", is_hosting_party)
