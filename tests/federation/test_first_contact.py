"""The hostile-peer suite, part four: cross-instance support works on first contact — the receiving
instance takes a requester it does not know yet from the delivery's snapshot, the steward reads the
description, and a decline's reason comes back to the sender."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import pytest
from django.test import Client
from django.utils import timezone

from partnernet.core.federation.activities import Verb
from partnernet.core.federation.canonical import canonical_json, parse_json
from partnernet.core.federation.signing import encode_public_key
from partnernet.core.federation.transport import delivery_document
from partnernet.directory.models import Entity
from partnernet.federation.delivery import send_pending_deliveries
from partnernet.federation.models import Peer
from partnernet.federation.pull import sync_peer
from partnernet.support.models import SupportRequest
from partnernet.support.services import create_request, decline_offer
from tests.factories import EntityFactory, StewardshipFactory, region
from tests.federation.hostile import HostilePeer, running

pytestmark = pytest.mark.django_db


def _peer_row(peer: HostilePeer) -> Peer:
    return Peer.objects.create(
        instance_id=peer.instance,
        base_url=peer.base_url or f"http://{peer.instance}.invalid",
        public_key=encode_public_key(peer.key_pair.public_key),
        fingerprint=peer.key_pair.fingerprint,
    )


def test_a_request_from_an_unknown_requester_is_taken_with_its_description(client: Client) -> None:
    peer = HostilePeer()
    _peer_row(peer)
    stewardship = StewardshipFactory()
    requester = uuid.uuid4()
    document = delivery_document(
        actor=peer.instance,
        idempotency_key=f"{peer.instance}:{uuid.uuid4()}",
        request_id=f"{peer.instance}:{uuid.uuid4()}",
        key="needs-a-letter",
        fields={
            "requester": "brand-new-group",
            "type": "glam",
            "region": "SE",
            "need": "letter",
            "status": "open",
            "description": "A letter for the archive, by Friday.",
            "requester_entity": {
                "id": f"{peer.instance}:{requester}",
                "key": "brand-new-group",
                "name": "Brand new group",
                "kind": "user_group",
                "country": "SE",
            },
        },
        stewardship_id=stewardship.global_id,
        published=timezone.now(),
        key_pair=peer.key_pair,
    )
    answer = client.post("/federation/inbox", canonical_json(document), content_type="application/json")
    assert answer.status_code == 201, answer.content
    request = SupportRequest.objects.get(inbox_item__isnull=False)
    assert request.description == "A letter for the archive, by Friday."
    assert (request.requester.key, request.requester.origin, request.requester.uuid) == (
        "brand-new-group",
        peer.instance,
        requester,
    )
    assert request.status == "offered"


def test_a_snapshot_may_not_name_another_instances_entity(client: Client) -> None:
    peer = HostilePeer()
    _peer_row(peer)
    document = delivery_document(
        actor=peer.instance,
        idempotency_key=f"{peer.instance}:{uuid.uuid4()}",
        request_id=f"{peer.instance}:{uuid.uuid4()}",
        key="sneaky",
        fields={
            "requester": "victim-group",
            "type": "glam",
            "region": "SE",
            "need": "letter",
            "status": "open",
            "requester_entity": {"id": f"pn-victim:{uuid.uuid4()}", "key": "victim-group", "name": "X"},
        },
        stewardship_id=StewardshipFactory().global_id,
        published=timezone.now(),
        key_pair=peer.key_pair,
    )
    answer = client.post("/federation/inbox", canonical_json(document), content_type="application/json")
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "invalid"
    assert not Entity.objects.filter(key="victim-group").exists()


@pytest.fixture
def steward_peer() -> Iterator[tuple[HostilePeer, Peer]]:
    with running(HostilePeer()) as peer:
        yield peer, _peer_row(peer)


def test_the_delivery_carries_the_description_and_a_snapshot_and_the_decline_reason_comes_back(
    steward_peer: tuple[HostilePeer, Peer],
) -> None:
    peer, row = steward_peer
    far = StewardshipFactory(origin=peer.instance, entity=EntityFactory(origin=peer.instance), level="lead")
    asker = EntityFactory(key="asking-group", name="Asking group")
    request = create_request(
        None, requester=asker, type=far.type, region=region("SE"), need="letter", description="Please help."
    )
    remote = f"{peer.instance}:{uuid.uuid4()}"
    peer.inbox_answers = [(201, json.dumps({"request": remote}).encode())]
    assert send_pending_deliveries().delivered == 1
    sent = parse_json(peer.posted[0])
    assert isinstance(sent, dict)
    fields = sent["object"]["fields"]  # type: ignore[index, call-overload]
    assert fields["description"] == "Please help."
    assert fields["requester_entity"]["id"] == asker.global_id
    assert fields["requester_entity"]["name"] == "Asking group"
    answer = peer.activity(
        1,
        key="copy",
        kind="requests",
        record=uuid.UUID(remote.split(":", 1)[1]),
        verb=Verb.UPDATE,
        fields={"status": "declined", "reason": "No capacity this month.", "type": "glam", "need": "letter"},
    )
    peer.serve_pages({0: [answer]})
    assert sync_peer(row).ok
    declined = request.events.filter(kind="declined").get()
    assert "No capacity this month." in json.dumps(declined.message)


def test_the_receivers_decline_reason_travels_in_its_feed(client: Client) -> None:
    peer = HostilePeer()
    _peer_row(peer)
    stewardship = StewardshipFactory()
    document = delivery_document(
        actor=peer.instance,
        idempotency_key=f"{peer.instance}:{uuid.uuid4()}",
        request_id=f"{peer.instance}:{uuid.uuid4()}",
        key="asks",
        fields={
            "requester": EntityFactory().key,
            "type": "glam",
            "region": "SE",
            "need": "letter",
            "status": "open",
        },
        stewardship_id=stewardship.global_id,
        published=timezone.now(),
        key_pair=peer.key_pair,
    )
    client.post("/federation/inbox", canonical_json(document), content_type="application/json")
    copy = SupportRequest.objects.get(inbox_item__isnull=False)
    decline_offer(None, copy.key, "Out of scope for us.")
    from partnernet.federation.models import FeedEvent

    latest = FeedEvent.objects.filter(kind="requests").order_by("-sequence").first()
    assert latest is not None
    assert '"reason":"Out of scope for us."' in latest.document
