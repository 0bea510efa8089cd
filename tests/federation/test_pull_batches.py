"""A pull applies verified pages together, a batch per transaction, and never records a cursor past what
was applied: a failure after some verified pages keeps them, a batch the database refuses keeps nothing of
itself and leaves the cursor where the batch before it ended."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from django.db import DatabaseError

from partnernet.core.federation.activities import Activity
from partnernet.core.federation.canonical import JsonValue
from partnernet.directory.models import Entity
from partnernet.federation import apply as apply_module
from partnernet.federation import pull
from partnernet.federation.apply import PageResult, apply_page
from partnernet.federation.models import Peer
from partnernet.federation.services import add_peer
from tests.federation.hostile import HostilePeer, running

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

PAGES = {0: (1, 2), 2: (3, 4), 4: (5, 6), 6: (7,)}
"""Cursor asked for -> the sequences of the page served after it; each page names the next but the last."""


@pytest.fixture
def chained() -> Iterator[tuple[HostilePeer, Peer]]:
    with running(HostilePeer()) as peer:
        row = add_peer(peer.base_url, peer.key_pair.fingerprint)
        yield peer, row


def _serve(peer: HostilePeer, failing_after: int | None = None) -> None:
    def answer(after: int) -> tuple[int, bytes]:
        if after == failing_after:
            return 500, b"{}"
        sequences = PAGES.get(after, ())
        items = [peer.activity(n, key=f"e{n}") for n in sequences]
        following = max(sequences) if sequences and after != 6 else None
        return 200, peer.page(after, items, next_cursor=following)

    peer.responder = answer


def _held(peer: HostilePeer) -> list[str]:
    return sorted(Entity.objects.filter(origin=peer.instance).values_list("key", flat=True))


def _assert_stopped_after_the_first_four(
    peer: HostilePeer, row: Peer, report: pull.SyncReport, error: str
) -> None:
    """The pull failed with ``error`` and kept the first two pages (sequences 1 to 4), cursor and rows."""
    assert report.error is not None
    assert error in report.error
    assert _held(peer) == ["e1", "e2", "e3", "e4"]
    row.refresh_from_db()
    assert (row.cursor, row.failures) == (4, 1)


def test_pages_are_applied_a_batch_at_a_time(
    chained: tuple[HostilePeer, Peer], monkeypatch: pytest.MonkeyPatch
) -> None:
    peer, row = chained
    _serve(peer)
    batches: list[list[int]] = []

    def counted(
        who: Peer, activities: Sequence[Activity], cursor: int, documents: dict[int, JsonValue]
    ) -> PageResult:
        batches.append([a.sequence for a in activities])
        return apply_page(who, activities, cursor, documents)

    monkeypatch.setattr(pull, "apply_page", counted)
    monkeypatch.setattr(pull, "APPLY_BATCH", 4)
    report = pull.sync_peer(row)
    assert report.ok, report.error
    assert (report.pages, report.created) == (4, 7)
    assert batches == [[1, 2, 3, 4], [5, 6, 7]]
    assert _held(peer) == [f"e{n}" for n in range(1, 8)]
    row.refresh_from_db()
    assert row.cursor == 7


def test_verified_pages_are_kept_when_a_later_page_fails(chained: tuple[HostilePeer, Peer]) -> None:
    peer, row = chained
    _serve(peer, failing_after=4)
    _assert_stopped_after_the_first_four(peer, row, pull.sync_peer(row), "500")


def test_a_batch_the_database_refuses_keeps_nothing_and_the_cursor_before_it(
    chained: tuple[HostilePeer, Peer], monkeypatch: pytest.MonkeyPatch
) -> None:
    peer, row = chained
    _serve(peer)
    calls = 0
    real_store = apply_module._store_versions

    def refusing_the_second(*args: Any, **kwargs: Any) -> None:
        nonlocal calls
        calls += 1
        real_store(*args, **kwargs)
        if calls == 2:
            raise DatabaseError("disk full")

    monkeypatch.setattr(apply_module, "_store_versions", refusing_the_second)
    monkeypatch.setattr(pull, "APPLY_BATCH", 4)
    report = pull.sync_peer(row)
    _assert_stopped_after_the_first_four(peer, row, report, "could not be applied, nothing kept: disk full")

    monkeypatch.setattr(apply_module, "_store_versions", real_store)
    report = pull.sync_peer(row)
    assert report.ok, report.error
    assert _held(peer) == [f"e{n}" for n in range(1, 8)]
    row.refresh_from_db()
    assert row.cursor == 7
