"""Operators' controls over peers, and the checks that keep a peer's identity its own.

* ``check_identity``: before every pull the peer's well-known document is fetched again; it must be signed by
  its key, name the peer's id and address, and publish the pinned key or one its rotation statements lead
  to (then pinned without an operator). Anything else stops the pull and marks the peer *needs attention*.
* ``suspend_peer`` / ``resume_peer``: a suspended peer is neither pulled nor delivered to, its signed fetches
  and deliveries are answered 403, and its stewardships leave routing at once (offers move on).
* ``remove_peer``: suspend, then delete every row of its origin and what federation kept about it.
* ``remember_nonce``: a signed fetch's nonce is accepted once.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from partnernet.core.federation.canonical import CanonicalJsonError, parse_json
from partnernet.core.federation.feed import DEFAULT_SKEW
from partnernet.core.federation.identity import (
    WELL_KNOWN_PATH,
    IdentityError,
    read_well_known,
    well_known_rotations,
)
from partnernet.core.federation.rotation import follow_rotations
from partnernet.core.federation.signing import decode_public_key, encode_public_key
from partnernet.core.federation.sync import Failure, http_failure, invalid_feed_failure, network_failure
from partnernet.federation.client import PeerUnreachable, call
from partnernet.federation.models import (
    DeliveryStatus,
    ForeignRecord,
    InboxItem,
    OutgoingDelivery,
    Peer,
    SeenNonce,
)

if TYPE_CHECKING:
    import httpx

logger = logging.getLogger("partnernet.federation")


def check_identity(peer: Peer, http: httpx.Client) -> Failure | None:
    """``None`` when the peer still is who we pinned (following a signed rotation if it made one)."""
    from partnernet.federation.selectors import normalise_url

    try:
        answer = call(http, "GET", peer.base_url, WELL_KNOWN_PATH, signed=False)
    except PeerUnreachable as exc:
        return network_failure(str(exc))
    if answer.status != 200:
        return http_failure(answer.status)
    try:
        document = parse_json(answer.body)
        identity = read_well_known(document, expected_fingerprint=None)
    except (IdentityError, CanonicalJsonError) as exc:
        return invalid_feed_failure(f"well-known document refused: {exc}")
    if identity.instance != peer.instance_id or normalise_url(identity.base_url) != peer.base_url:
        return Failure(
            f"identity changed: {peer.base_url} now says it is {identity.instance} at {identity.base_url}; "
            "not pulled (an operator must check: `partnernet federation move` if the peer moved)",
            retryable=False,
        )
    pinned = decode_public_key(peer.public_key)
    if identity.public_key == pinned:
        return None
    chain = follow_rotations(
        pinned, identity.public_key, well_known_rotations(document), instance=peer.instance_id
    )
    if chain is None:
        return Failure(
            f"key changed: the peer publishes key {identity.fingerprint} with no rotation statement signed "
            f"by the pinned key {peer.fingerprint}; not pulled. Confirm the new fingerprint with its "
            f"operator, then run `partnernet federation add {peer.base_url} --fingerprint NEW`",
            retryable=False,
        )
    logger.warning(
        "peer %s rotated its key %s -> %s (signed by both keys); following it",
        peer.instance_id,
        peer.fingerprint,
        identity.fingerprint,
    )
    peer.public_key = encode_public_key(identity.public_key)
    peer.fingerprint = identity.fingerprint
    Peer.objects.filter(pk=peer.pk).update(public_key=peer.public_key, fingerprint=peer.fingerprint)
    return None


def remember_nonce(instance: str, nonce: str, moment: datetime, now: datetime | None = None) -> bool:
    """Record a signed fetch's nonce; ``False`` when it was used before (a replay). Nonces older than the
    clock skew allows are forgotten, since a request that old is refused by its date anyway."""
    current = now or timezone.now()
    SeenNonce.objects.filter(seen_at__lt=current - 2 * DEFAULT_SKEW).delete()
    try:
        with transaction.atomic():
            SeenNonce.objects.create(instance=instance, nonce=nonce, seen_at=moment)
    except IntegrityError:
        return False
    return True


def _stewardship_ids(origin: str) -> list[int]:
    from partnernet.base.registry import find_kind

    kind = find_kind("stewardships")
    if kind is None:
        return []
    return list(kind.model._default_manager.filter(origin=origin).values_list("pk", flat=True))


@transaction.atomic
def suspend_peer(peer: Peer) -> int:
    """Stop exchanging with ``peer`` now; returns how many offered requests moved to another candidate.

    Deliveries not yet sent to it are refused here (their requests move on like the others)."""
    from partnernet.support.services.workflow import move_on_from_peer

    if peer.suspended_at is None:
        peer.suspended_at = timezone.now()
        peer.save(update_fields=["suspended_at"])
    OutgoingDelivery.objects.filter(peer=peer, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.REFUSED, next_attempt_at=None, last_error="peer suspended by this instance"
    )
    moved = move_on_from_peer(_stewardship_ids(peer.instance_id), peer.operator or peer.instance_id)
    logger.warning("peer %s suspended; %d offered requests moved on", peer.instance_id, moved)
    return moved


def resume_peer(peer: Peer) -> None:
    """Exchange with ``peer`` again: pulled from where it stopped, its stewardships back in routing."""
    from partnernet.federation.services import _schedule

    peer.suspended_at = None
    peer.next_attempt_at = timezone.now()
    peer.save(update_fields=["suspended_at", "next_attempt_at"])
    transaction.on_commit(_schedule)


def peer_rows(peer: Peer) -> dict[str, int]:
    """What removing ``peer`` deletes, counted per kind (its origin's rows) and per federation table."""
    from partnernet.base.registry import record_kinds

    counts: dict[str, int] = {}
    for kind in record_kinds():
        if any(field.name == "origin" for field in kind.model._meta.get_fields()):
            counts[kind.name] = kind.model._default_manager.filter(origin=peer.instance_id).count()
    counts["foreign records"] = ForeignRecord.objects.filter(origin=peer.instance_id).count()
    counts["deliveries"] = OutgoingDelivery.objects.filter(peer=peer).count()
    counts["inbox items"] = InboxItem.objects.filter(peer=peer).count()
    return counts


class PeerInUse(Exception):
    """Rows of this instance still need some of the peer's rows; the message names them."""


def remove_peer(peer: Peer, *, dry_run: bool = False) -> dict[str, int]:
    """Delete ``peer`` and everything of its origin (counts per kind); with ``dry_run`` only count.

    Kinds are deleted in the reverse of their registration (records before the records they name). Local
    rows that still name one of its rows (a partnership of ours with its entity as lead) stop the removal
    with ``PeerInUse``, and nothing is deleted."""
    from django.db.models import ProtectedError, RestrictedError

    from partnernet.base.observers import watching
    from partnernet.base.registry import record_kinds

    counts = peer_rows(peer)
    if dry_run:
        return counts
    try:
        with transaction.atomic():
            suspend_peer(peer)
            InboxItem.objects.filter(peer=peer).delete()
            for kind in reversed(record_kinds()):
                if kind.name in counts:
                    rows: Any = kind.model._default_manager.filter(origin=peer.instance_id)
                    with watching(kind.name, repair=True) as watch:
                        watch.before(list(rows.values_list("pk", flat=True)))
                        rows.delete()
                        watch.after([])
            ForeignRecord.objects.filter(origin=peer.instance_id).delete()
            SeenNonce.objects.filter(instance=peer.instance_id).delete()
            peer.delete()
    except (ProtectedError, RestrictedError) as exc:
        names = ", ".join(sorted({f"{type(obj).__name__} {obj}" for obj in exc.args[1]})[:5])
        raise PeerInUse(f"rows of this instance still need rows of {peer.instance_id}: {names}") from exc
    logger.warning("peer %s removed with its rows: %s", peer.instance_id, counts)
    return counts


NONCE_WINDOW: timedelta = 2 * DEFAULT_SKEW
