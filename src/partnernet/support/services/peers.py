"""Support requests that cross instances: offering to a peer's steward, and the answers coming back.

Routing treats a trusted peer's stewardship like a local one (DESIGN.md, Federation). When one wins, the
request is *delivered* to that peer's inbox (through ``base.peering``, which federation implements) and waits
there for the steward's answer; the peer's steward answers on their own instance, and the answer returns
through the feed. This module is the support side of that exchange, so the workflow's rules (locking, expected
status, timeline, e-mails, the next candidate after a decline) stay in one place:

* on the sender, ``apply_peer_answer`` takes the peer's status as the steward's answer — a decline moves the
  request to the next candidate exactly as a local decline does; an answer for an offer the request has
  moved on from (a timeout here, a facilitator's choice) is ignored;
* on the receiver, a delivered copy is declined back rather than routed among the receiver's own stewards
  (the sender owns the routing), and ``sender_moved_on`` withdraws the copy when the sender withdrew the
  request or routed it elsewhere.

The sender's offer clock runs ``PEER_GRACE_DAYS`` longer than the stewardship's response time, so the peer's
own timeout (a decline that comes back) normally arrives first, and an unreachable peer still cannot hold a
request forever.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnernet.audit.services import record
from partnernet.base.identity import instance_id
from partnernet.base.peering import peering
from partnernet.base.records import RecordRejected, grouped
from partnernet.base.references import References
from partnernet.base.registry import record_kind
from partnernet.framework.models import Stewardship
from partnernet.i18n.sentences import Message, message
from partnernet.support.models import LOAD_STATUSES, EventKind, RequestStatus, SupportRequest

PEER_GRACE_DAYS = 1


def is_peer_stewardship(stewardship: Stewardship) -> bool:
    return stewardship.origin != instance_id()


def may_go_to(origin: str, request: SupportRequest) -> bool:
    """Whether ``request`` may be offered to a stewardship of ``origin``: always a local one; a peer's only
    when the peer is reachable and the request has a requester entity to name (a proposal from the public
    form carries contact details that stay on this instance)."""
    if origin == instance_id():
        return True
    return request.requester_id is not None and reachable_peer(origin)


def reachable_peer(origin: str) -> bool:
    """Whether requests can be offered to stewardships of ``origin``: a trusted peer not marked unavailable
    (failing for days), so routing does not park a request with an instance that cannot take it."""
    return peering().reachable(origin)


def hand_to_peer(request: SupportRequest, stewardship: Stewardship) -> None:
    """Queue the delivery of ``request`` to the peer owning ``stewardship``, in the routing transaction."""
    peering().deliver(request, stewardship)


def receive_delivered_request(
    origin: str, values: dict[str, Any], stewardship: Stewardship
) -> SupportRequest:
    """Make the local copy of a request the instance ``origin`` delivered for our ``stewardship``: offered
    to that stewardship at once (the sender did the routing). Fields go through the requests kind's cleaner,
    keys meaning ``origin``'s rows first; ``RecordRejected`` names every bad field and nothing is written.
    Call inside the caller's transaction (which also records the inbox item)."""
    kind = record_kind("requests").exchange
    description = str(values.pop("description", None) or "")
    values = {name: value for name, value in values.items() if name in kind.fields}
    values = {**values, "steward": stewardship.entity.key, "partnership": None}
    refs = References(preferred=origin)
    refs.load(**kind.referenced(values))
    refs.entities[stewardship.entity.key] = stewardship.entity_id
    clean, errors = kind.clean(values, refs)
    if errors:
        raise RecordRejected(grouped(errors), "the support request has invalid fields")
    request = SupportRequest(status=RequestStatus.OFFERED, stewardship=stewardship, description=description)
    kind.assign(request, {**clean, "status": RequestStatus.OFFERED}, frozenset(kind.fields), refs)
    request.stewardship = stewardship
    request.save()
    return request


def is_delivered_copy(request: SupportRequest) -> bool:
    """A request a peer delivered here: its routing belongs to the sender."""
    return peering().sender_of(request) is not None


def _locked(pk: int) -> SupportRequest | None:
    """The request row locked (``of=self``: PostgreSQL cannot lock the nullable side of the steward join)."""
    return (
        SupportRequest.objects.select_for_update(of=("self",)).filter(pk=pk).select_related("steward").first()
    )


@transaction.atomic
def apply_peer_answer(
    request_id: int | None,
    stewardship_id: int | None,
    status: str,
    resolved: dt.date | None,
    peer_name: str,
    note: str | Message = "",
) -> bool:
    """Take the status a peer reports for a request we delivered to its ``stewardship_id`` as the steward's
    answer. Returns whether anything changed."""
    from partnernet.support.services.steps import add_event, notify, route_to_next, save_fields

    request = _locked(request_id) if request_id is not None else None
    if request is None or request.status not in LOAD_STATUSES:
        return False
    if stewardship_id is None or request.stewardship_id != stewardship_id:
        return False
    steward = request.steward.name if request.steward else peer_name
    before = request.status
    if status == RequestStatus.DECLINED or status == RequestStatus.WITHDRAWN:
        if before != RequestStatus.OFFERED:
            return False
        request.tried = [*request.tried, request.stewardship_id]
        save_fields(request, ["tried"])
        add_event(
            request,
            EventKind.DECLINED,
            None,
            note or message("support.peer_declined", steward=steward, peer=peer_name),
        )
        route_to_next(request, None)
    elif status == RequestStatus.ACCEPTED and before == RequestStatus.OFFERED:
        request.status = RequestStatus.ACCEPTED
        request.due_at = None
        save_fields(request, ["status", "due_at"])
        add_event(request, EventKind.ACCEPTED, None, message("support.peer_accepted", peer=peer_name))
        notify(
            request,
            message("mail.peer_accepted.subject"),
            message("mail.peer_accepted.body", steward=steward),
        )
    elif status == RequestStatus.IN_PROGRESS and before in (RequestStatus.OFFERED, RequestStatus.ACCEPTED):
        request.status = RequestStatus.IN_PROGRESS
        request.due_at = None
        save_fields(request, ["status", "due_at"])
        add_event(request, EventKind.IN_PROGRESS, None, message("support.peer_started", peer=peer_name))
        notify(request, message("mail.started.subject"), message("mail.started.body"))
    elif status == RequestStatus.RESOLVED:
        request.status = RequestStatus.RESOLVED
        request.due_at = None
        request.resolved = max(resolved or timezone.localdate(), request.created)
        request.outcome = request.outcome or _("Resolved by %(steward)s on %(peer)s.") % {
            "steward": steward,
            "peer": peer_name,
        }
        save_fields(request, ["status", "due_at", "resolved", "outcome"])
        add_event(request, EventKind.RESOLVED, None, request.outcome)
        notify(request, message("mail.resolved.subject"), request.outcome)
    else:
        return False
    record(None, "update", "peer_answer", request, {"status": [before, request.status]})
    return True


def decline_delivered_copy(request: SupportRequest, actor: Any, note: str | Message, kind: str) -> None:
    """Decline a delivered copy back to its sender (inside the caller's locked transaction): the sender
    offers the request to its next candidate, which may be on yet another instance."""
    from partnernet.support.services.steps import add_event, save_fields

    request.status = RequestStatus.DECLINED
    request.due_at = None
    save_fields(request, ["status", "due_at"])
    add_event(request, kind, actor, note)


@transaction.atomic
def sender_moved_on(request_id: int | None, peer_name: str) -> bool:
    """The sender withdrew the request it delivered here, or offered it elsewhere: withdraw our copy."""
    from partnernet.support.services.steps import add_event, notify, save_fields

    request = _locked(request_id) if request_id is not None else None
    if request is None or request.status not in LOAD_STATUSES:
        return False
    before = request.status
    request.status = RequestStatus.WITHDRAWN
    request.due_at = None
    save_fields(request, ["status", "due_at"])
    note = message("support.sender_moved_on", peer=peer_name)
    add_event(request, EventKind.WITHDRAWN, None, note)
    record(None, "update", "sender_moved_on", request, {"status": [before, RequestStatus.WITHDRAWN]})
    notify(request, message("mail.withdrawn.subject"), note)
    return True
