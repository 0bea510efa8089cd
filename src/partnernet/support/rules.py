"""Who may see and act on support requests and hostings.

- The requester's members see their request, follow it and may withdraw it.
- The steward's members (the entity the request is offered to or held by) work it from their inbox.
- Facilitators see every request, work the facilitators' queue and may offer a request to any steward.
- Hostings are public, as on the entity pages; members of either side may end one and read why it ended.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q, QuerySet

from partnernet.directory.rules import entity_ids_of, is_entity_member, is_facilitator
from partnernet.support.models import Hosting, SupportRequest


def visible_requests(user: Any, queryset: QuerySet[SupportRequest] | None = None) -> QuerySet[SupportRequest]:
    """The one filter every list, export and search of requests uses (the people of ``view_request``).

    A request says what an entity struggles with, so it is not public: members of the requesting entity and
    of the steward it is routed to see it, facilitators see all (they work the queue), superusers too.
    """
    rows = SupportRequest.objects.all() if queryset is None else queryset
    if getattr(user, "is_superuser", False) or is_facilitator(user):
        return rows
    own = entity_ids_of(user)
    if not own:
        return rows.none()
    return rows.filter(Q(requester_id__in=own) | Q(steward_id__in=own))


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


def visible_hostings(user: Any, queryset: QuerySet[Hosting] | None = None) -> QuerySet[Hosting]:
    """Hostings ``user`` may see: all of them, for everyone, as every entity page lists the hostings it gives
    and receives (sides, term, status, who ended it and when). What a hosting does not show to everyone (the
    request it came from, the reason it ended) is left out per row by the permissions below."""
    return Hosting.objects.all() if queryset is None else queryset


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
# The reason a hosting ended goes by e-mail to both sides' members and is shown nowhere else.
rules.add_perm("support.view_hosting_reason", is_hosting_party)
# add_request is asked about the requesting entity: its members ask on its behalf.
rules.add_perm("support.add_request", is_entity_member | is_facilitator)
