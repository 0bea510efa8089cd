"""When to pull from one peer next, and whether it counts as unavailable.

Each attempt to pull a peer's feed ends in success or in a failure, and the state moves accordingly:

- success stores the new cursor, clears every failure mark (an unavailable peer recovers on its first
  success) and schedules the next pull at once when the feed has more pages, else after the poll interval;
- a retryable failure (HTTP 429, any 5xx, a network error, a feed that failed verification) schedules a
  retry after an exponential backoff with full jitter: a uniformly random delay between zero and
  ``min(max_delay, base_delay * 2**(failures - 1))``, at least what a ``Retry-After`` asked for (within
  ``max_delay``). Jitter keeps many instances that failed together from retrying together. An invalid feed
  is retried because its usual causes (a cut connection, a clock being fixed) pass; its reason stays
  visible in ``last_error`` meanwhile;
- any other HTTP status (a 4xx other than 429, or a redirect the client did not follow) is not retried:
  the address or the trust is wrong, and only an operator can fix that (``resume`` once fixed);
- a peer whose failures have lasted longer than ``unavailable_after`` (three days by default), counted from
  the first failure of the current run, is unavailable.

Everything is pure: the clock reading and the random number in [0, 1) come in as arguments.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum


@dataclass(frozen=True)
class SyncPolicy:
    """Timing of pulls from a peer; the defaults suit peers polled by a background worker."""

    base_delay: timedelta = timedelta(seconds=30)
    max_delay: timedelta = timedelta(hours=1)
    poll_interval: timedelta = timedelta(minutes=5)
    unavailable_after: timedelta = timedelta(days=3)

    def __post_init__(self) -> None:
        if self.base_delay <= timedelta(0) or self.max_delay < self.base_delay:
            raise ValueError("need 0 < base_delay <= max_delay")
        if self.poll_interval < timedelta(0) or self.unavailable_after <= timedelta(0):
            raise ValueError("poll_interval must not be negative and unavailable_after must be positive")


@dataclass(frozen=True)
class Failure:
    """How an attempt failed: a reason for people, and whether trying again later can help."""

    reason: str
    retryable: bool
    retry_after: timedelta | None = None


def http_failure(status: int, *, retry_after: timedelta | None = None) -> Failure:
    """Classify an HTTP status that is not a success: 429 and 5xx are retried, the rest need an operator."""
    if 200 <= status < 300:
        raise ValueError(f"HTTP {status} is a success, not a failure")
    retryable = status == 429 or 500 <= status < 600
    return Failure(f"HTTP {status}", retryable=retryable, retry_after=retry_after if retryable else None)


def network_failure(detail: str) -> Failure:
    """The peer could not be reached (DNS, connection, timeout, TLS): retried."""
    return Failure(f"network error: {detail}", retryable=True)


def invalid_feed_failure(detail: str) -> Failure:
    """The feed was fetched but failed verification (see ``PageVerdict.summary``): retried."""
    return Failure(f"invalid feed: {detail}", retryable=True)


class SyncEvent(StrEnum):
    """Transitions worth an audit-log line or a notification; each is reported once, when it happens."""

    BECAME_UNAVAILABLE = "became_unavailable"
    RECOVERED = "recovered"
    NEEDS_ATTENTION = "needs_attention"


@dataclass(frozen=True)
class PeerSyncState:
    """What a peer row stores about pulling its feed.

    ``failing_since`` is the first failure of the current run of failures; ``unavailable_since`` is set
    when that run passed the policy's limit; ``next_attempt_at`` is ``None`` while the peer waits for an
    operator (``needs_attention``) or before its first pull.
    """

    cursor: int = 0
    failures: int = 0
    failing_since: datetime | None = None
    unavailable_since: datetime | None = None
    next_attempt_at: datetime | None = None
    needs_attention: bool = False
    last_error: str | None = None
    last_success_at: datetime | None = None

    @property
    def available(self) -> bool:
        return self.unavailable_since is None


@dataclass(frozen=True)
class SyncStep:
    """The state after a transition, and the events it caused."""

    state: PeerSyncState
    events: tuple[SyncEvent, ...] = ()


def is_due(state: PeerSyncState, now: datetime) -> bool:
    """Whether the worker should pull this peer now (an operator may pull at any time regardless)."""
    if state.needs_attention:
        return False
    return state.next_attempt_at is None or now >= state.next_attempt_at


def backoff_ceiling(failures: int, policy: SyncPolicy) -> timedelta:
    """The largest delay after ``failures`` consecutive failures: doubling from ``base_delay``, capped."""
    if failures < 1:
        raise ValueError("backoff starts with the first failure")
    ceiling = policy.base_delay
    for _ in range(failures - 1):
        if ceiling >= policy.max_delay:
            break
        ceiling *= 2
    return min(ceiling, policy.max_delay)


def backoff_delay(failures: int, policy: SyncPolicy, jitter: float) -> timedelta:
    """Full jitter: ``jitter`` (uniform in [0, 1), e.g. ``random.random()``) times the ceiling."""
    if not 0.0 <= jitter < 1.0:
        raise ValueError("jitter must be in [0, 1)")
    return backoff_ceiling(failures, policy) * jitter


def record_success(
    state: PeerSyncState, *, now: datetime, cursor: int, more: bool, policy: SyncPolicy
) -> SyncStep:
    """After pages were verified and applied up to ``cursor``; ``more`` when the feed said there is more."""
    if cursor < state.cursor:
        raise ValueError(f"the cursor never moves back (from {state.cursor} to {cursor})")
    events = (SyncEvent.RECOVERED,) if state.unavailable_since is not None else ()
    new_state = PeerSyncState(
        cursor=cursor,
        next_attempt_at=now if more else now + policy.poll_interval,
        last_success_at=now,
    )
    return SyncStep(new_state, events)


def record_failure(
    state: PeerSyncState, *, now: datetime, failure: Failure, policy: SyncPolicy, jitter: float
) -> SyncStep:
    """After an attempt failed; ``jitter`` is a uniform random number in [0, 1)."""
    failures = state.failures + 1
    events: list[SyncEvent] = []
    if failure.retryable:
        delay = backoff_delay(failures, policy, jitter)
        if failure.retry_after is not None:
            delay = max(delay, min(failure.retry_after, policy.max_delay))
        next_attempt_at: datetime | None = now + delay
        needs_attention = False
    else:
        next_attempt_at = None
        needs_attention = True
        if not state.needs_attention:
            events.append(SyncEvent.NEEDS_ATTENTION)
    failed = replace(
        state,
        failures=failures,
        failing_since=state.failing_since or now,
        next_attempt_at=next_attempt_at,
        needs_attention=needs_attention,
        last_error=failure.reason,
    )
    step = refresh_availability(failed, now=now, policy=policy)
    return SyncStep(step.state, (*events, *step.events))


def refresh_availability(state: PeerSyncState, *, now: datetime, policy: SyncPolicy) -> SyncStep:
    """Mark the peer unavailable once its failures have lasted longer than the policy allows.

    ``record_failure`` calls this; call it on its own for peers that wait for an operator, which make no
    attempts and so record no failures while the days pass.
    """
    if state.unavailable_since is not None or state.failing_since is None:
        return SyncStep(state)
    if now - state.failing_since <= policy.unavailable_after:
        return SyncStep(state)
    return SyncStep(replace(state, unavailable_since=now), (SyncEvent.BECAME_UNAVAILABLE,))


def resume(state: PeerSyncState, *, now: datetime) -> PeerSyncState:
    """An operator fixed what a non-retryable failure pointed at: try again now, keeping the failure run."""
    return replace(state, needs_attention=False, next_attempt_at=now)
