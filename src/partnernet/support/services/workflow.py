"""The support request lifecycle: ask, route, offer, answer, resolve, withdraw, escalate.

Each function owns its transaction, locks the request row (``select_for_update``; SQLite's IMMEDIATE
transactions serialise writers the same way), checks the status it expects *after* taking the lock, and only
then changes anything. So when two stewards, or two browser tabs, act on one request at once, exactly one wins
and the other gets a :class:`WorkflowError` saying what happened instead. Every change writes a timeline event
and an audit event in the same transaction, and e-mails both sides once the transaction has committed.

``actor`` is the person acting (a user), or ``None`` for the system (the SLA task, the command line).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnernet.audit.services import record
from partnernet.base.identity import instance_id
from partnernet.core.routing import (
    Candidate,
)
from partnernet.directory.models import Entity
from partnernet.framework.models import PartnershipType, Region, Stewardship, Theme
from partnernet.i18n.sentences import Message, message
from partnernet.partnerships.models import Partnership
from partnernet.support.candidates import (
    split_routing_key,
)
from partnernet.support.models import (
    LOAD_STATUSES,
    EventKind,
    RequestStatus,
    SupportRequest,
)
from partnernet.support.services import peers
from partnernet.support.services.steps import (
    WorkflowError,
    actor_label,
    add_event,
    expect,
    lock,
    new_key,
    notify,
    offer_to,
    require,
    require_steward,
    route_to_next,
    save_fields,
)


@transaction.atomic
def create_request(
    actor: Any,
    *,
    requester: Entity,
    type: PartnershipType,
    region: Region,
    need: str,
    theme: Theme | None = None,
    language: str = "",
    partnership: Partnership | None = None,
    description: str = "",
    key: str | None = None,
    preferred: str | None = None,
) -> SupportRequest:
    """A member asks for support for one of their entities; the request is routed at once.

    ``key`` names the request (a script that keeps its own keys); by default one is made. A key already
    used by a request of this instance raises ``WorkflowError``. ``preferred`` names the stewardship the
    person chose to ask (the steward finder's "ask this steward"); it gets the offer if it can take it.
    """
    require(
        actor,
        "support.create_request_for",
        requester,
        _("You may only ask for support for an entity you belong to."),
    )
    if key and SupportRequest.objects.filter(origin=instance_id(), key=key).exists():
        raise WorkflowError(_("A support request with the key %(key)s already exists.") % {"key": key})
    request = SupportRequest.objects.create(
        key=key or new_key(),
        requester=requester,
        type=type,
        theme=theme,
        region=region,
        need=need,
        language=language,
        partnership=partnership,
        description=description,
        created=timezone.localdate(),
    )
    add_event(request, EventKind.CREATED, actor)
    record(actor, "create", "create_request", request)
    route_to_next(request, actor, preferred=preferred)
    return request


@transaction.atomic
def route_request(actor: Any, key: str) -> Candidate | None:
    """Route an open request again (a facilitator retrying the queue): every steward gets a new chance."""
    request = lock(key)
    require(actor, "support.manage_queue", request, _("Only facilitators may route requests by hand."))
    expect(request, [RequestStatus.OPEN], _("route it"))
    request.tried = []
    save_fields(request, ["tried"])
    best = route_to_next(request, actor)
    record(actor, "update", "route_request", request, {"status": ["open", request.status]})
    return best


@transaction.atomic
def offer(actor: Any, key: str, stewardship_key: str) -> SupportRequest:
    """A facilitator offers an open or offered request to a stewardship of its type of their choosing."""
    request = lock(key)
    require(actor, "support.manage_queue", request, _("Only facilitators may offer requests by hand."))
    expect(request, [RequestStatus.OPEN, RequestStatus.OFFERED], _("offer it"))
    key, origin = split_routing_key(stewardship_key, instance_id())
    stewardship = (
        Stewardship.objects.filter(
            key=key, origin=origin, status=Stewardship.Status.ACTIVE, type_id=request.type_id
        )
        .select_related("entity")
        .first()
    )
    if stewardship is None:
        raise WorkflowError(
            _("No active stewardship '%(key)s' of this request's type.") % {"key": stewardship_key}
        )
    if not peers.may_go_to(stewardship.origin, request):
        raise WorkflowError(
            _(
                "%(steward)s is on instance %(origin)s, which is not a reachable peer now, or this request "
                "cannot leave this instance."
            )
            % {"steward": stewardship.entity.name, "origin": stewardship.origin}
        )
    before = request.status
    name = actor_label(actor)
    why = f"a facilitator ({name}) chose {stewardship.entity.name}"
    sentence = message("routing.facilitator_chose", name=name, steward=stewardship.entity.name)
    offer_to(request, stewardship.pk, stewardship.entity_id, why, actor, EventKind.OFFERED, sentence)
    record(actor, "update", "offer_request", request, {"status": [before, request.status]})
    return request


@transaction.atomic
def accept_offer(actor: Any, key: str) -> SupportRequest:
    request = lock(key)
    expect(request, [RequestStatus.OFFERED], _("accept it"))
    require_steward(actor, request, _("accept it"), _("Only the steward it is offered to may accept it."))
    request.status = RequestStatus.ACCEPTED
    request.due_at = None
    save_fields(request, ["status", "due_at"])
    add_event(request, EventKind.ACCEPTED, actor)
    record(actor, "update", "accept_offer", request, {"status": ["offered", "accepted"]})
    steward = request.steward.name if request.steward else ""
    notify(
        request,
        message("mail.accepted.subject", steward=steward),
        message("mail.accepted.body", steward=steward),
    )
    return request


@transaction.atomic
def decline_offer(actor: Any, key: str, reason: str) -> SupportRequest:
    """The steward declines with a reason; the request moves on to the next candidate (or the queue)."""
    if not reason.strip():
        raise WorkflowError(_("Say why you decline, so the next steward and the requester know."))
    request = lock(key)
    expect(request, [RequestStatus.OFFERED], _("decline it"))
    require_steward(actor, request, _("decline it"), _("Only the steward it is offered to may decline it."))
    steward = request.steward.name if request.steward else ""
    if request.stewardship_id is not None:
        request.tried = [*request.tried, request.stewardship_id]
        save_fields(request, ["tried"])
    if peers.is_delivered_copy(request):
        peers.decline_delivered_copy(request, actor, reason.strip(), EventKind.DECLINED)
    else:
        add_event(request, EventKind.DECLINED, actor, reason.strip())
        route_to_next(request, actor)
    record(
        actor,
        "update",
        "decline_offer",
        request,
        {"status": ["offered", request.status], "reason": ["", reason.strip()], "steward": [steward, ""]},
    )
    return request


@transaction.atomic
def start_work(actor: Any, key: str) -> SupportRequest:
    request = lock(key)
    expect(request, [RequestStatus.ACCEPTED], _("mark it in progress"))
    require_steward(actor, request, _("start work"), _("Only the steward holding it may start work."))
    request.status = RequestStatus.IN_PROGRESS
    save_fields(request, ["status"])
    add_event(request, EventKind.IN_PROGRESS, actor)
    record(actor, "update", "start_work", request, {"status": ["accepted", "in_progress"]})
    notify(request, message("mail.started.subject"), message("mail.started.body"))
    return request


@transaction.atomic
def resolve_request(actor: Any, key: str, outcome: str) -> SupportRequest:
    if not outcome.strip():
        raise WorkflowError(_("Write an outcome note: what was done, for the requester and the record."))
    request = lock(key)
    expect(request, [RequestStatus.ACCEPTED, RequestStatus.IN_PROGRESS], _("resolve it"))
    require_steward(actor, request, _("resolve it"), _("Only the steward holding it may resolve it."))
    before = request.status
    request.status = RequestStatus.RESOLVED
    request.outcome = outcome.strip()
    request.resolved = max(timezone.localdate(), request.created)
    save_fields(request, ["status", "outcome", "resolved"])
    add_event(request, EventKind.RESOLVED, actor, request.outcome)
    record(actor, "update", "resolve_request", request, {"status": [before, "resolved"]})
    notify(request, message("mail.resolved.subject"), request.outcome)
    return request


@transaction.atomic
def withdraw(actor: Any, key: str, reason: str = "") -> SupportRequest:
    request = lock(key)
    expect(request, [RequestStatus.OPEN, *LOAD_STATUSES], _("withdraw it"))
    require(actor, "support.withdraw_request", request, _("Only the requester's members may withdraw it."))
    before = request.status
    request.status = RequestStatus.WITHDRAWN
    request.due_at = None
    request.queued = False
    save_fields(request, ["status", "due_at", "queued"])
    add_event(request, EventKind.WITHDRAWN, actor, reason.strip())
    record(actor, "update", "withdraw_request", request, {"status": [before, "withdrawn"]})
    notify(request, message("mail.withdrawn.subject"), reason.strip() or message("support.withdrawn"))
    return request


@transaction.atomic
def escalate_overdue(key: str, now: dt.datetime | None = None) -> bool:
    """Move an offer that was not answered in time to the next candidate. Idempotent.

    Returns whether it moved: a request answered, re-offered (its due time moved on) or withdrawn meanwhile
    is left alone, so a late or repeated task run does nothing.
    """
    moment = now or timezone.now()
    request = lock(key)
    if request.status != RequestStatus.OFFERED or request.due_at is None or request.due_at > moment:
        return False
    steward = request.steward.name if request.steward else ""
    if request.stewardship_id is not None:
        request.tried = [*request.tried, request.stewardship_id]
        save_fields(request, ["tried"])
    note = message("support.no_answer", steward=steward, due={"datetime": request.due_at.isoformat()})
    if peers.is_delivered_copy(request):
        peers.decline_delivered_copy(request, None, note, EventKind.TIMED_OUT)
    else:
        add_event(request, EventKind.TIMED_OUT, None, note)
        route_to_next(request, None)
    record(None, "update", "escalate_overdue", request, {"status": ["offered", request.status]})
    return True


def move_on_from_lapsed(sender: Any = None, ids: Iterable[int] = (), **kwargs: Any) -> int:
    """Receiver of ``framework.signals.stewardships_lapsed``: requests still offered to a stewardship whose
    term ended move to their next candidate (accepted ones stay with the steward who took them). Runs in the
    lapsing transaction; returns how many moved."""
    return move_on_from(ids, lambda steward: message("support.term_ended", steward=steward), EventKind.LAPSED)


def move_on_from_peer(ids: Iterable[int], peer: str) -> int:
    """Requests offered to stewardships of a peer this instance suspended move to their next candidate now
    (a suspended peer's stewardships are out of routing). Returns how many moved."""

    def note(steward: str) -> Message:
        return message("support.peer_suspended", steward=steward, peer=peer)

    return move_on_from(ids, note, EventKind.DECLINED)


def move_on_from(ids: Iterable[int], note_for: Callable[[str], Message], kind: str) -> int:
    """Move every request still offered to one of the stewardships ``ids`` to its next candidate, with the
    timeline note ``note_for(steward name)``; a delivered copy goes back to its sender instead."""
    moved = 0
    ids = list(ids)
    keys = SupportRequest.objects.filter(stewardship_id__in=ids, status=RequestStatus.OFFERED)
    for key in keys.values_list("key", flat=True):
        request = lock(key)
        if request.status != RequestStatus.OFFERED or request.stewardship_id not in ids:
            continue
        request.tried = [*request.tried, request.stewardship_id]
        save_fields(request, ["tried"])
        steward = request.steward.name if request.steward else ""
        note = note_for(steward)
        if peers.is_delivered_copy(request):
            peers.decline_delivered_copy(request, None, note, kind)
        else:
            add_event(request, kind, None, note)
            route_to_next(request, None)
        moved += 1
    return moved


def escalate_all_overdue(now: dt.datetime | None = None) -> int:
    """The sweep: escalate every overdue offer (each in its own transaction). Returns how many moved."""
    moment = now or timezone.now()
    keys = SupportRequest.objects.filter(
        origin=instance_id(), status=RequestStatus.OFFERED, due_at__lte=moment
    ).values_list("key", flat=True)
    return sum(escalate_overdue(key, moment) for key in list(keys))
