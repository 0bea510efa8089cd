"""Who may see and ask for support requests.

A request says what an entity struggles with, so it is not public: members of the requesting entity and of
the steward it is routed to see it, facilitators see all (they work the queue of requests nobody took), and
superusers (the operator) too. ``visible_requests`` is the one filter every list, export and search uses.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q, QuerySet

from partnernet.directory.rules import entity_ids_of, is_entity_member, is_facilitator
from partnernet.support.models import SupportRequest


def visible_requests(user: Any, queryset: QuerySet[SupportRequest] | None = None) -> QuerySet[SupportRequest]:
    """Restrict ``queryset`` (default: all) to the requests ``user`` may see, as one SQL filter."""
    rows = SupportRequest.objects.all() if queryset is None else queryset
    if getattr(user, "is_superuser", False) or is_facilitator(user):
        return rows
    own = entity_ids_of(user)
    if not own:
        return rows.none()
    return rows.filter(Q(requester_id__in=own) | Q(steward_id__in=own))


@rules.predicate
def can_view_request(user: Any, request: SupportRequest | None) -> bool:
    if request is None:
        return False
    if getattr(user, "is_superuser", False) or is_facilitator(user):
        return True
    own = entity_ids_of(user)
    return request.requester_id in own or (request.steward_id is not None and request.steward_id in own)


rules.add_perm("support.view_request", can_view_request)
# add_request is asked about the requesting entity: its members ask on its behalf.
rules.add_perm("support.add_request", is_entity_member | is_facilitator)
