"""Every write of the support workflow: one function per use case (Zulip's actions).

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
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from partnernet.audit.services import record
from partnernet.core.rebalance import Move, RebalanceRequest, rebalance
from partnernet.core.routing import (
    QUEUE_PENALTY,
    Candidate,
    RoutingRequest,
    StewardshipIndex,
    describe_cost,
    preference_cost,
    rank_stewardships,
)
from partnernet.directory.models import Entity, Membership, Partner
from partnernet.directory.rules import entity_ids_of
from partnernet.federation.selectors import instance_id
from partnernet.framework.models import PartnershipType, Region, Stewardship, Theme
from partnernet.framework.selectors import region_tree
from partnernet.partnerships.models import Partnership
from partnernet.support.models import (
    LOAD_STATUSES,
    EventKind,
    Hosting,
    Need,
    RequestEvent,
    RequestStatus,
    SupportRequest,
)
from partnernet.support.selectors import (
    StewardshipPool,
    candidate_pool,
    routing_request_of,
    stewardship_pool,
)

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
    response_days = Stewardship.objects.values_list("response_days", flat=True).get(pk=stewardship_id)
    now = timezone.now()
    request.status = RequestStatus.OFFERED
    request.stewardship_id = stewardship_id
    request.steward_id = entity_id
    request.queued = False
    request.offered_at = now
    request.due_at = now + dt.timedelta(days=response_days)
    request.explanation = explanation
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
    ranked = rank_stewardships(routing_request_of(request), pool.stewardships, tree, limit=1)
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
    stewardship = (
        Stewardship.objects.filter(
            key=stewardship_key, status=Stewardship.Status.ACTIVE, type_id=request.type_id
        )
        .select_related("entity")
        .first()
    )
    if stewardship is None:
        raise WorkflowError(
            _("No active stewardship '%(key)s' of this request's type.") % {"key": stewardship_key}
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


@transaction.atomic
def establish_hosting(actor: Any, key: str, term_end: dt.date | None = None) -> Hosting:
    """After a resolved co-signing or fiscal-sponsorship request, the steward hosts the requester."""
    request = _lock(key)
    _expect(request, [RequestStatus.RESOLVED], _("host the requester"))
    if request.status == RequestStatus.RESOLVED and request.need not in HOSTING_NEEDS:
        raise WorkflowError(_("Only co-signing and fiscal-sponsorship requests lead to a hosting."))
    _require(actor, "support.establish_hosting", request, _("Only the steward's members may offer hosting."))
    if request.requester_id is None or request.steward_id is None:
        raise WorkflowError(_("A hosting needs a requesting entity and a steward."))
    today = timezone.localdate()
    if term_end is not None and term_end < today:
        raise WorkflowError(_("The term must end today or later."))
    if Hosting.objects.filter(
        host_id=request.steward_id, hosted_id=request.requester_id, status=Hosting.Status.ACTIVE
    ).exists():
        raise WorkflowError(_("This steward already hosts this entity."))
    hosting = Hosting.objects.create(
        host_id=request.steward_id,
        hosted_id=request.requester_id,
        request=request,
        term_start=today,
        term_end=term_end,
    )
    record(actor, "create", "establish_hosting", hosting)
    _notify(
        request,
        _("Hosting established"),
        _("%(host)s now hosts %(hosted)s: it signs agreements for it and holds its funds.")
        % {"host": hosting.host.name, "hosted": hosting.hosted.name},
    )
    return hosting


@transaction.atomic
def end_hosting(actor: Any, hosting_id: int, reason: str, by: Entity | None = None) -> Hosting:
    """Either side ends a hosting; ``by`` names the side (default: the actor's side, host first)."""
    hosting = Hosting.objects.select_for_update().filter(pk=hosting_id).first()
    if hosting is None:
        raise Hosting.DoesNotExist(_("No such hosting."))
    _require(
        actor, "support.end_hosting", hosting, _("Only the host's or the hosted entity's members may end it.")
    )
    if hosting.status != Hosting.Status.ACTIVE:
        raise WorkflowError(_("This hosting has already ended."))
    if not reason.strip():
        raise WorkflowError(_("Say why the hosting ends."))
    side = by or (hosting.host if hosting.host_id in entity_ids_of(actor) else hosting.hosted)
    hosting.status = Hosting.Status.ENDED
    hosting.ended_by = side
    hosting.ended_on = max(timezone.localdate(), hosting.term_start)
    hosting.end_reason = reason.strip()
    hosting.save(update_fields=["status", "ended_by", "ended_on", "end_reason", "updated_at"])
    record(actor, "update", "end_hosting", hosting, {"status": ["active", "ended"]})
    emails = set(
        Membership.objects.filter(entity_id__in=[hosting.host_id, hosting.hosted_id])
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    if emails:
        message = EmailMessage(
            subject=f"[Partnernet] {_('Hosting ended')}",
            body=_("%(side)s ended the hosting of %(hosted)s by %(host)s: %(reason)s")
            % {
                "side": side.name,
                "hosted": hosting.hosted.name,
                "host": hosting.host.name,
                "reason": hosting.end_reason,
            },
            bcc=sorted(emails),
        )
        transaction.on_commit(lambda: message.send(fail_silently=True))
    return hosting


@dataclass(frozen=True)
class RebalanceReport:
    """What a rebalance did (or, with ``dry_run``, would do), with its database work timed apart.

    ``read_seconds`` covers loading stewardships, loads and requests and building the candidate lists;
    ``solve_seconds`` the min-cost flow; ``write_seconds`` applying the moves (0 on a dry run).
    """

    requests: int
    stewardships: int
    total_cost: int
    moves: tuple[Move, ...]
    unassigned: tuple[str, ...]
    applied: int
    skipped: int
    dry_run: bool
    read_seconds: float
    solve_seconds: float
    write_seconds: float


def _rebalance_inputs() -> tuple[list[RebalanceRequest], dict[str, int], StewardshipPool, dict[str, int]]:
    """The open and offered local requests with their candidates, and every stewardship's residual capacity.

    Residual capacity is the capacity minus the cases that stay put (accepted or in progress). Candidates are
    the request's routing candidates without the stewardships it already tried, costed by the load-free
    preference cost; requests of the same cell and language share one computation.
    """
    tree = region_tree()
    pool = stewardship_pool()
    index = StewardshipIndex.build(pool.stewardships)
    held = dict(
        SupportRequest.objects.filter(
            status__in=[RequestStatus.ACCEPTED, RequestStatus.IN_PROGRESS], stewardship__isnull=False
        )
        .values_list("stewardship__key")
        .annotate(n=Count("pk"))
        .order_by()
    )
    residual = {s.key: s.capacity - held.get(s.key, 0) for s in pool.stewardships}
    id_to_key = {pk: key for key, (pk, _entity) in pool.ids.items()}
    rows = (
        SupportRequest.objects.filter(
            origin=instance_id(), status__in=[RequestStatus.OPEN, RequestStatus.OFFERED]
        )
        .values_list(
            "pk", "key", "type__key", "theme__key", "region__code", "language", "stewardship__key", "tried"
        )
        .order_by("key")
    )
    requests: list[RebalanceRequest] = []
    pks: dict[str, int] = {}
    options: dict[tuple[str, str | None, str, str], tuple[tuple[str, int], ...]] = {}
    for pk, key, type_key, theme_key, region, language, current, tried in rows:
        pks[key] = pk
        shape = (type_key, theme_key, region, language)
        candidates = options.get(shape)
        if candidates is None:
            query = RoutingRequest(type_key, theme_key, region, None, language or None)
            costed = (
                (stewardship.key, preference_cost(query, stewardship, tree))
                for code in tree.chain(region)
                for stewardship in index.cells.get((type_key, code), ())
            )
            candidates = options[shape] = tuple(
                sorted(
                    ((k, cost) for k, cost in costed if cost is not None), key=lambda pair: (pair[1], pair[0])
                )
            )
        if tried:
            skip = {id_to_key.get(int(i)) for i in tried}
            candidates = tuple(pair for pair in candidates if pair[0] not in skip)
        requests.append(RebalanceRequest(key, current, candidates))
    return requests, residual, pool, pks


def rebalance_requests(actor: Any, *, dry_run: bool = False) -> RebalanceReport:
    """Reassign every open and offered request optimally under capacities (min-cost flow, not greedy).

    A request that moves is offered afresh to its new stewardship (new SLA clock, explanation naming the
    rebalance's reason) or sent to the facilitators' queue; the rest keep their offers. Applying re-checks
    each moved request under its lock: one answered meanwhile is skipped and counted, never overwritten.
    """
    if actor is not None and not actor.has_perm("support.manage_queue"):
        raise PermissionDenied(_("Only facilitators may rebalance requests."))
    started = time.perf_counter()
    requests, residual, pool, _pks = _rebalance_inputs()
    read = time.perf_counter() - started
    started = time.perf_counter()
    result = rebalance(requests, residual, QUEUE_PENALTY, describe=describe_cost)
    solve = time.perf_counter() - started
    applied = skipped = 0
    write = 0.0
    if not dry_run and result.moves:
        started = time.perf_counter()
        applied, skipped = _apply_moves(actor, result.moves, pool)
        write = time.perf_counter() - started
    return RebalanceReport(
        requests=len(requests),
        stewardships=len(residual),
        total_cost=result.total_cost,
        moves=result.moves,
        unassigned=result.unassigned,
        applied=applied,
        skipped=skipped,
        dry_run=dry_run,
        read_seconds=read,
        solve_seconds=solve,
        write_seconds=write,
    )


@transaction.atomic
def _apply_moves(actor: Any, moves: Iterable[Move], pool: StewardshipPool) -> tuple[int, int]:
    applied = skipped = 0
    for move in moves:
        request = _lock(move.request)
        current = request.stewardship.key if request.stewardship is not None else None
        if (
            request.status not in (RequestStatus.OPEN, RequestStatus.OFFERED)
            or current != move.from_stewardship
        ):
            skipped += 1
            continue
        before = request.status
        why = _("rebalance: %(reason)s") % {"reason": move.reason}
        if move.to_stewardship is None:
            _to_queue(request, actor, why)
        else:
            stewardship_id, entity_id = pool.ids[move.to_stewardship]
            _offer_to(request, stewardship_id, entity_id, why, actor, EventKind.REASSIGNED)
        record(
            actor,
            "update",
            "rebalance_requests",
            request,
            {"status": [before, request.status], "stewardship": [move.from_stewardship, move.to_stewardship]},
        )
        applied += 1
    return applied, skipped
