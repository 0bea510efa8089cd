"""The hostile-peer suite, part two: identities that cannot be taken over, keys that change only by a
signed statement or an operator, replayed and trickling fetches, and the operator's suspend/remove."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from partnernet.core.federation.rotation import rotation_statement
from partnernet.core.federation.signing import encode_public_key, generate_key_pair
from partnernet.core.federation.transport import sign_request
from partnernet.core.routing import RoutingRequest
from partnernet.directory.models import Entity
from partnernet.federation.keys import instance_key_pair
from partnernet.federation.models import OutgoingDelivery, Peer
from partnernet.federation.pull import sync_peer
from partnernet.federation.services import PeerRefused, add_peer, move_peer
from partnernet.federation.trust import remove_peer, suspend_peer
from partnernet.support.candidates import route_candidates
from partnernet.support.services import create_request
from tests.factories import EntityFactory, StewardshipFactory, region
from tests.federation.hostile import HostilePeer, running

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def hostile() -> Iterator[tuple[HostilePeer, Peer]]:
    with running(HostilePeer()) as peer:
        row = add_peer(peer.base_url, peer.key_pair.fingerprint)
        yield peer, row


def _held(peer: HostilePeer) -> set[str]:
    return set(Entity.objects.filter(origin=peer.instance).values_list("key", flat=True))


def test_a_newcomer_claiming_a_peers_instance_id_is_refused_and_changes_nothing(
    hostile: tuple[HostilePeer, Peer],
) -> None:
    real, row = hostile
    with running(HostilePeer(instance=real.instance)) as impostor:
        with pytest.raises(PeerRefused, match=f"already the peer at {real.base_url}"):
            add_peer(impostor.base_url, impostor.key_pair.fingerprint)
        with pytest.raises(CommandError, match="federation move") as refused:
            call_command(
                "federation", "add", impostor.base_url, "--fingerprint", impostor.key_pair.fingerprint
            )
        assert refused.value.returncode == 2
    stored = Peer.objects.get()
    assert (stored.base_url, stored.public_key) == (real.base_url, row.public_key)


def test_an_address_already_held_by_another_peer_is_refused(hostile: tuple[HostilePeer, Peer]) -> None:
    real, _row = hostile
    real.instance, original = "pn-another-one", real.instance
    with pytest.raises(PeerRefused, match=f"already the address of peer {original}"):
        add_peer(real.base_url, real.key_pair.fingerprint)
    assert list(Peer.objects.values_list("instance_id", flat=True)) == [original]


def test_a_well_known_document_copied_to_another_address_is_refused() -> None:
    with running(HostilePeer()) as victim, running(HostilePeer()) as copier:
        copier.well_known_override = victim.well_known()
        with pytest.raises(PeerRefused, match="says its address is"):
            add_peer(copier.base_url, victim.key_pair.fingerprint)
        edited = {**victim.well_known(), "base_url": copier.base_url}
        copier.well_known_override = edited
        with pytest.raises(PeerRefused, match="not signed by its own key"):
            add_peer(copier.base_url, victim.key_pair.fingerprint)
    assert not Peer.objects.exists()


def test_a_key_changed_without_a_rotation_statement_stops_sync_and_needs_attention(
    hostile: tuple[HostilePeer, Peer],
) -> None:
    peer, row = hostile
    peer.key_pair = generate_key_pair()  # the peer "lost" its key and made another
    peer.serve_pages({0: [peer.activity(1)]})
    report = sync_peer(row)
    assert report.error is not None
    assert "no rotation statement" in report.error
    row.refresh_from_db()
    assert row.needs_attention
    assert _held(peer) == set()
    call_command("federation", "add", peer.base_url, "--fingerprint", peer.key_pair.fingerprint)
    row.refresh_from_db()
    assert not row.needs_attention
    assert sync_peer(row).ok
    assert _held(peer) == {"evil-entity"}


def test_a_rotation_signed_by_both_keys_is_followed_without_an_operator(
    hostile: tuple[HostilePeer, Peer],
) -> None:
    peer, row = hostile
    old, new = peer.key_pair, generate_key_pair()
    peer.rotations = [rotation_statement(peer.instance, old, new, timezone.now())]
    peer.key_pair = new
    peer.serve_pages({0: [peer.activity(1)]})
    assert sync_peer(row).ok
    row.refresh_from_db()
    assert row.public_key == encode_public_key(new.public_key)
    assert _held(peer) == {"evil-entity"}
    forged = generate_key_pair()
    peer.rotations.append(rotation_statement(peer.instance, generate_key_pair(), forged, timezone.now()))
    peer.key_pair = forged
    assert "no rotation statement" in (sync_peer(row).error or "")


def test_moving_a_peer_is_an_explicit_command_that_checks_the_new_address(
    hostile: tuple[HostilePeer, Peer],
) -> None:
    peer, row = hostile
    with (
        running(HostilePeer(instance=peer.instance, key_pair=peer.key_pair)) as moved,
        running(HostilePeer()) as stranger,
    ):
        with pytest.raises(PeerRefused, match="not " + peer.instance):
            move_peer(peer.base_url, stranger.base_url)
        call_command("federation", "move", peer.base_url, moved.base_url)
        row.refresh_from_db()
        assert row.base_url == moved.base_url
    with pytest.raises(CommandError) as unknown:
        call_command("federation", "move", "http://nobody.invalid", "http://other.invalid")
    assert unknown.value.returncode == 2


def _signed(peer: HostilePeer, target: str) -> dict[str, str]:
    headers = sign_request("GET", target, instance=peer.instance, key_pair=peer.key_pair, now=timezone.now())
    return {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()}


def test_a_replayed_signed_fetch_gets_401(client: Client, hostile: tuple[HostilePeer, Peer]) -> None:
    peer, _row = hostile
    headers = _signed(peer, "/federation/feed?after=0")
    assert client.get("/federation/feed?after=0", **headers).status_code == 200
    replay = client.get("/federation/feed?after=0", **headers)
    assert replay.status_code == 401
    assert "nonce" in replay.json()["error"]["message"]
    assert (
        client.get("/federation/feed?after=0", **_signed(peer, "/federation/feed?after=0")).status_code == 200
    )


def test_a_peer_that_trickles_its_answer_is_cut_off_at_the_deadline(
    hostile: tuple[HostilePeer, Peer], settings: Settings
) -> None:
    peer, row = hostile
    settings.FEDERATION_TIMEOUT = 2
    settings.FEDERATION_DEADLINE = 1
    peer.serve_pages({0: [peer.activity(1)]})
    peer.trickle = 0.05
    started = timezone.now()
    report = sync_peer(row)
    assert report.error is not None
    assert "deadline" in report.error
    assert (timezone.now() - started).total_seconds() < 10
    assert _held(peer) == set()


def test_suspending_a_peer_stops_exchange_and_moves_its_offers_on(
    client: Client, hostile: tuple[HostilePeer, Peer]
) -> None:
    peer, row = hostile
    far = StewardshipFactory(origin=peer.instance, entity=EntityFactory(origin=peer.instance), level="lead")
    near = StewardshipFactory(type=far.type, level="supporter")
    request = create_request(
        None, requester=EntityFactory(), type=far.type, region=region("SE"), need="letter"
    )
    assert request.stewardship_id == far.pk
    call_command("federation", "suspend", peer.base_url)
    request.refresh_from_db()
    assert request.stewardship_id == near.pk
    assert any("peer_suspended" in str(event.message) for event in request.events.all())
    assert OutgoingDelivery.objects.get().status == "refused"
    row.refresh_from_db()
    assert "suspended" in (sync_peer(row).error or "")
    assert peer.requests == [] or all("feed" not in path for path in peer.requests)
    answer = client.get("/federation/feed?after=0", **_signed(peer, "/federation/feed?after=0"))
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "forbidden"
    ranked = route_candidates(RoutingRequest(type=far.type.key, theme=None, region="SE", need="letter"))
    assert [candidate.stewardship for candidate in ranked] == [near.key]
    again = create_request(None, requester=EntityFactory(), type=far.type, region=region("SE"), need="letter")
    assert again.stewardship_id == near.pk
    call_command("federation", "resume", peer.base_url)
    row.refresh_from_db()
    assert row.suspended_at is None
    peer.serve_pages({0: [peer.activity(1)]})
    assert sync_peer(row).ok


def test_removing_a_peer_deletes_its_rows_and_dry_run_only_counts(
    hostile: tuple[HostilePeer, Peer], capsys: pytest.CaptureFixture[str]
) -> None:
    peer, row = hostile
    peer.serve_pages({0: [peer.activity(1, key="one"), peer.activity(2, key="two")]})
    assert sync_peer(row).ok
    call_command("federation", "remove", peer.base_url, "--dry-run")
    assert "entities 2" in capsys.readouterr().out
    assert _held(peer) == {"one", "two"}
    counts = remove_peer(row)
    assert counts["entities"] == 2
    assert counts["foreign records"] == 2
    assert _held(peer) == set()
    assert not Peer.objects.exists()
    with pytest.raises(CommandError) as unknown:
        call_command("federation", "remove", peer.base_url)
    assert unknown.value.returncode == 2
    with pytest.raises(CommandError) as also:
        call_command("federation", "suspend", "http://nobody.invalid")
    assert also.value.returncode == 2


def test_a_suspended_peers_delivery_is_refused_with_the_error_shape(
    client: Client, hostile: tuple[HostilePeer, Peer]
) -> None:
    peer, row = hostile
    suspend_peer(row)
    answer = client.post(
        "/federation/inbox",
        b'{"type": "Offer", "actor": "%s"}' % peer.instance.encode(),
        content_type="application/json",
    )
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "forbidden"
    assert instance_key_pair() is not None


def test_the_inbox_and_the_feed_answer_a_wrong_method_in_the_error_shape(client: Client) -> None:
    for path, method in (("/federation/inbox", client.get), ("/federation/feed", client.post)):
        answer = method(path)
        assert answer.status_code == 405
        assert answer.json()["error"]["code"] == "method_not_allowed"
