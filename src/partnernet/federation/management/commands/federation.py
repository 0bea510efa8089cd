"""``partnernet federation add|peers|status|sync``: trust peers, watch them, pull their changes now."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from partnernet.federation.client import PeerUnreachable
from partnernet.federation.management.operator import operator_verb
from partnernet.federation.models import Peer
from partnernet.federation.pull import sync_peer
from partnernet.federation.selectors import peer_by_url, peers_overview, this_instance
from partnernet.federation.services import PeerRefused, add_peer


def peer_state(peer: Peer) -> str:
    """One word for a peer's health: suspended, ok, new, retrying, needs_attention or unavailable."""
    if peer.suspended_at is not None:
        return "suspended"
    if peer.unavailable_since is not None:
        return "unavailable"
    if peer.needs_attention:
        return "needs_attention"
    if peer.failures:
        return "retrying"
    return "ok" if peer.last_success_at else "new"


def peer_summary(peer: Peer) -> dict[str, Any]:
    def when(moment: Any) -> str | None:
        return moment.isoformat() if moment else None

    return {
        "instance": peer.instance_id,
        "base_url": peer.base_url,
        "fingerprint": peer.fingerprint,
        "operator": peer.operator,
        "movement": peer.movement,
        "state": peer_state(peer),
        "cursor": peer.cursor,
        "lag": peer.lag,
        "last_sync": when(peer.last_success_at),
        "last_attempt": when(peer.last_attempt_at),
        "next_attempt": when(peer.next_attempt_at),
        "failures": peer.failures,
        "unavailable_since": when(peer.unavailable_since),
        "last_error": peer.last_error or None,
        "changes_applied": peer.records_applied,
        "suspended_since": when(peer.suspended_at),
    }


class Command(BaseCommand):
    help = (
        "Federation with other Partnernet instances. add: trust the instance at URL once its published key "
        "matches --fingerprint; peers: list peers; status: show lag and errors; sync: pull changes now; "
        "suspend/resume/remove URL: stop, restart or end exchanging with a peer; move URL NEW_URL: a peer's "
        "new address; key rotate|replace: change this instance's key."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True, parser_class=CommandParser)
        add = verbs.add_parser("add", help="trust the instance at URL (its key must match --fingerprint)")
        add.add_argument("url", help="the peer's base URL, as published in its /.well-known/partnernet")
        add.add_argument("--fingerprint", required=True, help="hex SHA-256 of its key, confirmed out of band")
        add.add_argument("--movement", action="store_true", help="also send it rows of visibility movement")
        for name, text in (
            ("peers", "list peers"),
            ("status", "show each peer's last sync, lag and errors"),
            ("sync", "pull changes from every peer (or the one at URL) now"),
        ):
            verb: ArgumentParser = verbs.add_parser(name, help=text)
            if name != "peers":
                verb.add_argument("url", nargs="?", help="only this peer")
            verb.add_argument("--json", action="store_true", help="print one JSON document on stdout")
        for name, text in (
            ("suspend", "stop pulling from and delivering to the peer; its stewardships leave routing now"),
            ("resume", "exchange with a suspended peer again"),
            ("remove", "suspend the peer, then delete it and every row of its origin"),
        ):
            control: ArgumentParser = verbs.add_parser(name, help=text)
            control.add_argument("url", help="the peer's base URL")
            control.add_argument("--dry-run", action="store_true", help="only print what would change")
        move = verbs.add_parser(
            "move", help="the peer at URL moved to NEW_URL (same id, same or rotated key)"
        )
        move.add_argument("url")
        move.add_argument("new_url")
        key = verbs.add_parser("key", help="rotate this instance's key, or replace a lost one")
        key.add_argument("action", choices=["rotate", "replace"])

    def handle(self, *args: Any, **options: Any) -> None:
        verb = options["verb"]
        if verb in ("suspend", "resume", "remove", "move", "key"):
            operator_verb(self, verb, options)
        elif verb == "add":
            self._add(options)
        elif verb == "peers":
            self._peers(options)
        elif verb == "status":
            self._status(options)
        else:
            self._sync(options)

    def _selected(self, url: str | None) -> list[Peer]:
        if url is None:
            return peers_overview()
        peer = peer_by_url(url)
        if peer is None:
            raise CommandError(
                f"{url}: not a peer of this instance (see `partnernet federation peers`)", returncode=2
            )
        return [peer]

    def _add(self, options: dict[str, Any]) -> None:
        try:
            peer = add_peer(options["url"], options["fingerprint"], movement=options["movement"])
        except PeerRefused as exc:
            raise CommandError(str(exc), returncode=2) from exc
        except PeerUnreachable as exc:
            raise CommandError(f"{options['url']}: {exc}", returncode=1) from exc
        scope = "public and movement rows" if peer.movement else "public rows"
        self.stdout.write(
            f"added peer {peer.instance_id} at {peer.base_url} (fingerprint {peer.fingerprint}); "
            f"it receives {scope}"
        )

    def _peers(self, options: dict[str, Any]) -> None:
        peers = peers_overview()
        if options["json"]:
            me = this_instance()
            document = {"instance": me.instance, "peers": [peer_summary(peer) for peer in peers]}
            self.stdout.write(json.dumps(document, indent=2))
            return
        if not peers:
            self.stdout.write("no peers yet: partnernet federation add URL --fingerprint FP")
        for peer in peers:
            flag = " movement" if peer.movement else ""
            self.stdout.write(f"{peer.instance_id}  {peer.base_url}  {peer.fingerprint}{flag}")

    def _status(self, options: dict[str, Any]) -> None:
        peers = self._selected(options["url"])
        if options["json"]:
            self.stdout.write(json.dumps({"peers": [peer_summary(peer) for peer in peers]}, indent=2))
            return
        for peer in peers:
            summary = peer_summary(peer)
            lag = "unknown" if summary["lag"] is None else summary["lag"]
            last = summary["last_sync"] or "never"
            line = (
                f"{peer.instance_id}  {peer.base_url}  {summary['state']}  last sync {last}"
                f"  lag {lag}  cursor {peer.cursor}"
            )
            if peer.last_error:
                line += f"  error: {peer.last_error} ({peer.failures} failures)"
            self.stdout.write(line)

    def _sync(self, options: dict[str, Any]) -> None:
        selected = self._selected(options["url"])
        if options["url"] and selected[0].suspended_at is not None:
            raise CommandError(
                f"{options['url']}: suspended; `partnernet federation resume {selected[0].base_url}` first",
                returncode=2,
            )
        reports = [sync_peer(peer) for peer in selected if peer.suspended_at is None]
        if options["json"]:
            self.stdout.write(json.dumps({"peers": [report.as_dict() for report in reports]}, indent=2))
        else:
            for report in reports:
                outcome = "ok" if report.ok else f"failed: {report.error}"
                self.stdout.write(
                    f"{report.peer}  {outcome}  created {report.created} updated {report.updated} "
                    f"deleted {report.deleted} ignored {report.ignored}  cursor {report.cursor}"
                )
                for problem in report.problems:
                    self.stderr.write(f"{report.peer}: kept for later: {problem}")
        if any(not report.ok for report in reports):
            raise CommandError("some peers could not be synced (see above)", returncode=1)
