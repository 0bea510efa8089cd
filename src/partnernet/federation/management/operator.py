"""The operator's verbs of ``partnernet federation``: suspend, resume, remove, move and key.

An unknown peer URL is the user's mistake (exit 2); so is a move the new address does not bear out.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from partnernet.federation.client import PeerUnreachable
from partnernet.federation.models import Peer
from partnernet.federation.selectors import peer_by_url
from partnernet.federation.services import PeerNotFound, PeerRefused, move_peer
from partnernet.federation.trust import PeerInUse, peer_rows, remove_peer, resume_peer, suspend_peer


def _peer(url: str) -> Peer:
    peer = peer_by_url(url)
    if peer is None:
        raise CommandError(str(PeerNotFound(url)), returncode=2)
    return peer


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{kind} {count}" for kind, count in counts.items())


def operator_verb(command: BaseCommand, verb: str, options: dict[str, Any]) -> None:
    out = command.stdout
    if verb == "key":
        _key(command, options["action"])
        return
    if verb == "move":
        try:
            peer = move_peer(options["url"], options["new_url"])
        except PeerNotFound as exc:
            raise CommandError(str(exc), returncode=2) from exc
        except PeerRefused as exc:
            raise CommandError(str(exc), returncode=2) from exc
        except PeerUnreachable as exc:
            raise CommandError(f"{options['new_url']}: {exc}", returncode=1) from exc
        out.write(f"peer {peer.instance_id} is now at {peer.base_url}")
        return
    peer = _peer(options["url"])
    dry = options["dry_run"]
    if verb == "suspend":
        if dry:
            offered = peer_rows(peer).get("stewardships", 0)
            out.write(f"would suspend {peer.instance_id} ({offered} stewardships would leave routing)")
            return
        moved = suspend_peer(peer)
        out.write(f"suspended {peer.instance_id}; {moved} offered requests moved to their next candidate")
    elif verb == "resume":
        if not dry:
            resume_peer(peer)
        out.write(f"{'would resume' if dry else 'resumed'} {peer.instance_id}")
    else:
        try:
            counts = remove_peer(peer, dry_run=dry)
        except PeerInUse as exc:
            raise CommandError(f"{peer.base_url}: {exc}; nothing was deleted", returncode=1) from exc
        out.write(f"{'would remove' if dry else 'removed'} {peer.instance_id}: {_counts(counts)}")


def _key(command: BaseCommand, action: str) -> None:
    from partnernet.federation.keys import replace_lost_key, rotate_key

    try:
        pair = rotate_key() if action == "rotate" else replace_lost_key()
    except ImproperlyConfigured as exc:
        raise CommandError(str(exc), returncode=2) from exc
    if action == "rotate":
        command.stdout.write(
            f"new key {pair.fingerprint}; the rotation statement signed by both keys is published, and peers "
            "follow it on their next sync"
        )
    else:
        command.stdout.write(
            f"new key {pair.fingerprint}; peers will show this instance as needing attention until their "
            "operators confirm this fingerprint (`partnernet federation add URL --fingerprint ...`)"
        )
