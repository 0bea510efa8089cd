"""Writes about this instance's identity and its peers."""

from __future__ import annotations

from typing import Any

import httpx
from django.db import transaction
from django.utils import timezone

from partnernet.base.identity import instance_id
from partnernet.core.federation.canonical import CanonicalJsonError, parse_json
from partnernet.core.federation.identity import WELL_KNOWN_PATH, IdentityError, read_well_known
from partnernet.core.federation.signing import encode_public_key, normalise_fingerprint
from partnernet.federation.keys import instance_key_pair
from partnernet.federation.models import FeedSequence, Peer


def ensure_feed(using: str = "default", **_: Any) -> None:
    """``post_migrate`` receiver: every migrated (or flushed) database gets its feed counter at once, and
    the instance its key file (after ``base`` made its identity)."""
    FeedSequence.objects.using(using).get_or_create(pk=1, defaults={"last": 0})
    instance_key_pair()


class PeerRefused(Exception):
    """The instance at the URL cannot be trusted as asked (the key differs, the document is wrong …)."""


def add_peer(
    url: str, fingerprint: str, *, movement: bool = False, client: httpx.Client | None = None
) -> Peer:
    """Trust the instance at ``url`` once its published key has the fingerprint an administrator confirmed.

    Raises ``PeerRefused`` (the user's to fix: wrong fingerprint, wrong address) or ``PeerUnreachable``.
    Adding a peer again updates its movement flag and, if its key changed, pins the newly confirmed key.
    """
    from partnernet.federation.client import PeerUnreachable, call, new_client
    from partnernet.federation.selectors import normalise_url

    base_url = normalise_url(url)
    if not base_url.startswith(("http://", "https://")):
        raise PeerRefused(f"{url}: not an http(s) address")
    try:
        normalise_fingerprint(fingerprint)
    except ValueError as exc:
        raise PeerRefused(f"--fingerprint: {exc}") from exc
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
        identity = read_well_known(parse_json(answer.body), expected_fingerprint=fingerprint)
    except (IdentityError, CanonicalJsonError) as exc:
        raise PeerRefused(f"{base_url}: {exc}") from exc
    if normalise_url(identity.base_url) != base_url:
        raise PeerRefused(f"{base_url} says its address is {identity.base_url}; add it by that address")
    if identity.instance == instance_id():
        raise PeerRefused(f"{base_url} is this instance ({identity.instance})")
    with transaction.atomic():
        clash = Peer.objects.filter(base_url=base_url).exclude(instance_id=identity.instance).first()
        if clash is not None:
            raise PeerRefused(f"{base_url} is already the address of peer {clash.instance_id}")
        peer, _ = Peer.objects.update_or_create(
            instance_id=identity.instance,
            defaults={
                "base_url": base_url,
                "public_key": encode_public_key(identity.public_key),
                "fingerprint": identity.fingerprint,
                "operator": identity.operator,
                "movement": movement,
                "needs_attention": False,
                "next_attempt_at": timezone.now(),
            },
        )
        transaction.on_commit(_schedule)
    return peer


def _schedule() -> None:
    from partnernet.federation.tasks import schedule_sync

    schedule_sync()
