"""Capturing local changes as signed activities, and serving them as verifiable feed pages."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.utils import timezone

from partnernet.base.identity import instance_id
from partnernet.core.federation.activities import parse_activity
from partnernet.core.federation.canonical import parse_json
from partnernet.core.federation.feed import verify_page_body
from partnernet.directory.models import Entity
from partnernet.federation.keys import instance_key_pair
from partnernet.federation.models import FeedEvent
from tests.factories import EntityFactory, PartnerFactory, PartnershipFactory

pytestmark = pytest.mark.django_db


def _activities(**filters: object) -> list[dict[str, object]]:
    return [json.loads(event.document) for event in FeedEvent.objects.filter(**filters).order_by("sequence")]


def test_creating_a_local_entity_publishes_one_signed_create_for_every_peer() -> None:
    entity = EntityFactory(key="wmxx", staff_fte="2.5")
    events = list(FeedEvent.objects.filter(record_uuid=entity.uuid))
    assert [(e.verb, e.audience) for e in events] == [("Create", "all")]
    activity = parse_activity(parse_json(events[0].document))
    assert activity.global_id == entity.global_id
    assert activity.key == "wmxx"
    assert activity.fields is not None
    assert activity.fields["staff_fte"] == "2.5"
    assert activity.fields["country"] == "SE"


def test_sequences_increase_in_commit_order_and_updates_follow() -> None:
    entity = EntityFactory()
    entity.name = "Renamed"
    entity.save()
    entity.delete()
    events = list(FeedEvent.objects.order_by("sequence"))
    assert [e.verb for e in events] == ["Create", "Update", "Delete"]
    assert [e.sequence for e in events] == sorted({e.sequence for e in events})


def test_seed_rows_and_foreign_rows_are_never_published() -> None:
    seed_entity = Entity.objects.filter(origin="seed").first()
    assert seed_entity is not None
    seed_entity.name = seed_entity.name + " (edited)"
    seed_entity.save()
    Entity.objects.create(key="copy", name="Copy", kind="chapter", origin="pn-somewhere-else")
    assert not FeedEvent.objects.exists()


def test_private_partnerships_never_leave_and_going_private_withdraws_them() -> None:
    private = PartnershipFactory(visibility="private")
    assert not FeedEvent.objects.filter(record_uuid=private.uuid).exists()
    movement = PartnershipFactory(visibility="movement")
    assert {e.audience for e in FeedEvent.objects.filter(record_uuid=movement.uuid)} == {"movement"}
    public = PartnershipFactory(visibility="public")
    public.visibility = "movement"
    public.save()
    last_two = list(FeedEvent.objects.filter(record_uuid=public.uuid).order_by("sequence"))[-2:]
    assert {(e.verb, e.audience) for e in last_two} == {("Update", "movement"), ("Delete", "others")}
    public.visibility = "private"
    public.save()
    assert FeedEvent.objects.filter(record_uuid=public.uuid).order_by("sequence").last().verb == "Delete"


def test_many_to_many_changes_are_changes_of_the_record() -> None:
    partnership = PartnershipFactory()
    partner = PartnerFactory()
    before = FeedEvent.objects.count()
    partnership.partners.add(partner)
    latest = FeedEvent.objects.order_by("sequence").last()
    assert FeedEvent.objects.count() == before + 1
    assert json.loads(latest.document)["object"]["fields"]["partners"] == [partner.key]


def test_feed_page_verifies_with_the_well_known_key(client: Client) -> None:
    for _ in range(3):
        EntityFactory()
    known = client.get("/.well-known/partnernet").json()
    assert known["instance"] == instance_id()
    assert known["fingerprint"] == instance_key_pair().fingerprint
    response = client.get("/federation/feed?after=0")
    assert response.status_code == 200
    verdict = verify_page_body(
        response.content,
        origin=instance_id(),
        public_key=instance_key_pair().public_key,
        cursor=0,
        now=timezone.now(),
    )
    assert verdict.ok, verdict.summary
    assert len(verdict.accepted) == 3


def test_bad_cursor_gets_the_error_shape(client: Client) -> None:
    response = client.get("/federation/feed?after=-1")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"after": ["not a whole number"]}


def test_unsigned_callers_never_see_movement_rows(client: Client) -> None:
    PartnershipFactory(visibility="movement")
    response = client.get("/federation/feed?after=0")
    page = json.loads(response.content)
    assert all(item["object"]["kind"] != "partnerships" for item in page["orderedItems"])


def test_a_signed_request_from_an_unknown_instance_gets_what_everyone_gets(client: Client) -> None:
    from partnernet.core.federation.signing import generate_key_pair
    from partnernet.core.federation.transport import sign_request

    EntityFactory()
    headers = sign_request(
        "GET",
        "/federation/feed?after=0",
        instance="pn-stranger",
        key_pair=generate_key_pair(),
        now=timezone.now(),
    )
    response = client.get("/federation/feed?after=0", headers=headers)
    assert response.status_code == 200
    assert json.loads(response.content)["scope"] == "public"


def test_a_known_peer_with_a_bad_signature_is_refused(client: Client) -> None:
    from partnernet.core.federation.signing import encode_public_key, generate_key_pair
    from partnernet.core.federation.transport import sign_request
    from partnernet.federation.models import Peer

    pair = generate_key_pair()
    Peer.objects.create(
        instance_id="pn-known",
        base_url="http://known.example",
        public_key=encode_public_key(pair.public_key),
        fingerprint=pair.fingerprint,
        movement=True,
    )
    good = sign_request(
        "GET", "/federation/feed?after=0", instance="pn-known", key_pair=pair, now=timezone.now()
    )
    assert json.loads(client.get("/federation/feed?after=0", headers=good).content)["scope"] == "movement"
    forged = sign_request(
        "GET",
        "/federation/feed?after=0",
        instance="pn-known",
        key_pair=generate_key_pair(),
        now=timezone.now(),
    )
    response = client.get("/federation/feed?after=0", headers=forged)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def _outcome(partnership: object, value: int = 120) -> object:
    import datetime as dt
    from decimal import Decimal

    from partnernet.impact.services import record_outcome

    return record_outcome(
        None,
        partnership,  # type: ignore[arg-type]
        indicator="media_uploaded",
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 12, 31),
        value=Decimal(value),
    )


def test_outcomes_federate_where_their_partnership_goes() -> None:
    public = PartnershipFactory(visibility="public")
    outcome = _outcome(public)
    events = list(FeedEvent.objects.filter(kind="outcomes", record_uuid=outcome.uuid))  # type: ignore[attr-defined]
    assert [(e.verb, e.audience) for e in events] == [("Create", "all")]
    fields = json.loads(events[0].document)["object"]["fields"]
    assert fields["partnership"] == public.key
    assert float(fields["value"]) == 120
    assert fields["indicator"] == "media_uploaded"
    hidden = _outcome(PartnershipFactory(visibility="private"))
    assert not FeedEvent.objects.filter(record_uuid=hidden.uuid).exists()  # type: ignore[attr-defined]


def test_a_partnership_narrowing_its_visibility_withdraws_its_outcomes_too() -> None:
    partnership = PartnershipFactory(visibility="public")
    outcome = _outcome(partnership)
    partnership.title = "Renamed"
    partnership.save()
    assert FeedEvent.objects.filter(record_uuid=outcome.uuid).count() == 1  # type: ignore[attr-defined]
    partnership.visibility = "movement"
    partnership.save()
    latest = FeedEvent.objects.filter(record_uuid=outcome.uuid).order_by("sequence").last()  # type: ignore[attr-defined]
    assert (latest.verb, latest.audience) == ("Delete", "others")
    partnership.delete()
    final = FeedEvent.objects.filter(record_uuid=outcome.uuid).order_by("sequence").last()  # type: ignore[attr-defined]
    assert (final.verb, final.audience) == ("Delete", "movement")
