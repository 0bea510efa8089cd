"""Cross-instance support: delivering a request to a peer's inbox, receiving one, and its status coming back.

The support workflow calls ``deliver_support_request(request, stewardship)`` when routing picks a
stewardship whose origin is a peer. The delivery is signed once and stored; ``send_pending_deliveries``
(run by the background task, and right after the routing transaction commits) posts it with the same
idempotency key until the peer takes it, backing off with full jitter between attempts; a 4xx other than
429 is not retried and waits for an operator.

The receiving instance stores the delivery once per idempotency key and turns it into a local support
request offered to its steward. Every status change of that request is published in its feed addressed to
the sender alone (a ``requests`` activity), and the sender, pulling the feed, updates its own request.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnernet.base.identity import instance_id
from partnernet.base.records import RecordRejected
from partnernet.core.federation.activities import Activity
from partnernet.core.federation.canonical import CanonicalJsonError, canonical_json, parse_json
from partnernet.core.federation.identity import IdentityError, parse_global_id
from partnernet.core.federation.signing import decode_public_key
from partnernet.core.federation.sync import backoff_delay, http_failure
from partnernet.core.federation.transport import TransportError, delivery_document, read_delivery
from partnernet.federation.client import PeerUnreachable, call, new_client
from partnernet.federation.keys import instance_key_pair
from partnernet.federation.models import InboxItem, OutgoingDelivery, Peer
from partnernet.federation.outbox import publish_change, wire_fields
from partnernet.framework.models import Stewardship
from partnernet.i18n.sentences import message
from partnernet.support.models import SupportRequest
from partnernet.support.services.peers import receive_delivered_request

if TYPE_CHECKING:
    import httpx

logger = logging.getLogger("partnernet.federation")

INBOX_PATH = "/federation/inbox"


CLOSED_AT_PEER = ("declined", "withdrawn")
"""Statuses at the peer after which a new offer to the same stewardship is a new delivery."""


class NotAPeerStewardship(ValueError):
    """The stewardship is not a copy of a trusted peer's record, so there is no inbox to deliver to."""


def deliver_support_request(request: SupportRequest, stewardship: Stewardship) -> OutgoingDelivery:
    """Queue ``request`` (a local support request) for the inbox of the peer that owns ``stewardship``.

    The support workflow calls it inside the routing transaction: the delivery row commits with the routing
    decision, and it is sent after the commit. Delivering the same request to the same stewardship again
    returns the first delivery while the peer has not declined it; a later offer to the same peer (after a
    decline, or re-routed by a facilitator) is a new delivery under a new idempotency key.
    """
    peer = Peer.objects.filter(instance_id=stewardship.origin).first()
    if peer is None:
        raise NotAPeerStewardship(f"{stewardship.global_id} does not belong to a peer of this instance")
    if request.origin != instance_id():
        raise ValueError(f"{request.global_id} is not this instance's request")
    earlier = OutgoingDelivery.objects.filter(peer=peer, request=request)
    existing = (
        earlier.filter(stewardship=stewardship)
        .exclude(remote_status__in=CLOSED_AT_PEER)
        .order_by("-pk")
        .first()
    )
    if existing is not None:
        return existing
    count = earlier.count()
    idempotency_key = request.global_id if count == 0 else f"{request.global_id}#{count + 1}"
    fields = wire_fields("requests", request)
    if request.requester is not None:
        fields["requester_entity"] = {
            "id": request.requester.global_id,
            "key": request.requester.key,
            **wire_fields("entities", request.requester),
        }
    document = delivery_document(
        actor=instance_id(),
        idempotency_key=idempotency_key,
        request_id=request.global_id,
        key=request.key,
        fields=fields,
        stewardship_id=stewardship.global_id,
        published=timezone.now(),
        key_pair=instance_key_pair(),
    )
    delivery = OutgoingDelivery.objects.create(
        peer=peer,
        request=request,
        stewardship=stewardship,
        idempotency_key=idempotency_key,
        document=canonical_json(document).decode("utf-8"),
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(_send_soon)
    return delivery


def _send_soon() -> None:
    from partnernet.federation.tasks import send_deliveries

    send_deliveries.enqueue()


@dataclass
class DeliveryReport:
    delivered: int = 0
    retrying: int = 0
    refused: int = 0
    errors: list[str] = field(default_factory=list)


def send_pending_deliveries(
    now: datetime | None = None, *, client: httpx.Client | None = None, jitter: Any = random.random
) -> DeliveryReport:
    """Post every pending delivery that is due; each outcome is stored on its row."""
    from partnernet.federation.pull import POLICY

    moment = now or timezone.now()
    report = DeliveryReport()
    due = OutgoingDelivery.objects.filter(
        status=OutgoingDelivery.Status.PENDING, next_attempt_at__lte=moment, peer__suspended_at__isnull=True
    )
    owned = client is None
    http = client or new_client()
    try:
        for delivery in due.select_related("peer").order_by("pk"):
            delivery.attempts += 1
            try:
                answer = call(
                    http, "POST", delivery.peer.base_url, INBOX_PATH, body=delivery.document.encode("utf-8")
                )
            except PeerUnreachable as exc:
                status, reason, retryable, retry_after = None, f"network error: {exc}", True, None
            else:
                status = answer.status
                reason = f"HTTP {status}: {answer.body[:300].decode('utf-8', 'replace')}"
                failure = (
                    http_failure(status, retry_after=answer.retry_after) if status not in (200, 201) else None
                )
                retryable = failure.retryable if failure else False
                retry_after = failure.retry_after if failure else None
            if status in (200, 201):
                delivery.status = OutgoingDelivery.Status.DELIVERED
                delivery.delivered_at = moment
                delivery.remote_id = _remote_id(answer.body)
                delivery.last_error = ""
                report.delivered += 1
            elif retryable:
                delay = backoff_delay(delivery.attempts, POLICY, jitter())
                if retry_after is not None:
                    delay = max(delay, min(retry_after, POLICY.max_delay))
                delivery.next_attempt_at = moment + delay
                delivery.last_error = reason
                report.retrying += 1
                logger.warning(
                    "delivery %s to %s failed (%s); retrying at %s",
                    delivery.idempotency_key,
                    delivery.peer.instance_id,
                    reason,
                    delivery.next_attempt_at,
                )
            else:
                delivery.status = OutgoingDelivery.Status.REFUSED
                delivery.next_attempt_at = None
                delivery.last_error = reason
                report.refused += 1
                _refused_moves_on(delivery)
                logger.warning(
                    "delivery %s refused by %s (%s); not retried",
                    delivery.idempotency_key,
                    delivery.peer.instance_id,
                    reason,
                )
            if delivery.last_error:
                report.errors.append(delivery.last_error)
            delivery.save()
    finally:
        if owned:
            http.close()
    return report


def _refused_moves_on(delivery: OutgoingDelivery) -> None:
    """A peer that will not take the request is, for routing, a steward that declined: the request moves to
    its next candidate now instead of waiting out the offer's clock."""
    from partnernet.support.services.peers import apply_peer_answer

    name = delivery.peer.operator or delivery.peer.instance_id
    note = _("%(peer)s would not take the request (%(error)s).") % {
        "peer": name,
        "error": delivery.last_error,
    }
    apply_peer_answer(delivery.request_id, delivery.stewardship_id, "declined", None, name, note)


def _remote_id(body: bytes) -> str:
    try:
        answer = parse_json(body)
    except CanonicalJsonError:
        return ""
    remote = answer.get("request") if isinstance(answer, dict) else None
    return remote if isinstance(remote, str) else ""


@dataclass
class InboxRefused(Exception):
    """A delivery this instance will not take; becomes a 4xx with the FORMATS.md error shape."""

    status: int
    code: str
    message: str
    fields: dict[str, list[str]] = field(default_factory=dict)


def receive_delivery(body: bytes) -> tuple[InboxItem, bool]:
    """Check and store a delivery; returns the inbox item and whether it is new (a repeat gets the first)."""
    try:
        document = parse_json(body)
    except CanonicalJsonError as exc:
        raise InboxRefused(400, "bad_request", f"not strict JSON: {exc}") from exc
    actor = document.get("actor") if isinstance(document, dict) else None
    peer = Peer.objects.filter(instance_id=actor).first() if isinstance(actor, str) else None
    if peer is None:
        raise InboxRefused(403, "forbidden", f"{actor!r} is not a peer of this instance")
    if peer.suspended_at is not None:
        raise InboxRefused(403, "forbidden", "this instance has suspended exchanging with yours")
    try:
        delivery = read_delivery(document, public_key=decode_public_key(peer.public_key), now=timezone.now())
    except TransportError as exc:
        raise InboxRefused(401, "unauthenticated", str(exc)) from exc
    existing = InboxItem.objects.filter(peer=peer, idempotency_key=delivery.idempotency_key).first()
    if existing is not None:
        return existing, False
    try:
        stewardship_id = parse_global_id(delivery.stewardship_id)
    except IdentityError as exc:
        raise InboxRefused(422, "invalid", str(exc), {"stewardship": [str(exc)]}) from exc
    stewardship = Stewardship.objects.filter(origin=instance_id(), uuid=stewardship_id.uuid).first()
    if stewardship is None:
        message = f"{delivery.stewardship_id} is not a stewardship of this instance"
        raise InboxRefused(422, "invalid", message, {"stewardship": [message]})
    values: dict[str, Any] = {**dict(delivery.fields), "key": _local_key(peer, delivery)}
    snapshot = values.pop("requester_entity", None)
    try:
        with transaction.atomic():
            _know_requester(peer, snapshot)
            request = receive_delivered_request(peer.instance_id, values, stewardship)
            item = InboxItem.objects.create(
                peer=peer,
                idempotency_key=delivery.idempotency_key,
                remote_request=delivery.request_id,
                document=canonical_json(document).decode("utf-8"),
                request=request,
            )
            publish_change(request)
    except RecordRejected as exc:
        raise InboxRefused(422, "invalid", "the support request has invalid fields", exc.fields) from exc
    except IntegrityError:
        repeated = InboxItem.objects.filter(peer=peer, idempotency_key=delivery.idempotency_key).first()
        if repeated is None:
            raise
        return repeated, False
    logger.info(
        "inbox: %s delivered %s, offered to %s", peer.instance_id, delivery.request_id, stewardship.key
    )
    return item, True


def _know_requester(peer: Peer, snapshot: Any) -> None:
    """Make sure the requester of a delivered request is known here, so the steward can act on first
    contact: the sender's own entity, not pulled yet, is stored from the snapshot the delivery carries as
    the sender's read-only copy (the sender's feed updates it later, as it would any copy). A seeded
    entity is already here; a third instance's entity is only named (the sender may not speak for it)."""
    from partnernet.base.records import ForeignRow
    from partnernet.directory.models import Entity
    from partnernet.federation.registry import federated_kind

    if not isinstance(snapshot, dict) or not isinstance(snapshot.get("id"), str):
        return
    try:
        global_id = parse_global_id(snapshot["id"])
    except IdentityError as exc:
        raise InboxRefused(422, "invalid", str(exc), {"requester": [str(exc)]}) from exc
    if global_id.origin != peer.instance_id:
        return
    if Entity.objects.filter(origin=peer.instance_id, uuid=global_id.uuid).exists():
        return
    kind = federated_kind("entities")
    if kind is None or kind.writer is None:
        return
    values = {name: value for name, value in snapshot.items() if name in kind.exchange.fields}
    problems, _created, _updated = kind.writer.upsert_foreign(
        peer.instance_id, [ForeignRow(global_id.uuid, values)]
    )
    if problems:
        message = "; ".join(problems.values())
        raise InboxRefused(
            422, "invalid", f"the requester cannot be stored: {message}", {"requester": [message]}
        )


def _local_key(peer: Peer, delivery: Any) -> str:
    """The key of a delivered request here: the sender's key, prefixed with the sender so it cannot clash,
    and suffixed with the offer's number when the sender offers the same request here again."""
    _request, _hash, number = delivery.idempotency_key.partition("#")
    suffix = f"-{number}" if number.isdigit() else ""
    return f"{peer.instance_id}-{delivery.key}"[: 100 - len(suffix)] + suffix


def apply_request_status(peer: Peer, activity: Activity) -> str | None:
    """Apply a ``requests`` activity of ``peer``, which is one of two things.

    The status of a request this instance delivered to the peer (the steward there accepted, declined or
    resolved it): the support workflow takes it as that steward's answer, or ignores it when the request
    has moved on since. Or the state of a request the peer delivered here: when it was withdrawn or routed
    elsewhere at the peer (its tombstone on our channel, or another steward), our copy is withdrawn.
    Returns a problem text when neither matches (a peer cannot change requests it was not sent).
    """
    from partnernet.support.services.peers import apply_peer_answer, sender_moved_on

    delivery = (
        OutgoingDelivery.objects.filter(peer=peer, remote_id=activity.global_id)
        .select_related("request")
        .first()
    )
    if delivery is None:
        item = InboxItem.objects.filter(peer=peer, remote_request=activity.global_id).order_by("-pk").first()
        if item is None or item.request_id is None:
            return f"no request of this instance was delivered as {activity.global_id}"
        fields = activity.fields
        steward = fields.get("steward") if fields is not None else None
        status = fields.get("status") if fields is not None else None
        if fields is None or status == "withdrawn" or (status in LOAD and steward != _steward_key(item)):
            sender_moved_on(item.request_id, peer.operator or peer.instance_id)
        return None
    if delivery.request is None or activity.fields is None:
        return None
    status = activity.fields.get("status")
    if status not in SupportRequest.Status.values:
        return f"status {status!r} is not a request status"
    resolved_on: date | None = None
    resolved = activity.fields.get("resolved")
    if isinstance(resolved, str) and resolved:
        try:
            resolved_on = date.fromisoformat(resolved)
        except ValueError:
            return f"resolved {resolved!r} is not a date"
    delivery.remote_status = str(status)
    delivery.save(update_fields=["remote_status"])
    name = peer.operator or peer.instance_id
    reason = activity.fields.get("reason")
    note: Any = ""
    if status == "declined" and isinstance(reason, str) and reason.strip():
        steward = delivery.stewardship.entity.name if delivery.stewardship is not None else name
        note = message(
            "support.peer_declined_because", steward=steward, peer=name, reason=reason.strip()[:2000]
        )
    apply_peer_answer(delivery.request_id, delivery.stewardship_id, str(status), resolved_on, name, note)
    return None


LOAD = ("offered", "accepted", "in_progress")


def _steward_key(item: InboxItem) -> str | None:
    if item.request_id is None:
        return None
    request = SupportRequest.objects.filter(pk=item.request_id).select_related("steward").first()
    return request.steward.key if request is not None and request.steward is not None else None


def decline_noted(sender: Any, instance: Any, created: bool = False, raw: bool = False, **_: Any) -> None:
    """``post_save`` of a request event: a delivered copy's decline (or timeout) is noted after its status
    was saved (and published), so the request is published again to carry the steward's reason back."""
    if raw or not created or instance.kind not in ("declined", "timed_out", "lapsed"):
        return
    request = SupportRequest.objects.filter(pk=instance.request_id, inbox_item__isnull=False).first()
    if request is not None and instance.note:
        publish_change(request)


def connect() -> None:
    from django.db.models.signals import post_save

    from partnernet.support.models import RequestEvent

    post_save.connect(decline_noted, sender=RequestEvent, dispatch_uid="federation-decline-noted")
