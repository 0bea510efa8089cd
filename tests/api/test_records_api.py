"""Create, read, update and delete the five kinds over HTTP: permissions, error shapes, audit."""

from __future__ import annotations

import pytest
from django.test import Client

from partnernet.audit.models import AuditEvent
from partnernet.directory.models import Entity
from tests.api.conftest import World, as_json, bearer
from tests.factories import (
    MembershipFactory,
    PartnershipFactory,
    StewardshipFactory,
    SupportRequestFactory,
    region,
)

pytestmark = pytest.mark.django_db


def test_facilitator_creates_an_entity_with_a_token_and_the_change_is_audited(world: World) -> None:
    client = Client()
    body = {"key": "new-hub", "name": "New hub", "kind": "hub", "country": "gh", "languages": ["EN", "tw"]}
    response = as_json(client, "post", "/api/v1/entities", body, **bearer(world.facilitator))
    assert response.status_code == 201, response.json()
    row = response.json()
    assert row["country"] == "GH"
    assert row["languages"] == ["en", "tw"]
    entity = Entity.objects.get(key="new-hub")
    assert row["origin"] == entity.origin != "seed"
    event = AuditEvent.objects.get(verb="create_entity", object_pk=str(entity.pk))
    assert event.actor == world.facilitator
    assert event.changes["name"] == [None, "New hub"]


def test_bad_values_get_the_import_cleaners_words_per_field(world: World) -> None:
    body = {"key": "Bad Key", "name": "x", "kind": "castle", "country": "XX", "founded": 99}
    response = as_json(Client(), "post", "/api/v1/entities", body, **bearer(world.facilitator))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["fields"]["key"] == [
        "'Bad Key' is not a key (lower-case letters, digits, '-' and '_', at most 100)"
    ]
    assert error["fields"]["kind"][0].startswith("'castle' is not one of: chapter")
    assert error["fields"]["country"] == [
        "unknown country code 'XX' (use ISO 3166-1 alpha-2, such as SE or GH)"
    ]
    assert error["fields"]["founded"] == ["'99' is not a year (four digits)"]
    assert not Entity.objects.filter(name="x").exists()


def test_missing_required_fields_are_reported_as_required(world: World) -> None:
    response = as_json(Client(), "post", "/api/v1/partners", {"name": "No key"}, **bearer(world.member))
    assert response.status_code == 422
    fields = response.json()["error"]["fields"]
    assert fields["key"] == ["is required"]
    assert fields["kind"] == ["is required"]


def test_a_taken_key_is_a_conflict(world: World) -> None:
    response = as_json(
        Client(),
        "post",
        "/api/v1/entities",
        {"key": "wikimedia-sweden", "name": "Copy", "kind": "chapter"},
        **bearer(world.facilitator),
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    assert response.json()["error"]["fields"] == {"key": ["'wikimedia-sweden' is already taken"]}


def test_reference_rows_from_the_seed_are_read_only(world: World) -> None:
    response = as_json(
        Client(), "patch", "/api/v1/entities/wikimedia-sweden", {"name": "Renamed"}, **bearer(world.superuser)
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "read_only"
    assert Entity.objects.get(key="wikimedia-sweden", origin="seed").name != "Renamed"


def test_entity_admin_changes_their_entity_but_a_member_may_not(world: World) -> None:
    path = "/api/v1/entities/home-group"
    denied = as_json(Client(), "patch", path, {"website": "https://example.org/"}, **bearer(world.member))
    assert denied.status_code == 403
    assert denied.json()["error"]["code"] == "forbidden"
    allowed = as_json(
        Client(),
        "patch",
        path,
        {"website": "https://example.org/", "regions": ["154"]},
        **bearer(world.admin),
    )
    assert allowed.status_code == 200, allowed.json()
    assert allowed.json()["website"] == "https://example.org/"
    assert allowed.json()["regions"] == ["154"]
    assert allowed.json()["name"] == world.entity.name
    event = AuditEvent.objects.get(verb="update_entity")
    assert set(event.changes) == {"website", "regions"}


def test_a_patch_is_checked_as_the_whole_row_it_would_make(world: World) -> None:
    PartnershipFactory(key="dated", lead=world.entity, start="2024-05-01")
    response = as_json(
        Client(), "patch", "/api/v1/partnerships/dated", {"end": "2024-01-01"}, **bearer(world.member)
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"end": ["2024-01-01 is before the start 2024-05-01"]}


def test_delete_refuses_while_other_rows_use_the_entity(world: World) -> None:
    StewardshipFactory(entity=world.entity)
    response = as_json(Client(), "delete", "/api/v1/entities/home-group", **bearer(world.facilitator))
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "in_use"
    assert Entity.objects.filter(key="home-group").exists()


def test_delete_removes_a_proposed_stewardship_and_audits(world: World) -> None:
    StewardshipFactory(key="to-go", entity=world.entity, status="proposed")
    response = as_json(Client(), "delete", "/api/v1/stewardships/to-go", **bearer(world.admin))
    assert response.status_code == 204
    assert AuditEvent.objects.filter(verb="delete_stewardship", object_label="to-go").exists()
    assert as_json(Client(), "get", "/api/v1/stewardships/to-go").status_code == 404


def test_an_active_stewardship_is_retired_only_by_agreement(world: World) -> None:
    StewardshipFactory(key="held", entity=world.entity)
    response = as_json(Client(), "delete", "/api/v1/stewardships/held", **bearer(world.admin))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "agreement_required"
    assert as_json(Client(), "get", "/api/v1/stewardships/held").status_code == 200


def test_stewardships_are_never_created_over_the_api(world: World) -> None:
    body = {"key": "s1", "entity": "other-group", "type": "glam", "level": "lead", "capacity": 3}
    refused = as_json(Client(), "post", "/api/v1/stewardships", body, **bearer(world.admin))
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden"
    body["entity"] = "home-group"
    for caller in (world.admin, world.facilitator, world.superuser):
        response = as_json(Client(), "post", "/api/v1/stewardships", body, **bearer(caller))
        assert response.status_code == 403
        error = response.json()["error"]
        assert error["code"] == "agreement_required"
        assert "/api/v1/proposals" in error["message"]
    assert as_json(Client(), "get", "/api/v1/stewardships/s1").status_code == 404


def test_a_patch_may_narrow_a_stewardship_but_not_widen_it(world: World) -> None:
    StewardshipFactory(key="nordic", entity=world.entity, region=region("154"), capacity=4, status="active")
    narrower = {"region": "SE", "capacity": 2, "response_days": 10}
    response = as_json(Client(), "patch", "/api/v1/stewardships/nordic", narrower, **bearer(world.admin))
    assert response.status_code == 200, response.json()
    assert response.json()["region"] == "SE"
    for widening in ({"capacity": 3}, {"region": "150"}, {"type": "education"}, {"entity": "other-group"}):
        refused = as_json(Client(), "patch", "/api/v1/stewardships/nordic", widening, **bearer(world.admin))
        assert refused.status_code == 403, widening
        assert refused.json()["error"]["code"] in ("agreement_required", "forbidden")
    stored = as_json(Client(), "get", "/api/v1/stewardships/nordic").json()
    assert (stored["region"], stored["capacity"], stored["type"]) == ("SE", 2, "glam")


def test_a_lapsed_stewardship_is_not_reactivated_over_the_api(world: World) -> None:
    StewardshipFactory(key="old", entity=world.entity, status="lapsed")
    response = as_json(
        Client(), "patch", "/api/v1/stewardships/old", {"status": "active"}, **bearer(world.admin)
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "agreement_required"
    assert response.json()["error"]["fields"] == {"status": [response.json()["error"]["message"]]}


def test_stewardship_region_filter_finds_stewards_covering_a_country(world: World) -> None:
    StewardshipFactory(key="nordic", entity=world.entity, region=region("154"))
    StewardshipFactory(key="africa", entity=world.other, region=region("002"))
    keys = {row["key"] for row in Client().get("/api/v1/stewardships", {"region": "SE"}).json()["items"]}
    assert "nordic" in keys
    assert "africa" not in keys


def test_private_partnership_is_invisible_and_unchangeable_to_others(world: World) -> None:
    PartnershipFactory(key="secret-deal", lead=world.other, visibility="private")
    for user in (world.member, world.facilitator):
        assert as_json(Client(), "get", "/api/v1/partnerships/secret-deal", **bearer(user)).status_code == 404
        patch = as_json(Client(), "patch", "/api/v1/partnerships/secret-deal", {"title": "x"}, **bearer(user))
        assert patch.status_code == 404
    assert (
        as_json(Client(), "get", "/api/v1/partnerships/secret-deal", **bearer(world.superuser)).status_code
        == 200
    )


def test_member_records_a_partnership_led_by_their_entity_only(world: World) -> None:
    body = {
        "key": "p1",
        "title": "Archive scans",
        "lead": "other-group",
        "type": "glam",
        "status": "prospect",
    }
    assert as_json(Client(), "post", "/api/v1/partnerships", body, **bearer(world.member)).status_code == 403
    body.update(lead="home-group", supporters=["other-group"], visibility="movement", themes=["science"])
    created = as_json(Client(), "post", "/api/v1/partnerships", body, **bearer(world.member))
    assert created.status_code == 201, created.json()
    assert created.json()["supporters"] == ["other-group"]
    assert created.json()["themes"] == ["science"]
    listed = Client().get("/api/v1/partnerships", {"entity": "other-group"}).json()["items"]
    assert "p1" not in {row["key"] for row in listed}


def test_request_is_created_open_and_seen_only_by_its_parties(world: World) -> None:
    body = {"key": "help-1", "requester": "home-group", "type": "glam", "region": "SE", "need": "letter"}
    assert as_json(Client(), "post", "/api/v1/requests", body, **bearer(world.outsider)).status_code == 403
    created = as_json(Client(), "post", "/api/v1/requests", body, **bearer(world.member))
    assert created.status_code == 201, created.json()
    assert created.json()["status"] == "open"
    assert created.json()["steward"] is None
    assert as_json(Client(), "get", "/api/v1/requests/help-1").status_code == 404
    assert as_json(Client(), "get", "/api/v1/requests/help-1", **bearer(world.outsider)).status_code == 404
    assert as_json(Client(), "get", "/api/v1/requests/help-1", **bearer(world.facilitator)).status_code == 200
    assert Client().get("/api/v1/requests").json() == {"items": [], "next": None}


def test_request_hides_a_private_partnership_from_a_steward_outside_it(world: World) -> None:
    private = PartnershipFactory(key="quiet", lead=world.entity, visibility="private")
    SupportRequestFactory(key="r-quiet", requester=world.entity, steward=world.other, partnership=private)
    steward_member = MembershipFactory(entity=world.other).user
    seen_by_steward = as_json(Client(), "get", "/api/v1/requests/r-quiet", **bearer(steward_member, "read"))
    assert seen_by_steward.status_code == 200
    assert seen_by_steward.json()["partnership"] is None
    seen_by_requester = as_json(Client(), "get", "/api/v1/requests/r-quiet", **bearer(world.member, "read"))
    assert seen_by_requester.json()["partnership"] == "quiet"


def test_nul_characters_are_refused_not_a_server_error(world: World) -> None:
    """PostgreSQL cannot store or compare NUL; every way in says so as a 4xx."""
    assert Client().get("/api/v1/partners", {"country": "S\x00E"}).status_code == 422
    assert Client().get("/api/v1/entities/home\x00group").status_code == 404
    response = as_json(
        Client(),
        "post",
        "/api/v1/partners",
        {"key": "k", "name": "a\x00b", "kind": "museum"},
        **bearer(world.member),
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"]["name"]
