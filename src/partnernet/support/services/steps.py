"""The steps every use case of the support workflow is made of: lock a request, check its state, record an
event, notify both sides, offer it to a steward or to the facilitators' queue.

The use cases (``workflow``, ``hosting``, ``peers``, ``rebalance``) compose these; each step runs inside the
caller's transaction. Decisions and notes are stored sentences (``i18n.sentences``) shown in each reader's
language; their English text stays in the row for the API and the command line.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from partnernet.base.identity import instance_id
from partnernet.core.eligibility import NoCandidate, why_no_candidate
from partnernet.core.routing import Candidate, rank_stewardships
from partnernet.directory.models import Entity, Membership
from partnernet.directory.rules import entity_ids_of
from partnernet.framework.models import Stewardship
from partnernet.framework.selectors import region_tree
from partnernet.i18n.sentences import Message, english, message
from partnernet.notifications.services import notify as notify_people
from partnernet.support.candidates import candidate_pool, routing_request_of, split_routing_key
from partnernet.support.explanations import reason_part, routed_to
from partnernet.support.models import EventKind, RequestEvent, RequestStatus, SupportRequest
from partnernet.support.services import peers

ROUTING_FIELDS = [
    "status", "stewardship", "steward", "queued", "offered_at", "due_at",
    "explanation", "explanation_message",
]  # fmt: skip


class WorkflowError(Exception):
    """The request is not in a state that allows this action, usually because someone else acted first."""


def actor_label(actor: Any) -> str:
    return actor.get_username() if getattr(actor, "is_authenticated", False) else "system"


def require(actor: Any, perm: str, obj: Any, message: str) -> None:
    """Check a rules permission; ``None`` is the system (SLA task, command line), which may do everything."""
    if actor is not None and not actor.has_perm(perm, obj):
        raise PermissionDenied(message)


def require_steward(actor: Any, request: SupportRequest, action: str, message: str) -> None:
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


def lock(key: str) -> SupportRequest:
    """The local request ``key``, locked for the rest of the transaction."""
    request = SupportRequest.objects.select_for_update().filter(key=key, origin=instance_id()).first()
    if request is None:
        raise SupportRequest.DoesNotExist(_("No support request with key '%(key)s'.") % {"key": key})
    return request


def expect(request: SupportRequest, allowed: Iterable[str], action: str) -> None:
    if request.status not in allowed:
        steward = f" ({request.steward.name})" if request.steward_id is not None and request.steward else ""
        raise WorkflowError(
            _("Cannot %(action)s: the request is already %(status)s%(steward)s.")
            % {"action": action, "status": request.get_status_display().lower(), "steward": steward}
        )


def add_event(
    request: SupportRequest,
    kind: str,
    actor: Any,
    note: str | Message = "",
    steward_id: int | None = None,
) -> RequestEvent:
    """A timeline step. ``note`` is text a person wrote (a reason, an outcome) or a stored sentence, which the
    timeline shows in each reader's language (its English text stays in ``note`` for the API)."""
    sentence = note if isinstance(note, dict) else None
    return RequestEvent.objects.create(
        request=request,
        at=timezone.now(),
        kind=kind,
        status=request.status,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_label=actor_label(actor),
        steward_id=steward_id if steward_id is not None else request.steward_id,
        note=english(sentence) if sentence is not None else str(note),
        message=sentence,
    )


def notify(
    request: SupportRequest,
    subject: Message,
    body: str | Message,
    entity_ids: Iterable[int | None] = (),
) -> None:
    """Tell the requester's and the steward's members (and anyone else named), in the app and by e-mail
    after the commit, each in their own language; the contact of a public proposal by e-mail, with the private
    link that follows it. ``body`` is a stored sentence, or text a person wrote (sent as written)."""
    ids = {pk for pk in (request.requester_id, request.steward_id, *entity_ids) if pk is not None}
    people = Membership.objects.filter(entity_id__in=ids).values_list("user_id", flat=True)
    text = body if isinstance(body, dict) else message("text", text=body)
    paragraphs = [text, message("mail.request_footer", key=request.key)]
    notify_people(set(people), subject, request_path(request), body=paragraphs)
    if request.contact_email:
        notify_people(
            (),
            subject,
            body=[*paragraphs, *follow_paragraphs(request)],
            addresses={request.contact_email: request.language},
        )


def request_path(request: SupportRequest) -> str:
    return f"/support/r/{request.key}/"


def follow_paragraphs(request: SupportRequest) -> list[Message]:
    """The private link a proposing institution follows its proposal with (when it has one)."""
    path = request.follow_path
    return [message("mail.follow_link", link=settings.BASE_URL + path)] if path else []


def save_fields(request: SupportRequest, fields: list[str]) -> None:
    request.save(update_fields=[*fields, "updated_at"])


def enqueue_sla(request: SupportRequest) -> None:
    """Schedule the SLA check at the offer's due time; the sweep catches it if no worker runs then."""
    from django_tasks import default_task_backend

    from partnernet.support.tasks import escalate_offer

    if request.due_at is None or not default_task_backend.supports_defer:
        return
    escalate_offer.using(run_after=request.due_at).enqueue(request.key)


def offer_to(
    request: SupportRequest,
    stewardship_id: int,
    entity_id: int,
    explanation: str,
    actor: Any,
    kind: str,
    sentence: Message | None = None,
) -> None:
    """Offer ``request`` to a stewardship: status, SLA clock, explanation, event, task and e-mails.

    ``explanation`` is the English text kept for the API and the command line; ``sentence`` the same decision
    as a stored sentence for the pages and e-mails (rebalance moves, whose reasons come from the core in
    English, have none)."""
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
    request.explanation_message = sentence
    if remote:
        peers.hand_to_peer(request, stewardship)
    save_fields(
        request,
        [
            "status",
            "stewardship",
            "steward",
            "queued",
            "offered_at",
            "due_at",
            "explanation",
            "explanation_message",
        ],
    )
    add_event(request, kind, actor, sentence or explanation)
    enqueue_sla(request)
    steward = Entity.objects.only("name").get(pk=entity_id)
    why: Any = {"message": reason_part(sentence)} if sentence is not None else explanation
    notify(
        request,
        message("mail.offered.subject", steward=steward.name),
        message("mail.offered.body", steward=steward.name, why=why, days=response_days),
        [previous],
    )


def to_queue(request: SupportRequest, actor: Any, why: str | Message) -> None:
    previous = request.steward_id
    request.status = RequestStatus.OPEN
    request.stewardship = None
    request.steward = None
    request.queued = True
    request.offered_at = None
    request.due_at = None
    sentence = why if isinstance(why, dict) else None
    request.explanation = english(sentence) if sentence is not None else str(why)
    request.explanation_message = sentence
    save_fields(
        request,
        [
            "status",
            "stewardship",
            "steward",
            "queued",
            "offered_at",
            "due_at",
            "explanation",
            "explanation_message",
        ],
    )
    add_event(request, EventKind.QUEUED, actor, why, steward_id=previous)
    notify(
        request,
        message("mail.queued.subject"),
        message("mail.queued.body", why={"message": sentence} if sentence is not None else why),
        [previous],
    )


def explanation_for(candidate: Candidate) -> str:
    """The stored explanation of a routing decision (DESIGN.md: "routed to X: GLAM lead for …")."""
    return f"routed to {candidate.entity_name}: {candidate.explanation}"


def route_to_next(
    request: SupportRequest, actor: Any, kind: str = EventKind.OFFERED, preferred: str | None = None
) -> Candidate | None:
    """Offer ``request`` to its best candidate not yet tried, or send it to the facilitators' queue saying
    which rule left nobody.

    ``preferred`` (a stewardship's routing key) is the steward the requester chose to ask: it gets the offer
    when routing would count it a candidate at all, whatever its rank; otherwise routing decides.
    """
    tree = region_tree()
    pool = candidate_pool(request, tree)
    wanted = routing_request_of(request)
    candidates = pool.stewardships
    local = instance_id()
    best: Candidate | None = None
    chose = False
    if preferred:
        asked = [c for c in rank_stewardships(wanted, candidates, tree) if c.stewardship == preferred]
        if asked and peers.may_go_to(split_routing_key(preferred, local)[1], request):
            best, chose = asked[0], True
    if best is None:
        ranked = rank_stewardships(wanted, candidates, tree, limit=1)
        while ranked and not peers.may_go_to(split_routing_key(ranked[0].stewardship, local)[1], request):
            skipped = ranked[0].stewardship
            candidates = [s for s in candidates if s.key != skipped]
            ranked = rank_stewardships(wanted, candidates, tree, limit=1)
        if not ranked:
            to_queue(request, actor, _queue_reason(request, wanted, pool.stewardships, tree))
            return None
        best = ranked[0]
    stewardship_id, entity_id = pool.ids[best.stewardship]
    steward = next(s for s in pool.stewardships if s.key == best.stewardship)
    sentence = routed_to(best, steward, tree.names.get(steward.region, steward.region), wanted.language)
    explanation = explanation_for(best)
    if chose:
        explanation = f"{explanation} (asked for by the requester)"
        sentence = message("routing.asked_for", decision={"message": sentence})
    sentence, explanation = _with_runners_up(sentence, explanation, best, wanted, candidates, tree)
    offer_to(request, stewardship_id, entity_id, explanation, actor, kind, sentence)
    return best


def _with_runners_up(
    sentence: Message, explanation: str, best: Candidate, wanted: Any, candidates: Any, tree: Any
) -> tuple[Message, str]:
    """Name the next two stewards in line, so that the requester and the facilitators see the choice was a
    ranking, not a default, and know where the request goes if the first steward declines."""
    names: list[str] = []
    for other in rank_stewardships(wanted, candidates, tree, limit=6):
        if other.entity_name != best.entity_name and other.entity_name not in names:
            names.append(other.entity_name)
        if len(names) == 2:
            break
    if not names:
        return sentence, explanation
    listed = {"messages": [message("text", text=name) for name in names]}
    return (
        message("routing.runners_up", decision={"message": sentence}, names=listed, count=len(names)),
        f"{explanation}; next in line: {', '.join(names)}",
    )


def _queue_reason(request: SupportRequest, wanted: Any, stewardships: Any, tree: Any) -> Message:
    """Why nobody was offered the request, as the stored sentence the queue and the e-mails show."""
    reason = why_no_candidate(wanted, stewardships, tree)
    if reason is NoCandidate.NO_LEGAL_IDENTITY:
        return message("routing.no_legal_identity", need={"choice": "need", "value": request.need})
    if reason is NoCandidate.ONLY_THE_REQUESTER:
        return message("routing.only_the_requester")
    return message("routing.nobody_left" if request.tried else "routing.nobody_covers")


def new_key() -> str:
    return f"r-{timezone.now():%Y%m%d}-{secrets.token_hex(4)}"
