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
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from partnernet.audit.services import record
from partnernet.core.routing import (
    Candidate,
    rank_stewardships,
)
from partnernet.directory.models import Entity, Membership, Partner
from partnernet.directory.rules import entity_ids_of
from partnernet.federation.selectors import instance_id
from partnernet.framework.models import PartnershipType, Region, Stewardship, Theme
from partnernet.framework.selectors import region_tree
from partnernet.partnerships.models import Partnership
from partnernet.support.candidates import (
    candidate_pool,
    routing_request_of,
    split_routing_key,
)
from partnernet.support.models import (
    LOAD_STATUSES,
    EventKind,
    Need,
    RequestEvent,
    RequestStatus,
    SupportRequest,
)
from partnernet.support.services import peers

HOSTING_NEEDS = (Need.CO_SIGNING, Need.FISCAL_SPONSORSHIP)
"""Needs whose resolution can establish a standing host relation."""


class WorkflowError(Exception):
    """The request is not in a state that allows this action, usually because someone else acted first."""


def _actor_label(actor: Any) -> str:
    return actor.get_username() if getattr(actor, "is_authenticated", False) else "system"


def _require(actor: Any, perm: str, obj: Any, message: str) -> None:
    """Check a rules permission; ``None`` is the system (SLA task, command line), which may do everything."""
    if actor is not None and not actor.has_perm(perm, obj):
        raise PermissionDenied(message)


def _require_steward(actor: Any, request: SupportRequest, action: str, message: str) -> None:
    """The actor must be of the entity holding the request. A steward whose offer moved on meanwhile (its own
    decline in another tab, a timeout, a rebalance) is told so, rather than refused as a stranger."""
    if actor is None or actor.has_perm("support.answer_request", request):
        return
    tried = [int(pk) for pk in request.tried]
    own = entity_ids_of(actor)
    if own and (
        Stewardship.objects.filter(pk__in=tried, entity_id__in=own).exists()
        or request.events.filter(steward_id__in=own).exists()
    ):
        raise WorkflowError(
            _("Cannot %(action)s: the request is no longer offered to you; it has moved on.")
            % {"action": action}
        )
    raise PermissionDenied(message)


def _lock(key: str) -> SupportRequest:
    """The local request ``key``, locked for the rest of the transaction."""
    request = SupportRequest.objects.select_for_update().filter(key=key, origin=instance_id()).first()
    if request is None:
        raise SupportRequest.DoesNotExist(_("No support request with key '%(key)s'.") % {"key": key})
    return request


def _expect(request: SupportRequest, allowed: Iterable[str], action: str) -> None:
    if request.status not in allowed:
        steward = f" ({request.steward.name})" if request.steward_id is not None and request.steward else ""
        raise WorkflowError(
            _("Cannot %(action)s: the request is already %(status)s%(steward)s.")
            % {"action": action, "status": request.get_status_display().lower(), "steward": steward}
        )


def _event(
    request: SupportRequest, kind: str, actor: Any, note: str = "", steward_id: int | None = None
) -> RequestEvent:
    return RequestEvent.objects.create(
        request=request,
        at=timezone.now(),
        kind=kind,
        status=request.status,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_label=_actor_label(actor),
        steward_id=steward_id if steward_id is not None else request.steward_id,
        note=note,
    )


def _notify(request: SupportRequest, subject: str, body: str, entity_ids: Iterable[int | None] = ()) -> None:
    """E-mail the requester's and the steward's members (and anyone else named) after the commit."""
    ids = {pk for pk in (request.requester_id, request.steward_id, *entity_ids) if pk is not None}
    addresses = set(
        Membership.objects.filter(entity_id__in=ids)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    if request.contact_email:
        addresses.add(request.contact_email)
    if not addresses:
        return
    message = EmailMessage(
        subject=f"[Partnernet] {subject}",
        body=f"{body}\n\n{_('Request')}: {request.key}\n",
        bcc=sorted(addresses),
    )
    transaction.on_commit(lambda: message.send(fail_silently=True))


def _save(request: SupportRequest, fields: list[str]) -> None:
    request.save(update_fields=[*fields, "updated_at"])


def _enqueue_sla(request: SupportRequest) -> None:
    """Schedule the SLA check at the offer's due time; the sweep catches it if no worker runs then."""
    from django_tasks import default_task_backend

    from partnernet.support.tasks import escalate_offer

    if request.due_at is None or not default_task_backend.supports_defer:
        return
    escalate_offer.using(run_after=request.due_at).enqueue(request.key)


def _offer_to(
    request: SupportRequest, stewardship_id: int, entity_id: int, explanation: str, actor: Any, kind: str
) -> None:
    """Offer ``request`` to a stewardship: status, SLA clock, explanation, event, task and e-mails."""
    previous = request.steward_id
    stewardship = Stewardship.objects.only("origin", "uuid", "response_days").get(pk=stewardship_id)
    response_days = stewardship.response_days
    remote = peers.is_peer_stewardship(stewardship)
    now = timezone.now()
    request.status = RequestStatus.OFFERED
    request.stewardship_id = stewardship_id
    request.steward_id = entity_id
    request.queued = False
    request.offered_at = now
    request.due_at = now + dt.timedelta(days=response_days + (peers.PEER_GRACE_DAYS if remote else 0))
    request.explanation = explanation
    if remote:
        peers.hand_to_peer(request, stewardship)
    _save(request, ["status", "stewardship", "steward", "queued", "offered_at", "due_at", "explanation"])
    _event(request, kind, actor, explanation)
    _enqueue_sla(request)
    steward = Entity.objects.only("name").get(pk=entity_id)
    _notify(
        request,
        _("Support request offered to %(steward)s") % {"steward": steward.name},
        _(
            "The request was offered to %(steward)s.\nWhy: %(why)s\nThe steward has %(days)s days to answer; "
            "after that the request moves to the next candidate."
        )
        % {"steward": steward.name, "why": explanation, "days": response_days},
        [previous],
    )


def _to_queue(request: SupportRequest, actor: Any, why: str) -> None:
    previous = request.steward_id
    request.status = RequestStatus.OPEN
    request.stewardship = None
    request.steward = None
    request.queued = True
    request.offered_at = None
    request.due_at = None
    request.explanation = why
    _save(request, ["status", "stewardship", "steward", "queued", "offered_at", "due_at", "explanation"])
    _event(request, EventKind.QUEUED, actor, why, steward_id=previous)
    _notify(
        request,
        _("Support request sent to the facilitators' queue"),
        _("%(why)s Facilitators will look for a steward.") % {"why": why},
        [previous],
    )


def explanation_for(candidate: Candidate) -> str:
    """The stored explanation of a routing decision (DESIGN.md: "routed to X: GLAM lead for …")."""
    return f"routed to {candidate.entity_name}: {candidate.explanation}"


def _route(request: SupportRequest, actor: Any, kind: str = EventKind.OFFERED) -> Candidate | None:
    """Offer ``request`` to its best candidate not yet tried, or send it to the facilitators' queue."""
    tree = region_tree()
    pool = candidate_pool(request, tree)
    wanted = routing_request_of(request)
    candidates = pool.stewardships
    ranked = rank_stewardships(wanted, candidates, tree, limit=1)
    local = instance_id()
    while ranked and not peers.may_go_to(split_routing_key(ranked[0].stewardship, local)[1], request):
        skipped = ranked[0].stewardship
        candidates = [s for s in candidates if s.key != skipped]
        ranked = rank_stewardships(wanted, candidates, tree, limit=1)
    if not ranked:
        why = (
            _("No steward is left to offer it to.")
            if request.tried
            else _("No active stewardship covers this type and region.")
        )
        _to_queue(request, actor, why)
        return None
    best = ranked[0]
    stewardship_id, entity_id = pool.ids[best.stewardship]
    _offer_to(request, stewardship_id, entity_id, explanation_for(best), actor, kind)
    return best


def _new_key() -> str:
    return f"r-{timezone.now():%Y%m%d}-{secrets.token_hex(4)}"


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
) -> SupportRequest:
    """A member asks for support for one of their entities; the request is routed at once."""
    _require(
        actor,
        "support.create_request_for",
        requester,
        _("You may only ask for support for an entity you belong to."),
    )
    request = SupportRequest.objects.create(
        key=_new_key(),
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
    _event(request, EventKind.CREATED, actor)
    record(actor, "create", "create_request", request)
    _route(request, actor)
    return request


@transaction.atomic
def submit_public_proposal(
    *,
    institution: str,
    kind: str,
    country: Region | None,
    website: str,
    contact_name: str,
    contact_email: str,
    type: PartnershipType,
    region: Region,
    theme: Theme | None = None,
    language: str = "",
    description: str = "",
) -> SupportRequest:
    """An external institution proposes a partnership through the public form (no account).

    The institution becomes a ``Partner`` row and the proposal a request with need ``other``, routed like any
    other; the contact address gets the same e-mails a requester's members get.
    """
    partner = Partner.objects.create(
        key=f"{slugify(institution)[:80] or 'partner'}-{secrets.token_hex(3)}",
        name=institution,
        kind=kind,
        country=country,
        website=website,
    )
    record(None, "create", "submit_public_proposal", partner)
    request = SupportRequest.objects.create(
        key=_new_key(),
        partner=partner,
        contact_name=contact_name,
        contact_email=contact_email,
        type=type,
        theme=theme,
        region=region,
        need=Need.OTHER,
        language=language,
        description=description,
        created=timezone.localdate(),
    )
    _event(request, EventKind.CREATED, None, _("Proposed by %(name)s") % {"name": contact_name})
    record(None, "create", "submit_public_proposal", request)
    _route(request, None)
    return request


@transaction.atomic
def route_request(actor: Any, key: str) -> Candidate | None:
    """Route an open request again (a facilitator retrying the queue): every steward gets a new chance."""
    request = _lock(key)
    _require(actor, "support.manage_queue", request, _("Only facilitators may route requests by hand."))
    _expect(request, [RequestStatus.OPEN], _("route it"))
    request.tried = []
    _save(request, ["tried"])
    best = _route(request, actor)
    record(actor, "update", "route_request", request, {"status": ["open", request.status]})
    return best


@transaction.atomic
def offer(actor: Any, key: str, stewardship_key: str) -> SupportRequest:
    """A facilitator offers an open or offered request to a stewardship of its type of their choosing."""
    request = _lock(key)
    _require(actor, "support.manage_queue", request, _("Only facilitators may offer requests by hand."))
    _expect(request, [RequestStatus.OPEN, RequestStatus.OFFERED], _("offer it"))
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
    name = _actor_label(actor)
    why = _("a facilitator (%(name)s) chose %(steward)s") % {"steward": stewardship.entity.name, "name": name}
    _offer_to(request, stewardship.pk, stewardship.entity_id, why, actor, EventKind.OFFERED)
    record(actor, "update", "offer_request", request, {"status": [before, request.status]})
    return request


@transaction.atomic
def accept_offer(actor: Any, key: str) -> SupportRequest:
    request = _lock(key)
    _expect(request, [RequestStatus.OFFERED], _("accept it"))
    _require_steward(actor, request, _("accept it"), _("Only the steward it is offered to may accept it."))
    request.status = RequestStatus.ACCEPTED
    request.due_at = None
    _save(request, ["status", "due_at"])
    _event(request, EventKind.ACCEPTED, actor)
    record(actor, "update", "accept_offer", request, {"status": ["offered", "accepted"]})
    steward = request.steward.name if request.steward else ""
    _notify(
        request,
        _("Support request accepted by %(steward)s") % {"steward": steward},
        _("%(steward)s accepted the request and will be in touch.") % {"steward": steward},
    )
    return request


@transaction.atomic
def decline_offer(actor: Any, key: str, reason: str) -> SupportRequest:
    """The steward declines with a reason; the request moves on to the next candidate (or the queue)."""
    if not reason.strip():
        raise WorkflowError(_("Say why you decline, so the next steward and the requester know."))
    request = _lock(key)
    _expect(request, [RequestStatus.OFFERED], _("decline it"))
    _require_steward(actor, request, _("decline it"), _("Only the steward it is offered to may decline it."))
    steward = request.steward.name if request.steward else ""
    if request.stewardship_id is not None:
        request.tried = [*request.tried, request.stewardship_id]
        _save(request, ["tried"])
    if peers.is_delivered_copy(request):
        peers.decline_delivered_copy(request, actor, reason.strip(), EventKind.DECLINED)
    else:
        _event(request, EventKind.DECLINED, actor, reason.strip())
        _route(request, actor)
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
    request = _lock(key)
    _expect(request, [RequestStatus.ACCEPTED], _("mark it in progress"))
    _require_steward(actor, request, _("start work"), _("Only the steward holding it may start work."))
    request.status = RequestStatus.IN_PROGRESS
    _save(request, ["status"])
    _event(request, EventKind.IN_PROGRESS, actor)
    record(actor, "update", "start_work", request, {"status": ["accepted", "in_progress"]})
    _notify(request, _("Work started on your support request"), _("The steward started work on it."))
    return request


@transaction.atomic
def resolve_request(actor: Any, key: str, outcome: str) -> SupportRequest:
    if not outcome.strip():
        raise WorkflowError(_("Write an outcome note: what was done, for the requester and the record."))
    request = _lock(key)
    _expect(request, [RequestStatus.ACCEPTED, RequestStatus.IN_PROGRESS], _("resolve it"))
    _require_steward(actor, request, _("resolve it"), _("Only the steward holding it may resolve it."))
    before = request.status
    request.status = RequestStatus.RESOLVED
    request.outcome = outcome.strip()
    request.resolved = max(timezone.localdate(), request.created)
    _save(request, ["status", "outcome", "resolved"])
    _event(request, EventKind.RESOLVED, actor, request.outcome)
    record(actor, "update", "resolve_request", request, {"status": [before, "resolved"]})
    _notify(request, _("Support request resolved"), request.outcome)
    return request


@transaction.atomic
def withdraw(actor: Any, key: str, reason: str = "") -> SupportRequest:
    request = _lock(key)
    _expect(request, [RequestStatus.OPEN, *LOAD_STATUSES], _("withdraw it"))
    _require(actor, "support.withdraw_request", request, _("Only the requester's members may withdraw it."))
    before = request.status
    request.status = RequestStatus.WITHDRAWN
    request.due_at = None
    request.queued = False
    _save(request, ["status", "due_at", "queued"])
    _event(request, EventKind.WITHDRAWN, actor, reason.strip())
    record(actor, "update", "withdraw_request", request, {"status": [before, "withdrawn"]})
    _notify(request, _("Support request withdrawn"), reason.strip() or _("The requester withdrew it."))
    return request


@transaction.atomic
def escalate_overdue(key: str, now: dt.datetime | None = None) -> bool:
    """Move an offer that was not answered in time to the next candidate. Idempotent.

    Returns whether it moved: a request answered, re-offered (its due time moved on) or withdrawn meanwhile
    is left alone, so a late or repeated task run does nothing.
    """
    moment = now or timezone.now()
    request = _lock(key)
    if request.status != RequestStatus.OFFERED or request.due_at is None or request.due_at > moment:
        return False
    steward = request.steward.name if request.steward else ""
    if request.stewardship_id is not None:
        request.tried = [*request.tried, request.stewardship_id]
        _save(request, ["tried"])
    note = _("%(steward)s did not answer by %(due)s.") % {
        "steward": steward,
        "due": f"{request.due_at:%Y-%m-%d %H:%M} UTC",
    }
    if peers.is_delivered_copy(request):
        peers.decline_delivered_copy(request, None, note, EventKind.TIMED_OUT)
    else:
        _event(request, EventKind.TIMED_OUT, None, note)
        _route(request, None)
    record(None, "update", "escalate_overdue", request, {"status": ["offered", request.status]})
    return True


def escalate_all_overdue(now: dt.datetime | None = None) -> int:
    """The sweep: escalate every overdue offer (each in its own transaction). Returns how many moved."""
    moment = now or timezone.now()
    keys = SupportRequest.objects.filter(
        origin=instance_id(), status=RequestStatus.OFFERED, due_at__lte=moment
    ).values_list("key", flat=True)
    return sum(escalate_overdue(key, moment) for key in list(keys))
