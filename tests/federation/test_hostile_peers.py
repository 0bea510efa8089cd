"""Peers that are down, slow, broken or hostile: each is refused or retried with a clear log line, nothing
is half-applied, and the next sync catches up once the peer behaves."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone
from pytest_django.fixtures import Settings

from partnernet.core.federation.activities import Verb
from partnernet.core.federation.signing import encode_public_key, generate_key_pair
from partnernet.directory.models import Entity
from partnernet.federation.models import ForeignRecord, Peer
from partnernet.federation.pull import sync_peer
from partnernet.federation.services import add_peer
from tests.federation.hostile import HostilePeer, hours, running
from tests.federation.instances import free_port

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def hostile() -> Iterator[tuple[HostilePeer, Peer]]:
    with running(HostilePeer()) as peer:
        row = add_peer(peer.base_url, peer.key_pair.fingerprint)
        yield peer, row


def _held(peer: HostilePeer) -> set[str]:
    return set(Entity.objects.filter(origin=peer.instance).values_list("key", flat=True))


def test_a_good_peer_is_applied_and_its_cursor_stored(hostile: tuple[HostilePeer, Peer]) -> None:
    peer, row = hostile
    peer.serve_pages({0: [peer.activity(1, key="one"), peer.activity(2, key="two")]})
    report = sync_peer(row)
    assert report.ok
    assert report.created == 2
    assert _held(peer) == {"one", "two"}
    row.refresh_from_db()
    assert (row.cursor, row.failures, row.last_error) == (2, 0, "")


def test_a_peer_that_is_down_is_retried_with_backoff(caplog: pytest.LogCaptureFixture) -> None:
    peer = HostilePeer(base_url=f"http://127.0.0.1:{free_port()}")
    row = Peer.objects.create(
        instance_id=peer.instance,
        base_url=peer.base_url,
        public_key=encode_public_key(peer.key_pair.public_key),
        fingerprint=peer.key_pair.fingerprint,
    )
    with caplog.at_level(logging.WARNING, logger="partnernet.federation"):
        report = sync_peer(row, jitter=lambda: 0.5)
    assert report.error is not None
    assert report.error.startswith("network error")
    row.refresh_from_db()
    assert row.failures == 1
    assert not row.needs_attention
    assert row.next_attempt_at is not None
    assert row.next_attempt_at > timezone.now()
    assert "network error" in caplog.text
    assert "next attempt at" in caplog.text


def test_a_slow_peer_times_out_and_is_retried(hostile: tuple[HostilePeer, Peer], settings: Settings) -> None:
    peer, row = hostile
    settings.FEDERATION_TIMEOUT = 0.5
    peer.serve_pages({0: [peer.activity(1)]})
    peer.delay = 2
    report = sync_peer(row)
    assert report.error is not None
    assert "timed out" in report.error
    assert _held(peer) == set()
    peer.delay = 0
    assert sync_peer(row).ok
    assert _held(peer) == {"evil-entity"}


def test_garbage_is_refused_and_nothing_applied(
    hostile: tuple[HostilePeer, Peer], caplog: pytest.LogCaptureFixture
) -> None:
    peer, row = hostile
    peer.responder = lambda after: (200, b"<html>Service temporarily unavailable</html>")
    with caplog.at_level(logging.WARNING, logger="partnernet.federation"):
        report = sync_peer(row)
    assert report.error is not None
    assert "not_json" in report.error
    assert "invalid feed" in caplog.text
    row.refresh_from_db()
    assert row.cursor == 0
    assert row.failures == 1
    assert row.next_attempt_at is not None


def test_a_page_cut_short_or_missing_items_is_refused_whole(hostile: tuple[HostilePeer, Peer]) -> None:
    peer, row = hostile
    good = peer.page(0, [peer.activity(1, key="one"), peer.activity(2, key="two")])
    peer.responder = lambda after: (200, good[: len(good) // 2])
    assert "not_json" in (sync_peer(row).error or "")
    import json

    document = json.loads(good)
    document["orderedItems"] = document["orderedItems"][:1]
    peer.responder = lambda after: (200, json.dumps(document).encode())
    report = sync_peer(row)
    assert report.error is not None
    assert "truncated" in report.error
    assert _held(peer) == set()
    peer.responder = lambda after: (200, good)
    assert sync_peer(row).ok
    assert _held(peer) == {"one", "two"}


def test_reordered_items_apply_only_the_prefix_and_replays_are_skipped(
    hostile: tuple[HostilePeer, Peer],
) -> None:
    peer, row = hostile
    peer.serve_pages(
        {0: [peer.activity(2, key="two"), peer.activity(1, key="one"), peer.activity(3, key="three")]}
    )
    report = sync_peer(row)
    assert report.error is not None
    assert "out_of_order" in report.error
    assert _held(peer) == {"two"}
    row.refresh_from_db()
    assert row.cursor == 2
    peer.serve_pages(
        {2: [peer.activity(1, key="one"), peer.activity(2, key="two"), peer.activity(3, key="three")]}
    )
    report = sync_peer(row)
    assert report.ok, report.error
    assert _held(peer) == {"two", "three"}
    row.refresh_from_db()
    assert row.cursor == 3


def test_a_forged_signature_is_refused_with_everything_after_it(hostile: tuple[HostilePeer, Peer]) -> None:
    peer, row = hostile
    forger = generate_key_pair()
    peer.serve_pages(
        {
            0: [
                peer.activity(1, key="one"),
                peer.activity(2, key="forged", signer=forger),
                peer.activity(3, key="three"),
            ]
        }
    )
    report = sync_peer(row)
    assert report.error is not None
    assert "bad_signature" in report.error
    assert _held(peer) == {"one"}
    row.refresh_from_db()
    assert row.cursor == 1


def test_a_page_signed_by_another_key_is_refused(hostile: tuple[HostilePeer, Peer]) -> None:
    peer, row = hostile
    impostor = HostilePeer(instance=peer.instance)
    peer.responder = lambda after: (200, impostor.page(after, [impostor.activity(1)]))
    report = sync_peer(row)
    assert report.error is not None
    assert "bad_signature" in report.error
    assert _held(peer) == set()


def test_a_peer_claiming_another_origins_record_is_refused(hostile: tuple[HostilePeer, Peer]) -> None:
    peer, row = hostile
    victim = Entity.objects.create(key="victim", name="Victim", kind="chapter", origin="pn-victim")
    claim = peer.activity(1, key="victim", name="Hijacked", origin="pn-victim", record=victim.uuid)
    peer.serve_pages({0: [claim]})
    report = sync_peer(row)
    assert report.error is not None
    assert "foreign_record" in report.error
    victim.refresh_from_db()
    assert victim.name == "Victim"


def test_stale_and_future_pages_are_refused_within_an_hour_of_skew_they_pass(
    hostile: tuple[HostilePeer, Peer],
) -> None:
    peer, row = hostile
    items = [peer.activity(1)]
    peer.responder = lambda after: (200, peer.page(after, items, published=timezone.now() - hours(2)))
    assert "stale" in (sync_peer(row).error or "")
    peer.responder = lambda after: (200, peer.page(after, items, published=timezone.now() + hours(2)))
    assert "future_dated" in (sync_peer(row).error or "")
    future_item = [peer.activity(1, published=timezone.now() + hours(1.5))]
    peer.responder = lambda after: (200, peer.page(after, future_item))
    assert "future_dated" in (sync_peer(row).error or "")
    peer.responder = lambda after: (
        200,
        peer.page(after, items, published=timezone.now() - timedelta(minutes=50)),
    )
    assert sync_peer(row).ok
    assert _held(peer) == {"evil-entity"}


def test_a_4xx_waits_for_an_operator_but_429_is_retried(hostile: tuple[HostilePeer, Peer]) -> None:
    peer, row = hostile
    peer.responder = lambda after: (429, b"{}")
    sync_peer(row)
    row.refresh_from_db()
    assert not row.needs_attention
    assert row.next_attempt_at is not None
    peer.responder = lambda after: (403, b"{}")
    sync_peer(row)
    row.refresh_from_db()
    assert row.needs_attention
    assert row.next_attempt_at is None
    assert row.last_error == "HTTP 403"


def test_days_of_failures_mark_a_peer_unavailable_and_one_success_recovers_it(
    hostile: tuple[HostilePeer, Peer],
) -> None:
    peer, row = hostile
    start = timezone.now()
    peer.responder = lambda after: (503, b"{}")
    sync_peer(row, clock=lambda: start)
    sync_peer(row, clock=lambda: start + timedelta(days=3, hours=1))
    row.refresh_from_db()
    assert row.unavailable_since is not None
    peer.serve_pages({0: [peer.activity(1)]})
    assert sync_peer(row).ok
    row.refresh_from_db()
    assert row.unavailable_since is None
    assert row.failures == 0


def test_a_tombstone_is_final_even_if_an_older_create_arrives_later(
    hostile: tuple[HostilePeer, Peer],
) -> None:
    peer, row = hostile
    record = uuid.uuid4()
    peer.serve_pages({0: [peer.activity(5, key="gone", record=record, verb=Verb.DELETE)]})
    assert sync_peer(row).ok
    assert ForeignRecord.objects.get(uuid=record).deleted
    row.cursor = 0
    row.save()
    old_create = peer.activity(3, key="gone", record=record)
    peer.serve_pages({0: [old_create, peer.activity(5, key="gone", record=record, verb=Verb.DELETE)]})
    report = sync_peer(row)
    assert report.ok
    assert report.created == 0
    assert _held(peer) == set()


def test_an_activity_naming_an_unknown_record_is_kept_and_applied_once_it_arrives(
    hostile: tuple[HostilePeer, Peer],
) -> None:
    peer, row = hostile
    stewardship = {"entity": "evil-later", "type": "glam", "region": "154", "level": "lead", "capacity": 3}
    peer.serve_pages({0: [peer.activity(1, key="evil-stewardship", kind="stewardships", fields=stewardship)]})
    report = sync_peer(row)
    assert report.ok
    assert report.problems
    assert "unknown entity key 'evil-later'" in report.problems[0]
    peer.serve_pages({1: [peer.activity(2, key="evil-later")]})
    assert sync_peer(row).ok
    from partnernet.framework.models import Stewardship

    copy = Stewardship.objects.get(origin=peer.instance, key="evil-stewardship")
    assert copy.entity.key == "evil-later"
    assert not ForeignRecord.objects.exclude(problem="").exists()
