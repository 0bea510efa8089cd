"""Pulling a peer's feed: fetch a page after the stored cursor, verify it, apply it, repeat until caught up.

Verification is the core's (``verify_page``): the page and every item must be signed by the peer's pinned
key, about the peer's own records, in order and fresh. Only the verified prefix of a page is applied, with
the new cursor; the first problem ends the pull with a log line naming it, and the pure state machine
(``core.federation.sync``) decides when to try again (exponential backoff with full jitter, a 4xx other
than 429 waits for an operator, days of failures mark the peer unavailable).

Verified pages are applied together, up to ``APPLY_BATCH`` activities in one transaction with the cursor
after the last of them (``_Held``). A peer's feed pages are small (500 activities by default) so that
serving one is cheap, but applying one has a fixed cost: looking up the versions held, the vocabulary,
the registry tally's upsert, a statement per kind. Catching up on a large feed page by page paid it
hundreds of times. A batch is applied, and the cursor moved, before anything that ends the pull is
recorded, so a failure after some verified pages still keeps them.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import DatabaseError
from django.utils import timezone

from partnernet.core.federation.activities import Activity
from partnernet.core.federation.canonical import CanonicalJsonError, JsonValue, parse_json
from partnernet.core.federation.feed import PageVerdict, verify_page
from partnernet.core.federation.signing import decode_public_key
from partnernet.core.federation.sync import (
    Failure,
    PeerSyncState,
    SyncEvent,
    SyncPolicy,
    http_failure,
    invalid_feed_failure,
    network_failure,
    record_failure,
    record_success,
    refresh_availability,
)
from partnernet.federation.apply import PageResult, apply_page, retry_problems
from partnernet.federation.client import PeerUnreachable, call, new_client
from partnernet.federation.models import ForeignRecord, Peer

if TYPE_CHECKING:
    import httpx

logger = logging.getLogger("partnernet.federation")

FEED_PATH = "/federation/feed"
POLICY = SyncPolicy()
APPLY_BATCH = 5000
"""Verified activities applied in one transaction at most (whole pages: a batch may end a page above it)."""


@dataclass
class SyncReport:
    """What one pull of one peer did."""

    peer: str
    base_url: str
    pages: int = 0
    created: int = 0
    updated: int = 0
    deleted: int = 0
    ignored: int = 0
    problems: list[str] = field(default_factory=list)
    error: str | None = None
    cursor: int = 0
    lag: int | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def add(self, result: PageResult) -> None:
        self.created += result.created
        self.updated += result.updated
        self.deleted += result.deleted
        self.ignored += result.ignored + result.refused
        self.problems.extend(result.problems)

    def as_dict(self) -> dict[str, object]:
        return {
            "peer": self.peer,
            "base_url": self.base_url,
            "ok": self.ok,
            "pages": self.pages,
            "created": self.created,
            "updated": self.updated,
            "deleted": self.deleted,
            "ignored": self.ignored,
            "problems": self.problems,
            "error": self.error,
            "cursor": self.cursor,
            "lag": self.lag,
        }


def state_of(peer: Peer) -> PeerSyncState:
    return PeerSyncState(
        cursor=peer.cursor,
        failures=peer.failures,
        failing_since=peer.failing_since,
        unavailable_since=peer.unavailable_since,
        next_attempt_at=peer.next_attempt_at,
        needs_attention=peer.needs_attention,
        last_error=peer.last_error or None,
        last_success_at=peer.last_success_at,
    )


def _store_state(peer: Peer, state: PeerSyncState, now: datetime) -> None:
    peer.cursor = state.cursor
    peer.failures = state.failures
    peer.failing_since = state.failing_since
    peer.unavailable_since = state.unavailable_since
    peer.next_attempt_at = state.next_attempt_at
    peer.needs_attention = state.needs_attention
    peer.last_error = state.last_error or ""
    peer.last_success_at = state.last_success_at
    peer.last_attempt_at = now
    peer.save(
        update_fields=[
            "cursor",
            "failures",
            "failing_since",
            "unavailable_since",
            "next_attempt_at",
            "needs_attention",
            "last_error",
            "last_success_at",
            "last_attempt_at",
            "remote_head",
            "remote_scope",
        ]
    )


def _log_events(peer: Peer, events: tuple[SyncEvent, ...]) -> None:
    for event in events:
        if event is SyncEvent.RECOVERED:
            logger.warning("peer %s recovered after being unavailable", peer.instance_id)
        elif event is SyncEvent.BECAME_UNAVAILABLE:
            logger.warning("peer %s is unavailable: failing since %s", peer.instance_id, peer.failing_since)
        else:
            logger.warning("peer %s needs an operator: %s (not retried)", peer.instance_id, peer.last_error)


def sync_peer(
    peer: Peer,
    *,
    client: httpx.Client | None = None,
    clock: Callable[[], datetime] = timezone.now,
    jitter: Callable[[], float] = random.random,
    policy: SyncPolicy = POLICY,
    max_pages: int | None = None,
) -> SyncReport:
    """Pull ``peer`` from its cursor until caught up (or ``max_pages``), recording success or failure."""
    from partnernet.federation.trust import check_identity

    report = SyncReport(peer.instance_id, peer.base_url)
    if peer.suspended_at is not None:
        report.error = "suspended by this instance's operators (partnernet federation resume URL)"
        return report
    state = state_of(peer)
    owned = client is None
    http = client or new_client()
    failure: Failure | None = None
    held = _Held(peer, report, state.cursor)
    try:
        failure = check_identity(peer, http)
        public_key = decode_public_key(peer.public_key)
        while failure is None and (max_pages is None or report.pages < max_pages):
            target = f"{FEED_PATH}?after={state.cursor}"
            try:
                answer = call(http, "GET", peer.base_url, target)
            except PeerUnreachable as exc:
                failure = network_failure(str(exc))
                break
            if answer.status != 200:
                failure = http_failure(answer.status, retry_after=answer.retry_after)
                break
            now = clock()
            try:
                page: JsonValue = parse_json(answer.body)
            except CanonicalJsonError as exc:
                failure = invalid_feed_failure(f"page refused (not_json): {exc}")
                break
            verdict = verify_page(
                page, origin=peer.instance_id, public_key=public_key, cursor=state.cursor, now=now
            )
            _note_head(peer, page, verdict)
            if _scope_widened(peer, page, verdict) and state.cursor > 0:
                logger.warning(
                    "peer %s now shows us %s rows; pulling its feed again from the start",
                    peer.instance_id,
                    peer.remote_scope,
                )
                failure = held.apply()
                if failure is not None:
                    break
                state = replace(state, cursor=0)
                held.applied = 0
                Peer.objects.filter(pk=peer.pk).update(cursor=0, remote_scope=peer.remote_scope)
                continue
            _log_rejections(peer, verdict)
            if verdict.accepted or verdict.cursor != state.cursor:
                held.add(verdict.accepted, verdict.cursor, page)
            report.pages += 1
            if not verdict.ok:
                state = replace(state, cursor=verdict.cursor)
                failure = invalid_feed_failure(verdict.summary)
                break
            if held.full or not verdict.more:
                failure = held.apply()
                if failure is not None:
                    break
            step = record_success(state, now=clock(), cursor=verdict.cursor, more=verdict.more, policy=policy)
            _log_events(peer, step.events)
            state = step.state
            if not verdict.more:
                break
        failure = held.apply() or failure
        if held.applied < state.cursor:
            state = replace(state, cursor=held.applied)
        if report.created or report.updated:
            retry_problems_if_any(peer, report)
    finally:
        if owned:
            http.close()
    now = clock()
    if failure is not None:
        step = record_failure(state, now=now, failure=failure, policy=policy, jitter=jitter())
        state = step.state
        report.error = failure.reason
        logger.warning(
            "peer %s (%s): %s; %s",
            peer.instance_id,
            peer.base_url,
            failure.reason,
            f"next attempt at {state.next_attempt_at:%Y-%m-%d %H:%M:%S}"
            if state.next_attempt_at
            else "not retried",
        )
        _store_state(peer, state, now)
        _log_events(peer, step.events)
    else:
        _store_state(peer, state, now)
    report.cursor = state.cursor
    report.lag = peer.lag
    return report


class _Held:
    """Verified pages not yet applied: their activities in feed order, their documents, the cursor after
    them. ``applied`` is the cursor stored by the last batch applied (what the pull may record)."""

    def __init__(self, peer: Peer, report: SyncReport, cursor: int) -> None:
        self.peer = peer
        self.report = report
        self.applied = cursor
        self.cursor = cursor
        self.activities: list[Activity] = []
        self.documents: dict[int, JsonValue] = {}
        self.pending = False

    @property
    def full(self) -> bool:
        return len(self.activities) >= APPLY_BATCH

    def add(self, activities: Sequence[Activity], cursor: int, page: JsonValue) -> None:
        self.activities.extend(activities)
        self.documents.update(_documents(page))
        self.cursor = cursor
        self.pending = True

    def apply(self) -> Failure | None:
        """Apply what is held in one transaction; on a database error nothing of it is kept, the cursor
        stays where the last batch left it, and the failure says so."""
        if not self.pending:
            return None
        activities, documents = self.activities, self.documents
        self.activities, self.documents, self.pending = [], {}, False
        try:
            result = apply_page(self.peer, activities, self.cursor, documents)
        except DatabaseError as exc:
            return invalid_feed_failure(f"page could not be applied, nothing kept: {exc}")
        self.report.add(result)
        self.applied = self.cursor
        return None


def retry_problems_if_any(peer: Peer, report: SyncReport) -> None:
    """Reapply kept activities that hit a problem before, since the records they name may have arrived."""
    if ForeignRecord.objects.filter(origin=peer.instance_id, deleted=False).exclude(problem="").exists():
        result = retry_problems(peer)
        report.created += result.created
        report.updated += result.updated


def _documents(page: JsonValue) -> dict[int, JsonValue]:
    documents: dict[int, JsonValue] = {}
    items = page.get("orderedItems") if isinstance(page, Mapping) else None
    for item in items if isinstance(items, list) else []:
        sequence = item.get("sequence") if isinstance(item, Mapping) else None
        if isinstance(sequence, int):
            documents[sequence] = item
    return documents


def _note_head(peer: Peer, page: JsonValue, verdict: PageVerdict) -> None:
    """Remember the newest sequence the page says the peer has, for the lag shown to operators."""
    if verdict.problem is None and isinstance(page, Mapping):
        head = page.get("head")
        if isinstance(head, int) and not isinstance(head, bool):
            peer.remote_head = head


def _scope_widened(peer: Peer, page: JsonValue, verdict: PageVerdict) -> bool:
    """Record the scope a sound page declares; true when it grew from ``public`` to ``movement``.

    A peer that starts treating us as a movement peer serves rows our cursor has already passed, so the
    feed is pulled again from the start (what we hold already is ignored as replays).
    """
    scope = page.get("scope") if isinstance(page, Mapping) and verdict.problem is None else None
    if not isinstance(scope, str) or scope == peer.remote_scope:
        return False
    widened = peer.remote_scope == "public" and scope == "movement"
    peer.remote_scope = scope
    if not widened:
        Peer.objects.filter(pk=peer.pk).update(remote_scope=scope)
    return widened


def _log_rejections(peer: Peer, verdict: PageVerdict) -> None:
    if verdict.problem is not None:
        logger.warning("peer %s: %s", peer.instance_id, verdict.summary)
    for item in verdict.rejected:
        level = logging.INFO if not item.blocking else logging.WARNING
        detail = f"item {item.index} (sequence {item.sequence}) {item.problem.value}: {item.detail}"
        logger.log(level, "peer %s: %s", peer.instance_id, detail)


def sync_due(now: datetime | None = None, *, client: httpx.Client | None = None) -> list[SyncReport]:
    """Pull every peer that is due (the background task's work); peers waiting for an operator are only
    checked for how long they have waited, so they turn unavailable after days all the same."""
    from partnernet.core.federation.sync import is_due

    moment = now or timezone.now()
    reports = []
    for peer in Peer.objects.filter(suspended_at__isnull=True).order_by("pk"):
        state = state_of(peer)
        if is_due(state, moment):
            reports.append(sync_peer(peer, client=client))
            continue
        step = refresh_availability(state, now=moment, policy=POLICY)
        if step.events:
            _store_state(peer, step.state, moment)
            _log_events(peer, step.events)
    return reports
