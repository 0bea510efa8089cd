"""The inbox of cross-instance support: signed, stored once per idempotency key, refused with the error
shape; and the sender's side, retried with backoff until the peer takes it."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from partnernet.base.identity import instance_id
from partnernet.core.federation.activities import Verb
from partnernet.core.federation.canonical import canonical_json
from partnernet.core.federation.signing import encode_public_key, generate_key_pair
from partnernet.core.federation.transport import delivery_document
from partnernet.core.routing import RoutingRequest
from partnernet.directory.models import Entity
from partnernet.federation.delivery import deliver_support_request, send_pending_deliveries
from partnernet.federation.models import FeedEvent, InboxItem, OutgoingDelivery, Peer
from partnernet.federation.pull import sync_peer
from partnernet.framework.models import Stewardship
from partnernet.support.candidates import route_candidates
from partnernet.support.models import SupportRequest
from partnernet.support.services import (
    WorkflowError,
    create_request,
    decline_offer,
    escalate_overdue,
    offer,
    rebalance_requests,
    submit_public_proposal,
)
from tests.factories import EntityFactory, MembershipFactory, PartnershipFactory, StewardshipFactory, region
from tests.federation.hostile import HostilePeer, running

pytestmark = pytest.mark.django_db


def _peer_row(peer: HostilePeer) -> Peer:
    return Peer.objects.create(
        instance_id=peer.instance,
        base_url=peer.base_url or f"http://{peer.instance}.invalid",
        public_key=encode_public_key(peer.key_pair.public_key),
        fingerprint=peer.key_pair.fingerprint,
    )


def _delivery(
    peer: HostilePeer,
    stewardship_id: str,
    *,
    published_offset: timedelta = timedelta(0),
    idempotency_suffix: str = "",
) -> bytes:
    requester = Entity.objects.filter(key="far-group", origin=peer.instance).first() or EntityFactory(
        key="far-group", origin=peer.instance
    )
    document = delivery_document(
        actor=peer.instance,
        idempotency_key=f"{peer.instance}:0b0e4b9a-4a0c-4a51-8a8e-6b1f1d1e2f30{idempotency_suffix}",
        request_id=f"{peer.instance}:0b0e4b9a-4a0c-4a51-8a8e-6b1f1d1e2f30",
        key="needs-a-letter",
        fields={
            "requester": requester.key,
            "type": "glam",
            "region": "SE",
            "need": "letter",
            "status": "open",
        },
        stewardship_id=stewardship_id,
        published=timezone.now() + published_offset,
        key_pair=peer.key_pair,
    )
    return canonical_json(document)


def _post(client: Client, body: bytes) -> tuple[int, dict[str, object]]:
    response = client.post("/federation/inbox", body, content_type="application/json")
    return response.status_code, response.json()


def test_a_delivery_becomes_one_offered_request_however_often_it_arrives(client: Client) -> None:
    peer = HostilePeer()
    row = _peer_row(peer)
    stewardship = StewardshipFactory()
    body = _delivery(peer, stewardship.global_id)
    status, answer = _post(client, body)
    assert status == 201
    assert _post(client, body)[0] == 200
    request = SupportRequest.objects.get(inbox_item__isnull=False)
    assert answer["request"] == request.global_id
    assert (request.status, request.steward, request.stewardship) == (
        "offered",
        stewardship.entity,
        stewardship,
    )
    assert InboxItem.objects.filter(peer=row).count() == 1
    events = FeedEvent.objects.filter(kind="requests")
    assert [(e.verb, e.audience) for e in events] == [("Create", f"peer:{peer.instance}")]


def test_the_status_goes_back_only_to_the_sender(client: Client) -> None:
    peer = HostilePeer()
    _peer_row(peer)
    _post(client, _delivery(peer, StewardshipFactory().global_id))
    request = SupportRequest.objects.get(inbox_item__isnull=False)
    request.status = "accepted"
    request.save()
    unsigned = json.loads(client.get("/federation/feed?after=0").content)
    assert all(item["object"]["kind"] != "requests" for item in unsigned["orderedItems"])
    assert FeedEvent.objects.filter(kind="requests", verb="Update").exists()


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ("unknown_sender", 403, "forbidden"),
        ("forged", 401, "unauthenticated"),
        ("stale", 401, "unauthenticated"),
        ("not_our_stewardship", 422, "invalid"),
        ("garbage", 400, "bad_request"),
    ],
)
def test_bad_deliveries_are_refused_with_the_error_shape(
    client: Client, change: str, status: int, code: str
) -> None:
    peer = HostilePeer()
    if change != "unknown_sender":
        _peer_row(peer)
    stewardship_id = StewardshipFactory().global_id
    if change == "not_our_stewardship":
        stewardship_id = f"{peer.instance}:0b0e4b9a-4a0c-4a51-8a8e-6b1f1d1e2f31"
    if change == "forged":
        peer.key_pair = generate_key_pair()
    offset = timedelta(hours=2) if change == "stale" else timedelta(0)
    body = b"{not json" if change == "garbage" else _delivery(peer, stewardship_id, published_offset=offset)
    answer_status, answer = _post(client, body)
    assert answer_status == status
    assert answer["error"]["code"] == code  # type: ignore[index]
    assert not SupportRequest.objects.filter(inbox_item__isnull=False).exists()


@pytest.fixture
def steward_peer() -> Iterator[tuple[HostilePeer, Peer]]:
    with running(HostilePeer()) as peer:
        yield peer, _peer_row(peer)


def test_the_sender_retries_with_backoff_then_delivers_and_applies_the_status_that_comes_back(
    steward_peer: tuple[HostilePeer, Peer],
) -> None:
    peer, row = steward_peer
    far_stewardship = StewardshipFactory(origin=peer.instance, entity=EntityFactory(origin=peer.instance))
    request = create_request(
        None, requester=EntityFactory(), type=far_stewardship.type, region=region("SE"), need="letter"
    )
    assert (request.status, request.stewardship_id) == ("offered", far_stewardship.pk)
    delivery = OutgoingDelivery.objects.get(request=request)
    assert delivery.stewardship_id == far_stewardship.pk
    assert deliver_support_request(request, far_stewardship) == delivery
    remote = f"{peer.instance}:{uuid.uuid4()}"
    peer.inbox_answers = [(503, b"{}"), (201, json.dumps({"request": remote}).encode())]
    first = send_pending_deliveries(jitter=lambda: 0.5)
    delivery.refresh_from_db()
    assert (first.retrying, delivery.status, delivery.attempts) == (1, "pending", 1)
    assert delivery.next_attempt_at is not None
    assert delivery.next_attempt_at > timezone.now()
    assert send_pending_deliveries().delivered == 0
    second = send_pending_deliveries(now=delivery.next_attempt_at)
    delivery.refresh_from_db()
    assert second.delivered == 1
    assert delivery.status == "delivered"
    assert peer.posted[0] == peer.posted[1]
    assert delivery.remote_id == remote
    answer = peer.activity(
        1,
        key="local-ask",
        kind="requests",
        record=uuid.UUID(remote.split(":", 1)[1]),
        verb=Verb.UPDATE,
        fields={"status": "accepted", "requester": "x", "type": "glam", "region": "SE", "need": "letter"},
    )
    peer.serve_pages({0: [answer]})
    assert sync_peer(row).ok
    request.refresh_from_db()
    assert request.status == "accepted"
    assert request.origin == instance_id()
    assert OutgoingDelivery.objects.count() == 1


def test_a_4xx_from_the_inbox_is_not_retried(steward_peer: tuple[HostilePeer, Peer]) -> None:
    peer, _ = steward_peer
    far_stewardship = StewardshipFactory(
        origin=peer.instance, entity=EntityFactory(origin=peer.instance), level="lead"
    )
    near = StewardshipFactory(level="supporter")
    request = _ask(far_stewardship)
    delivery = OutgoingDelivery.objects.get(request=request)
    peer.inbox_answers = [(422, b'{"error": {"code": "invalid", "message": "no", "fields": {}}}')]
    report = send_pending_deliveries()
    delivery.refresh_from_db()
    assert (report.refused, delivery.status, delivery.next_attempt_at) == (1, "refused", None)
    assert "HTTP 422" in delivery.last_error
    request.refresh_from_db()
    assert (request.status, request.stewardship_id) == ("offered", near.pk)  # moved on at once
    assert "would not take the request" in request.events.filter(kind="declined").get().note


def _answer(peer: HostilePeer, sequence: int, delivery: OutgoingDelivery, status: str) -> dict[str, object]:
    return peer.activity(
        sequence,
        key="their-copy",
        kind="requests",
        record=uuid.UUID(delivery.remote_id.split(":", 1)[1]),
        verb=Verb.UPDATE,
        fields={"status": status, "requester": "x", "type": "glam", "region": "SE", "need": "letter"},
    )


def _ask(stewardship: Stewardship) -> SupportRequest:
    return create_request(
        None, requester=EntityFactory(), type=stewardship.type, region=region("SE"), need="letter"
    )


def _delivered(peer: HostilePeer, request: SupportRequest) -> OutgoingDelivery:
    remote = f"{peer.instance}:{uuid.uuid4()}"
    peer.inbox_answers = [(201, json.dumps({"request": remote}).encode())]
    assert send_pending_deliveries().delivered == 1
    return OutgoingDelivery.objects.get(request=request, remote_id=remote)


def test_a_decline_on_the_peer_moves_the_request_to_the_next_candidate_here(
    steward_peer: tuple[HostilePeer, Peer],
) -> None:
    peer, row = steward_peer
    far = StewardshipFactory(origin=peer.instance, entity=EntityFactory(origin=peer.instance), level="lead")
    near = StewardshipFactory(level="supporter")
    request = create_request(
        None, requester=EntityFactory(), type=far.type, region=region("SE"), need="letter"
    )
    assert request.stewardship_id == far.pk
    assert request.due_at is not None
    assert request.offered_at is not None
    assert (request.due_at - request.offered_at).days == far.response_days + 1
    delivery = _delivered(peer, request)
    peer.serve_pages({0: [_answer(peer, 1, delivery, "declined")]})
    assert sync_peer(row).ok
    request.refresh_from_db()
    assert (request.status, request.stewardship_id) == ("offered", near.pk)
    assert far.pk in [int(pk) for pk in request.tried]
    kinds = list(request.events.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["created", "offered", "declined", "offered"]
    delivery.refresh_from_db()
    assert delivery.remote_status == "declined"


def test_an_answer_after_the_request_moved_on_changes_nothing(steward_peer: tuple[HostilePeer, Peer]) -> None:
    peer, row = steward_peer
    far = StewardshipFactory(origin=peer.instance, entity=EntityFactory(origin=peer.instance), level="lead")
    near = StewardshipFactory(level="supporter")
    request = create_request(
        None, requester=EntityFactory(), type=far.type, region=region("SE"), need="letter"
    )
    delivery = _delivered(peer, request)
    assert request.due_at is not None
    assert escalate_overdue(request.key, now=request.due_at + timedelta(minutes=1))
    request.refresh_from_db()
    assert request.stewardship_id == near.pk
    peer.serve_pages({0: [_answer(peer, 1, delivery, "accepted")]})
    assert sync_peer(row).ok
    request.refresh_from_db()
    assert (request.status, request.stewardship_id) == ("offered", near.pk)
    events = FeedEvent.objects.filter(kind="requests", record_uuid=request.uuid).order_by("sequence")
    sent = [(e.verb, e.audience) for e in events]
    assert sent[0] == ("Create", f"peer:{peer.instance}")
    assert sent[-1] == ("Delete", f"peer:{peer.instance}")  # the peer withdraws its copy on this tombstone


def test_accepted_then_resolved_on_the_peer_is_the_requests_history_here(
    steward_peer: tuple[HostilePeer, Peer],
) -> None:
    peer, row = steward_peer
    far = StewardshipFactory(origin=peer.instance, entity=EntityFactory(origin=peer.instance))
    request = create_request(
        None, requester=EntityFactory(), type=far.type, region=region("SE"), need="letter"
    )
    delivery = _delivered(peer, request)
    peer.serve_pages({0: [_answer(peer, 1, delivery, "accepted")]})
    assert sync_peer(row).ok
    request.refresh_from_db()
    assert (request.status, request.due_at) == ("accepted", None)
    peer.serve_pages({1: [_answer(peer, 2, delivery, "resolved")]})
    row.refresh_from_db()
    assert sync_peer(row).ok
    request.refresh_from_db()
    assert request.status == "resolved"
    assert request.resolved is not None
    assert peer.instance in request.outcome
    assert list(request.events.order_by("pk").values_list("kind", flat=True))[-2:] == ["accepted", "resolved"]


def test_an_unavailable_peers_stewardship_is_passed_over(steward_peer: tuple[HostilePeer, Peer]) -> None:
    peer, row = steward_peer
    row.unavailable_since = timezone.now()
    row.save()
    far = StewardshipFactory(origin=peer.instance, entity=EntityFactory(origin=peer.instance), level="lead")
    near = StewardshipFactory(level="supporter")
    request = create_request(
        None, requester=EntityFactory(), type=far.type, region=region("SE"), need="letter"
    )
    assert request.stewardship_id == near.pk
    assert not OutgoingDelivery.objects.exists()


def test_a_delivered_copy_declined_here_goes_back_to_the_sender_not_to_our_other_stewards(
    client: Client,
) -> None:
    with running(HostilePeer()) as sender:
        _peer_row(sender)
        ours = StewardshipFactory(region=region("SE"))
        StewardshipFactory(region=region("SE"), level="supporter")
        status, _ = _post(client, _delivery(sender, ours.global_id))
        assert status == 201
        copy = SupportRequest.objects.get(inbox_item__isnull=False)
        membership = MembershipFactory(entity=ours.entity)
        decline_offer(membership.user, copy.key, "We have no capacity this month.")
        copy.refresh_from_db()
        assert (copy.status, copy.stewardship_id) == ("declined", ours.pk)
        latest = FeedEvent.objects.filter(record_uuid=copy.uuid).order_by("sequence").last()
        assert latest is not None
        assert latest.audience == f"peer:{sender.instance}"
        assert json.loads(latest.document)["object"]["fields"]["status"] == "declined"


def test_the_sender_withdrawing_its_request_withdraws_our_copy(client: Client) -> None:
    with running(HostilePeer()) as sender:
        row = _peer_row(sender)
        ours = StewardshipFactory(region=region("SE"))
        assert _post(client, _delivery(sender, ours.global_id))[0] == 201
        copy = SupportRequest.objects.get(inbox_item__isnull=False)
        withdrawn = sender.activity(
            1,
            key="needs-a-letter",
            kind="requests",
            record=uuid.UUID("0b0e4b9a-4a0c-4a51-8a8e-6b1f1d1e2f30"),
            verb=Verb.UPDATE,
            fields={
                "status": "withdrawn",
                "requester": "far-group",
                "type": "glam",
                "region": "SE",
                "need": "letter",
                "steward": ours.entity.key,
            },
        )
        sender.serve_pages({0: [withdrawn]})
        assert sync_peer(row).ok
        copy.refresh_from_db()
        assert copy.status == "withdrawn"
        assert copy.events.order_by("pk").last().kind == "withdrawn"  # type: ignore[union-attr]


def test_the_status_page_says_where_a_delivery_to_another_instance_stands(
    client: Client, steward_peer: tuple[HostilePeer, Peer]
) -> None:
    peer, row = steward_peer
    row.operator = "Far chapter ops"
    row.save()
    far = StewardshipFactory(origin=peer.instance, entity=EntityFactory(origin=peer.instance))
    requester = MembershipFactory()
    request = create_request(
        requester.user, requester=requester.entity, type=far.type, region=region("SE"), need="letter"
    )
    client.force_login(requester.user)
    page = client.get(f"/support/r/{request.key}/").content.decode()
    assert "Waiting to be delivered to Far chapter ops (0 attempts so far)." in page
    peer.inbox_answers = [(503, b"upstream trouble")]
    send_pending_deliveries()
    page = client.get(f"/support/r/{request.key}/").content.decode()
    assert "(1 attempt so far)" in page
    assert "upstream trouble" not in page  # the peer's error text is for facilitators
    _delivered_later = OutgoingDelivery.objects.get(request=request)
    _delivered_later.next_attempt_at = timezone.now()
    _delivered_later.save()
    peer.inbox_answers = [(201, json.dumps({"request": f"{peer.instance}:{uuid.uuid4()}"}).encode())]
    assert send_pending_deliveries().delivered == 1
    page = client.get(f"/support/r/{request.key}/").content.decode()
    assert "Delivered to Far chapter ops on" in page


def test_a_facilitator_cannot_offer_to_an_unreachable_instance(
    steward_peer: tuple[HostilePeer, Peer],
) -> None:
    peer, row = steward_peer
    far = StewardshipFactory(origin=peer.instance, entity=EntityFactory(origin=peer.instance))
    row.unavailable_since = timezone.now()
    row.save()
    request = _ask(StewardshipFactory())
    with pytest.raises(WorkflowError, match="not a reachable peer"):
        offer(None, request.key, f"{far.key}@{peer.instance}")
    request.refresh_from_db()
    assert request.stewardship_id != far.pk
    assert not OutgoingDelivery.objects.exists()


def test_a_peers_stewardship_keyed_like_ours_is_a_candidate_of_its_own(
    steward_peer: tuple[HostilePeer, Peer],
) -> None:
    peer, _ = steward_peer
    ours = StewardshipFactory(key="glam-nordics", level="supporter")
    far = StewardshipFactory(
        key="glam-nordics", origin=peer.instance, entity=EntityFactory(origin=peer.instance), level="lead"
    )
    wanted = RoutingRequest(type="glam", theme=None, region="SE", need="letter", language=None)
    ranked = [candidate.stewardship for candidate in route_candidates(wanted)]
    assert ranked == [f"glam-nordics@{peer.instance}", "glam-nordics"]
    request = _ask(ours)
    assert request.stewardship_id == far.pk


def test_a_facilitator_offers_to_a_peers_stewardship_by_its_routing_key(
    steward_peer: tuple[HostilePeer, Peer],
) -> None:
    peer, _ = steward_peer
    ours = StewardshipFactory(key="glam-nordics")
    far = StewardshipFactory(
        key="glam-nordics", origin=peer.instance, entity=EntityFactory(origin=peer.instance)
    )
    request = _ask(ours)
    assert request.stewardship_id == ours.pk
    offer(None, request.key, f"glam-nordics@{peer.instance}")
    request.refresh_from_db()
    assert request.stewardship_id == far.pk
    assert OutgoingDelivery.objects.get(request=request).stewardship_id == far.pk
    offer(None, request.key, "glam-nordics")
    request.refresh_from_db()
    assert request.stewardship_id == ours.pk


def test_rebalance_keeps_a_peers_offer_apart_and_leaves_delivered_copies_to_their_sender(
    client: Client, steward_peer: tuple[HostilePeer, Peer]
) -> None:
    peer, _ = steward_peer
    StewardshipFactory(key="glam-nordics", capacity=3, level="supporter")
    far = StewardshipFactory(
        key="glam-nordics", origin=peer.instance, entity=EntityFactory(origin=peer.instance), level="lead"
    )
    request = _ask(far)
    assert request.stewardship_id == far.pk
    assert _post(client, _delivery(peer, StewardshipFactory(region=region("SE")).global_id))[0] == 201
    copy = SupportRequest.objects.get(inbox_item__isnull=False)
    report = rebalance_requests(None, dry_run=True)
    moved = {move.request: move for move in report.moves}
    assert copy.key not in moved
    assert request.key not in moved or moved[request.key].from_stewardship == f"glam-nordics@{peer.instance}"


def test_a_public_proposal_stays_on_this_instance(steward_peer: tuple[HostilePeer, Peer]) -> None:
    peer, _ = steward_peer
    far = StewardshipFactory(origin=peer.instance, entity=EntityFactory(origin=peer.instance), level="lead")
    near = StewardshipFactory(level="supporter")
    proposal = submit_public_proposal(
        institution="City Museum",
        kind="museum",
        country=region("SE"),
        website="",
        contact_name="Ann",
        contact_email="ann@example.org",
        consent=True,
        type=far.type,
        region=region("SE"),
    )
    assert proposal.stewardship_id == near.pk
    assert not OutgoingDelivery.objects.exists()


def test_a_second_offer_of_the_same_request_arrives_as_a_second_copy(client: Client) -> None:
    with running(HostilePeer()) as sender:
        _peer_row(sender)
        ours = StewardshipFactory(region=region("SE"))
        assert _post(client, _delivery(sender, ours.global_id))[0] == 201
        again = _delivery(sender, ours.global_id, idempotency_suffix="#2")
        status, answer = _post(client, again)
        assert status == 201, answer
        keys = sorted(SupportRequest.objects.filter(inbox_item__isnull=False).values_list("key", flat=True))
        assert keys == [f"{sender.instance}-needs-a-letter", f"{sender.instance}-needs-a-letter-2"]


def test_a_delivered_request_never_carries_its_partnership(steward_peer: tuple[HostilePeer, Peer]) -> None:
    peer, _ = steward_peer
    far = StewardshipFactory(origin=peer.instance, entity=EntityFactory(origin=peer.instance))
    membership = MembershipFactory()
    private = PartnershipFactory(lead=membership.entity, visibility="private", key="secret-talks")
    request = create_request(
        None,
        requester=membership.entity,
        type=far.type,
        region=region("SE"),
        need="letter",
        partnership=private,
    )
    document = json.loads(OutgoingDelivery.objects.get(request=request).document)
    assert "secret-talks" not in json.dumps(document)
    events = FeedEvent.objects.filter(kind="requests", record_uuid=request.uuid)
    assert events.exists()
    assert all("secret-talks" not in event.document for event in events)
