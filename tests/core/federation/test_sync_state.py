"""Pacing pulls from one peer: backoff with jitter, what is retried, unavailability and recovery."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnernet.core.federation.sync import (
    PeerSyncState,
    SyncEvent,
    SyncPolicy,
    backoff_ceiling,
    backoff_delay,
    http_failure,
    invalid_feed_failure,
    is_due,
    network_failure,
    record_failure,
    record_success,
    refresh_availability,
    resume,
)

POLICY = SyncPolicy()
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def fail_repeatedly(
    state: PeerSyncState, start: datetime, every: timedelta, until: datetime
) -> tuple[PeerSyncState, list[SyncEvent]]:
    """Fail with HTTP 503 at ``start`` and every ``every`` until ``until``; the state and events after."""
    events: list[SyncEvent] = []
    moment = start
    while moment <= until:
        step = record_failure(state, now=moment, failure=http_failure(503), policy=POLICY, jitter=0.5)
        state, moment = step.state, moment + every
        events.extend(step.events)
    return state, events


def test_new_peer_is_due_at_once() -> None:
    assert is_due(PeerSyncState(), NOW)


def test_success_moves_the_cursor_and_waits_for_the_poll_interval() -> None:
    step = record_success(PeerSyncState(), now=NOW, cursor=40, more=False, policy=POLICY)
    assert step.state == PeerSyncState(
        cursor=40, next_attempt_at=NOW + POLICY.poll_interval, last_success_at=NOW
    )
    assert step.events == ()
    assert not is_due(step.state, NOW + timedelta(minutes=4))
    assert is_due(step.state, NOW + timedelta(minutes=5))


def test_success_with_more_pages_pulls_again_at_once() -> None:
    step = record_success(PeerSyncState(), now=NOW, cursor=40, more=True, policy=POLICY)
    assert is_due(step.state, NOW)


def test_cursor_never_moves_back() -> None:
    with pytest.raises(ValueError, match="never moves back"):
        record_success(PeerSyncState(cursor=9), now=NOW, cursor=8, more=False, policy=POLICY)


def test_backoff_grows_and_is_capped() -> None:
    ceilings = [backoff_ceiling(failures, POLICY) for failures in range(1, 12)]
    assert ceilings[:4] == [
        timedelta(seconds=30),
        timedelta(seconds=60),
        timedelta(seconds=120),
        timedelta(seconds=240),
    ]
    assert ceilings == sorted(ceilings)
    assert ceilings[-1] == POLICY.max_delay
    assert backoff_ceiling(10_000, POLICY) == POLICY.max_delay


def test_full_jitter_spreads_the_delay_over_the_whole_ceiling() -> None:
    assert backoff_delay(3, POLICY, 0.0) == timedelta(0)
    assert backoff_delay(3, POLICY, 0.5) == timedelta(seconds=60)
    assert backoff_delay(3, POLICY, 0.999) < backoff_ceiling(3, POLICY)
    with pytest.raises(ValueError, match="jitter"):
        backoff_delay(3, POLICY, 1.0)


@given(st.integers(min_value=1, max_value=200), st.floats(min_value=0, max_value=1, exclude_max=True))
def test_delay_stays_within_its_ceiling_and_the_cap(failures: int, jitter: float) -> None:
    delay = backoff_delay(failures, POLICY, jitter)
    assert timedelta(0) <= delay <= backoff_ceiling(failures, POLICY) <= POLICY.max_delay
    assert backoff_ceiling(failures, POLICY) <= backoff_ceiling(failures + 1, POLICY)


def test_repeated_failures_wait_longer() -> None:
    state = PeerSyncState()
    waits = []
    for _ in range(6):
        state = record_failure(
            state, now=NOW, failure=network_failure("timeout"), policy=POLICY, jitter=0.9
        ).state
        assert state.next_attempt_at is not None
        waits.append(state.next_attempt_at - NOW)
    assert waits == sorted(waits)
    assert len(set(waits)) == len(waits)
    assert state.failures == 6
    assert state.last_error == "network error: timeout"


def test_404_is_not_retried_and_asks_for_an_operator() -> None:
    step = record_failure(
        PeerSyncState(cursor=3), now=NOW, failure=http_failure(404), policy=POLICY, jitter=0.5
    )
    assert step.events == (SyncEvent.NEEDS_ATTENTION,)
    assert step.state.needs_attention
    assert step.state.next_attempt_at is None
    assert not is_due(step.state, NOW + timedelta(days=30))
    again = record_failure(step.state, now=NOW, failure=http_failure(403), policy=POLICY, jitter=0.5)
    assert again.events == ()
    assert is_due(resume(again.state, now=NOW), NOW)


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_429_and_5xx_are_retried(status: int) -> None:
    step = record_failure(PeerSyncState(), now=NOW, failure=http_failure(status), policy=POLICY, jitter=0.5)
    assert not step.state.needs_attention
    assert step.state.next_attempt_at == NOW + timedelta(seconds=15)
    assert is_due(step.state, NOW + timedelta(seconds=15))


@pytest.mark.parametrize("status", [301, 400, 401, 403, 404, 410, 422])
def test_other_statuses_are_not_retried(status: int) -> None:
    assert not http_failure(status).retryable


def test_retry_after_is_honoured_within_the_cap() -> None:
    failure = http_failure(429, retry_after=timedelta(minutes=10))
    step = record_failure(PeerSyncState(), now=NOW, failure=failure, policy=POLICY, jitter=0.5)
    assert step.state.next_attempt_at == NOW + timedelta(minutes=10)
    failure = http_failure(503, retry_after=timedelta(days=2))
    step = record_failure(PeerSyncState(), now=NOW, failure=failure, policy=POLICY, jitter=0.5)
    assert step.state.next_attempt_at == NOW + POLICY.max_delay


def test_invalid_feed_is_retried() -> None:
    failure = invalid_feed_failure("page refused (stale): served at …")
    step = record_failure(PeerSyncState(), now=NOW, failure=failure, policy=POLICY, jitter=0.5)
    assert step.state.next_attempt_at is not None
    assert step.state.last_error == "invalid feed: page refused (stale): served at …"


def test_success_is_not_a_failure() -> None:
    with pytest.raises(ValueError, match="success"):
        http_failure(200)


def test_unavailable_only_after_failing_for_more_than_three_days() -> None:
    state, events = fail_repeatedly(PeerSyncState(), NOW, timedelta(hours=1), NOW + timedelta(days=3))
    assert events == []
    assert state.available
    assert state.failing_since == NOW
    step = record_failure(
        state, now=NOW + timedelta(days=3, minutes=1), failure=network_failure("x"), policy=POLICY, jitter=0.5
    )
    assert step.events == (SyncEvent.BECAME_UNAVAILABLE,)
    assert not step.state.available
    later = record_failure(
        step.state, now=NOW + timedelta(days=4), failure=network_failure("x"), policy=POLICY, jitter=0.5
    )
    assert later.events == ()
    assert later.state.unavailable_since == NOW + timedelta(days=3, minutes=1)


def test_unavailable_peer_recovers_on_its_first_success() -> None:
    state = PeerSyncState(
        cursor=7,
        failures=90,
        failing_since=NOW - timedelta(days=5),
        unavailable_since=NOW - timedelta(days=2),
    )
    step = record_success(state, now=NOW, cursor=12, more=False, policy=POLICY)
    assert step.events == (SyncEvent.RECOVERED,)
    assert step.state.available
    assert (step.state.failures, step.state.failing_since, step.state.last_error) == (0, None, None)
    assert step.state.cursor == 12


def test_success_clears_the_failure_run_so_a_later_failure_starts_afresh() -> None:
    failed = record_failure(PeerSyncState(), now=NOW, failure=network_failure("x"), policy=POLICY, jitter=0.5)
    recovered = record_success(failed.state, now=NOW + timedelta(days=2), cursor=0, more=False, policy=POLICY)
    again = record_failure(
        recovered.state, now=NOW + timedelta(days=4), failure=network_failure("x"), policy=POLICY, jitter=0.5
    )
    assert again.state.failing_since == NOW + timedelta(days=4)
    assert again.state.available
    assert recovered.events == ()


def test_peer_waiting_for_an_operator_becomes_unavailable_as_days_pass() -> None:
    waiting = record_failure(
        PeerSyncState(), now=NOW, failure=http_failure(404), policy=POLICY, jitter=0.5
    ).state
    assert refresh_availability(waiting, now=NOW + timedelta(days=2), policy=POLICY).events == ()
    step = refresh_availability(waiting, now=NOW + timedelta(days=3, seconds=1), policy=POLICY)
    assert step.events == (SyncEvent.BECAME_UNAVAILABLE,)
    assert refresh_availability(step.state, now=NOW + timedelta(days=9), policy=POLICY).events == ()


def test_unavailability_period_is_configurable() -> None:
    policy = SyncPolicy(unavailable_after=timedelta(hours=6))
    first = record_failure(PeerSyncState(), now=NOW, failure=http_failure(500), policy=policy, jitter=0.5)
    step = record_failure(
        first.state, now=NOW + timedelta(hours=7), failure=http_failure(500), policy=policy, jitter=0.5
    )
    assert step.events == (SyncEvent.BECAME_UNAVAILABLE,)


def test_policy_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="base_delay"):
        SyncPolicy(base_delay=timedelta(hours=2), max_delay=timedelta(hours=1))
    with pytest.raises(ValueError, match="unavailable_after"):
        SyncPolicy(unavailable_after=timedelta(0))
