"""Who may see and act on support requests and hostings.

- The requester's members see their request, follow it and may withdraw it.
- The steward's members (the entity the request is offered to or held by) work it from their inbox.
- Facilitators see every request, work the facilitators' queue and may offer a request to any steward.
- Hostings are public, as on the entity pages; members of either side may end one and read why it ended.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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
# A proposing institution's contact person agreed to share their name and address with the steward; the
# facilitators, who may have to find another steward, see it too. Nobody else (the requester of an entity's
# request is its members, who have the same rights as before).
rules.add_perm("support.view_contact", is_steward_member | is_facilitator)
rules.add_perm("support.link_partner", is_steward_member | is_facilitator)
rules.add_perm("support.establish_hosting", is_steward_member)
rules.add_perm("support.end_hosting", is_hosting_party)
# The reason a hosting ended goes by e-mail to both sides' members and is shown nowhere else.
rules.add_perm("support.view_hosting_reason", is_hosting_party)


def redact_request(user: Any) -> Callable[[Any, dict[str, Any]], dict[str, Any]]:
    """Empties the fields of a visible request that name something ``user`` may not see.

    A support request is seen by the steward's members, who may not be parties to the private partnership it
    is about: the request shows, the partnership's key does not.
    """
    from partnernet.partnerships.rules import visible_partnerships

    seen: dict[int, bool] = {}

    def hide(obj: Any, row: dict[str, Any]) -> dict[str, Any]:
        if obj.partnership_id is not None:
            if obj.partnership_id not in seen:
                seen[obj.partnership_id] = visible_partnerships(user).filter(pk=obj.partnership_id).exists()
            if not seen[obj.partnership_id]:
                row = {**row, "partnership": None}
        return row

    return hide


@dataclass(frozen=True)
class RequestActions:
    """What a person may do with a request now: the permission and the request's state together, decided
    here once so the page shows exactly the buttons the services will accept."""

    accept: bool = False
    decline: bool = False
    start: bool = False
    resolve: bool = False
    withdraw: bool = False
    host: bool = False
    route_again: bool = False
    offer: bool = False
    see_delivery_errors: bool = False
    see_contact: bool = False
    link_partner: bool = False

    @property
    def answer(self) -> bool:
        return self.accept or self.decline


OPEN_TO_WITHDRAW = ("open", "offered", "accepted", "in_progress")


def request_actions(user: Any, request: SupportRequest) -> RequestActions:
    from partnernet.support.models import HOSTING_NEEDS

    answering = user.has_perm("support.answer_request", request)
    managing = user.has_perm("support.manage_queue")
    status = request.status
    host = (
        status == "resolved"
        and request.need in HOSTING_NEEDS
        and request.requester_id is not None
        and user.has_perm("support.establish_hosting", request)
        and not Hosting.objects.filter(
            host_id=request.steward_id, hosted_id=request.requester_id, status=Hosting.Status.ACTIVE
        ).exists()
    )
    return RequestActions(
        accept=answering and status == "offered",
        decline=answering and status == "offered",
        start=answering and status == "accepted",
        resolve=answering and status in ("accepted", "in_progress"),
        withdraw=user.has_perm("support.withdraw_request", request) and status in OPEN_TO_WITHDRAW,
        host=host,
        route_again=managing and status == "open",
        offer=managing and status in ("open", "offered"),
        see_delivery_errors=managing,
        see_contact=user.has_perm("support.view_contact", request),
        link_partner=request.partner_id is not None
        and request.requester_id is None
        and status in OPEN_TO_WITHDRAW
        and user.has_perm("support.link_partner", request),
    )
