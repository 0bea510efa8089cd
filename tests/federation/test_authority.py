"""The hostile-peer suite, part three: a peer speaks only for what it is home to, keys are unique per
origin (a local record never shadows a peer's), and a record made visible again comes back in full."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client

from partnernet.base.identity import instance_id
from partnernet.base.models import SEED_ORIGIN
from partnernet.core.federation.activities import Verb
from partnernet.core.routing import RoutingRequest
from partnernet.exchange.services import ImportRejected, import_file
from partnernet.federation.models import FeedEvent, Peer
from partnernet.federation.pull import sync_peer
from partnernet.federation.services import add_peer
from partnernet.framework.models import Stewardship
from partnernet.partnerships.models import Partnership
from partnernet.support.candidates import route_candidates
from tests.factories import EntityFactory, PartnershipFactory, StewardshipFactory
from tests.federation.hostile import HostilePeer, running

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

STEWARDSHIP = {"type": "glam", "region": "154", "level": "lead", "capacity": 3}


@pytest.fixture
def hostile() -> Iterator[tuple[HostilePeer, Peer]]:
    with running(HostilePeer()) as peer:
        row = add_peer(peer.base_url, peer.key_pair.fingerprint)
        yield peer, row


def test_a_peer_may_not_publish_a_stewardship_for_a_seeded_affiliate_it_does_not_run(
    hostile: tuple[HostilePeer, Peer],
) -> None:
    peer, row = hostile
    affiliate = EntityFactory(key="wikimedia-sverige", origin=SEED_ORIGIN, kind="chapter")
    claim = peer.activity(
        1, key="hijack", kind="stewardships", fields={**STEWARDSHIP, "entity": affiliate.key}
    )
    peer.serve_pages({0: [claim]})
    report = sync_peer(row)
    assert report.ok
    assert "no claim has homed" in report.problems[0]
    assert not Stewardship.objects.filter(origin=peer.instance).exists()
    ranked = route_candidates(RoutingRequest(type="glam", theme=None, region="SE", need="letter"))
    assert all(candidate.entity != affiliate.key for candidate in ranked)


def test_a_peer_publishes_stewardships_of_entities_homed_there_only(
    hostile: tuple[HostilePeer, Peer],
) -> None:
    peer, row = hostile
    homed = EntityFactory(key="moved-here", origin=SEED_ORIGIN, kind="chapter", home=peer.instance)
    elsewhere = EntityFactory(key="homed-elsewhere", origin=SEED_ORIGIN, kind="chapter", home="pn-another")
    peer.serve_pages(
        {
            0: [
                peer.activity(1, key="own-chapter"),
                peer.activity(
                    2, key="own", kind="stewardships", fields={**STEWARDSHIP, "entity": "own-chapter"}
                ),
                peer.activity(
                    3, key="moved", kind="stewardships", fields={**STEWARDSHIP, "entity": homed.key}
                ),
                peer.activity(
                    4, key="other", kind="stewardships", fields={**STEWARDSHIP, "entity": elsewhere.key}
                ),
            ]
        }
    )
    report = sync_peer(row)
    assert report.ok
    held = set(Stewardship.objects.filter(origin=peer.instance).values_list("key", flat=True))
    assert held == {"own", "moved"}
    assert len(report.problems) == 1
    assert "homed at pn-another" in report.problems[0]


def test_a_local_stewardship_of_an_entity_not_homed_here_is_not_published() -> None:
    seeded = EntityFactory(origin=SEED_ORIGIN, kind="chapter")
    StewardshipFactory(entity=seeded, key="not-ours-to-publish")
    ours = StewardshipFactory(key="ours")
    published = set(FeedEvent.objects.filter(kind="stewardships").values_list("record_uuid", flat=True))
    assert published == {ours.uuid}


def test_keys_are_unique_per_origin_and_the_api_takes_the_origin(
    client: Client, hostile: tuple[HostilePeer, Peer]
) -> None:
    peer, _row = hostile
    far_lead = EntityFactory(origin=peer.instance)
    theirs = PartnershipFactory(key="shared-key", title="Theirs", origin=peer.instance, lead=far_lead)
    assert client.get("/api/v1/partnerships/shared-key").json()["title"] == "Theirs"
    ours = PartnershipFactory(key="shared-key", title="Ours")  # made before the peer's arrived, say
    read = client.get("/api/v1/partnerships/shared-key").json()
    assert (read["title"], read["origin"], read["home"]) == ("Ours", instance_id(), instance_id())
    exact = client.get(f"/api/v1/partnerships/shared-key@{peer.instance}").json()
    assert (exact["title"], exact["origin"]) == ("Theirs", theirs.origin)
    assert client.get(f"/api/v1/partnerships/shared-key?origin={peer.instance}").json()["title"] == "Theirs"
    assert client.get("/api/v1/partnerships/shared-key?origin=pn-nobody").status_code == 404
    page = client.get(f"/partnerships/shared-key/?origin={peer.instance}")
    assert page.status_code == 200
    assert "Theirs" in page.content.decode()
    assert ours.pk != theirs.pk


def test_an_import_never_shadows_a_peers_record(tmp_path: Path, hostile: tuple[HostilePeer, Peer]) -> None:
    peer, _row = hostile
    EntityFactory(key="their-group", origin=peer.instance)
    path = tmp_path / "entities.jsonl"
    path.write_text('{"key": "their-group", "name": "Local copy", "kind": "user_group"}\n')
    with pytest.raises(ImportRejected) as rejected:
        import_file("entities", path)
    assert "already the key of a record of " + peer.instance in rejected.value.problems[0].message
    path.write_text('{"key": "our-group", "name": "Ours", "kind": "user_group"}\n')
    assert import_file("entities", path).created == 1


def test_a_partnership_made_private_then_public_again_is_sent_again_in_full() -> None:
    partnership = PartnershipFactory(visibility="public")
    partnership.visibility = "private"
    partnership.save()
    partnership.visibility = "public"
    partnership.title = "Back again"
    partnership.save()
    events = list(
        FeedEvent.objects.filter(kind="partnerships", record_uuid=partnership.uuid).order_by("sequence")
    )
    assert [event.verb for event in events] == ["Create", "Delete", "Create"]
    assert "Back again" in events[-1].document


def test_a_peers_record_published_again_after_its_tombstone_comes_back(
    hostile: tuple[HostilePeer, Peer],
) -> None:
    peer, row = hostile
    import uuid

    record = uuid.uuid4()
    peer.serve_pages(
        {
            0: [
                peer.activity(1, key="flip", record=record),
                peer.activity(2, key="flip", record=record, verb=Verb.DELETE),
                peer.activity(3, key="flip", record=record, name="Flipped back"),
            ]
        }
    )
    assert sync_peer(row).ok
    from partnernet.directory.models import Entity

    assert Entity.objects.get(origin=peer.instance, key="flip").name == "Flipped back"
    assert Partnership.objects.count() == 0


def test_records_about_an_entity_follow_its_home_when_it_moves() -> None:
    seeded = EntityFactory(origin=SEED_ORIGIN, kind="chapter")
    stewardship = StewardshipFactory(entity=seeded, key="follows-home")
    assert not FeedEvent.objects.filter(record_uuid=stewardship.uuid).exists()
    seeded.home = instance_id()  # a claim on it was approved here
    seeded.save()
    assert [e.verb for e in FeedEvent.objects.filter(record_uuid=stewardship.uuid)] == ["Create"]
    seeded.home = "pn-elsewhere"  # moved home to another instance
    seeded.save()
    verbs = [e.verb for e in FeedEvent.objects.filter(record_uuid=stewardship.uuid).order_by("sequence")]
    assert verbs == ["Create", "Delete"]


def test_a_peer_may_not_publish_a_need_for_an_entity_homed_elsewhere(
    hostile: tuple[HostilePeer, Peer],
) -> None:
    peer, row = hostile
    affiliate = EntityFactory(key="seeded-chapter", origin=SEED_ORIGIN, kind="chapter")
    need = {"entity": affiliate.key, "kind": "staff", "title": "A coordinator"}
    activity = peer.activity(1, key="their-need", kind="needs", fields=need)  # type: ignore[arg-type]
    peer.serve_pages({0: [activity]})
    report = sync_peer(row)
    assert report.ok
    assert any("no claim has homed" in problem for problem in report.problems)
    from partnernet.sustainability.models import Need

    assert not Need.objects.filter(origin=peer.instance).exists()
