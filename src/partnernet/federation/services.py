"""Writes about this instance's identity and its peers."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from partnernet.base.identity import instance_id
from partnernet.core.federation.canonical import CanonicalJsonError, parse_json
from partnernet.core.federation.identity import WELL_KNOWN_PATH, IdentityError, read_well_known
from partnernet.core.federation.signing import encode_public_key, normalise_fingerprint
from partnernet.federation.keys import KeyLost, instance_key_pair
from partnernet.federation.models import FeedSequence, Peer

if TYPE_CHECKING:
    import httpx

logger = logging.getLogger("partnernet.federation")


def ensure_feed(using: str = "default", **_: Any) -> None:
    """``post_migrate`` receiver: every migrated (or flushed) database gets its feed counter at once, and
    the instance its key file (after ``base`` made its identity)."""
    FeedSequence.objects.using(using).get_or_create(pk=1, defaults={"last": 0})
    try:
        instance_key_pair()
    except KeyLost as exc:  # migrating must still work; federation says what is wrong when it is used
        logger.error("%s", exc)


class PeerRefused(Exception):
    """The instance at the URL cannot be trusted as asked (the key differs, the document is wrong …)."""


def fetch_identity(
    base_url: str, expected_fingerprint: str | None, client: httpx.Client | None = None
) -> Any:
    """The verified ``(PeerIdentity, document)`` published at ``base_url``: signed by its own key, naming
    ``base_url`` as its address (and, with ``expected_fingerprint``, holding that key). Raises
    ``PeerRefused`` or ``PeerUnreachable``."""
    from partnernet.federation.client import PeerUnreachable, call, new_client
    from partnernet.federation.selectors import normalise_url

    owned = client is None
    http = client or new_client()
    try:
        answer = call(http, "GET", base_url, WELL_KNOWN_PATH, signed=False)
    finally:
        if owned:
            http.close()
    if answer.status != 200:
        raise PeerUnreachable(f"{base_url}{WELL_KNOWN_PATH} answered HTTP {answer.status}")
    try:
        document = parse_json(answer.body)
        identity = read_well_known(document, expected_fingerprint=expected_fingerprint)
    except (IdentityError, CanonicalJsonError) as exc:
        raise PeerRefused(f"{base_url}: {exc}") from exc
    if normalise_url(identity.base_url) != base_url:
        raise PeerRefused(f"{base_url} says its address is {identity.base_url}; add it by that address")
    if identity.instance == instance_id():
        raise PeerRefused(f"{base_url} is this instance ({identity.instance})")
    return identity, document


def _checked_url(url: str) -> str:
    from partnernet.federation.selectors import normalise_url

    base_url = normalise_url(url)
    if not base_url.startswith(("http://", "https://")):
        raise PeerRefused(f"{url}: not an http(s) address")
    return base_url


def add_peer(
    url: str, fingerprint: str, *, movement: bool = False, client: httpx.Client | None = None
) -> Peer:
    """Trust the instance at ``url`` once its published key has the fingerprint an administrator confirmed.

    Raises ``PeerRefused`` (the user's to fix: wrong fingerprint, wrong address, an id or address another
    peer holds) or ``PeerUnreachable``. Adding a peer again at the same address updates its movement flag
    and, if its key changed, pins the newly confirmed key (how an operator answers a peer whose key was
    lost). An instance id is never moved to another address here: that is ``move_peer``, on purpose.
    """
    base_url = _checked_url(url)
    try:
        normalise_fingerprint(fingerprint)
    except ValueError as exc:
        raise PeerRefused(f"--fingerprint: {exc}") from exc
    identity, _document = fetch_identity(base_url, fingerprint, client)
    with transaction.atomic():
        clash = Peer.objects.filter(base_url=base_url).exclude(instance_id=identity.instance).first()
        if clash is not None:
            raise PeerRefused(
                f"{base_url} is already the address of peer {clash.instance_id}, and now says it is "
                f"{identity.instance}; remove that peer first if the address really changed hands"
            )
        held = Peer.objects.filter(instance_id=identity.instance).exclude(base_url=base_url).first()
        if held is not None:
            raise PeerRefused(
                f"instance {identity.instance} is already the peer at {held.base_url}; nothing was changed. "
                f"If it really moved, run `partnernet federation move {held.base_url} {base_url}`"
            )
        peer, _ = Peer.objects.update_or_create(
            instance_id=identity.instance,
            defaults={
                "base_url": base_url,
                "public_key": encode_public_key(identity.public_key),
                "fingerprint": identity.fingerprint,
                "operator": identity.operator,
                "movement": movement,
                "needs_attention": False,
                "last_error": "",
                "next_attempt_at": timezone.now(),
            },
        )
        transaction.on_commit(_schedule)
    return peer


def move_peer(old_url: str, new_url: str, *, client: httpx.Client | None = None) -> Peer:
    """Give the peer at ``old_url`` its new address ``new_url`` (``partnernet federation move``).

    The instance at the new address must be the same instance (same id) with the key we pinned, or a key
    its rotation statements lead to from the pinned one; the new address must not be another peer's.
    """
    from partnernet.core.federation.identity import well_known_rotations
    from partnernet.core.federation.rotation import follow_rotations
    from partnernet.core.federation.signing import decode_public_key
    from partnernet.federation.selectors import peer_by_url

    peer = peer_by_url(old_url)
    if peer is None:
        raise PeerNotFound(old_url)
    base_url = _checked_url(new_url)
    identity, document = fetch_identity(base_url, None, client)
    if identity.instance != peer.instance_id:
        raise PeerRefused(
            f"{base_url} is instance {identity.instance}, not {peer.instance_id}; nothing was changed"
        )
    pinned = decode_public_key(peer.public_key)
    chain = follow_rotations(
        pinned, identity.public_key, well_known_rotations(document), instance=peer.instance_id
    )
    if chain is None:
        raise PeerRefused(
            f"{base_url} publishes another key than the one pinned for {peer.instance_id}, with no rotation "
            "statement leading to it; confirm its fingerprint with its operator and add it again"
        )
    with transaction.atomic():
        if Peer.objects.filter(base_url=base_url).exclude(pk=peer.pk).exists():
            raise PeerRefused(f"{base_url} is already the address of another peer")
        peer.base_url = base_url
        peer.public_key = encode_public_key(identity.public_key)
        peer.fingerprint = identity.fingerprint
        peer.next_attempt_at = timezone.now()
        peer.save(update_fields=["base_url", "public_key", "fingerprint", "next_attempt_at"])
    return peer


class PeerNotFound(Exception):
    """No peer has this address."""

    def __init__(self, url: str) -> None:
        super().__init__(f"{url}: not a peer of this instance (see `partnernet federation peers`)")


def _schedule() -> None:
    from partnernet.federation.tasks import schedule_sync

    schedule_sync()
