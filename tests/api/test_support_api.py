# ruff: noqa: F811 - the support fixtures (world) replace the API conftest's fixtures of the same name here
"""The support API: the same rules and workflow as the pages, with the contract's error shape."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.support.conftest import World, new_request, world  # noqa: F401 - this module's fixtures

pytestmark = pytest.mark.django_db


def as_user(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_member_creates_a_request_and_reads_it_with_its_timeline(world: World) -> None:
    client = as_user(world.asker)
    response = client.post(
        "/api/v1/support/requests",
        {
            "requester": "volunteer-ana",
            "type": "glam",
            "region": "SE",
            "need": "letter",
            "language": "sv",
            "description": "A letter for the city archive.",
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "offered"
    assert body["steward"] == "wm-se"
    assert body["explanation"].startswith("routed to Wikimedia Sverige: GLAM lead")
    assert [event["kind"] for event in body["events"]] == ["created", "offered"]
    listed = client.get("/api/v1/support/requests").json()
    assert [row["key"] for row in listed["items"]] == [body["key"]]
    assert listed["next"] is None


def test_create_with_bad_fields_answers_422_with_field_messages(world: World) -> None:
    response = as_user(world.asker).post(
        "/api/v1/support/requests",
        {"requester": "wm-se", "type": "glam", "region": "XX", "need": "letter", "description": "x"},
        content_type="application/json",
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert set(error["fields"]) == {"requester", "region"}


def test_anonymous_writes_are_401_and_reads_see_nothing(world: World) -> None:
    request = new_request(world)
    anonymous = Client()
    assert anonymous.post(f"/api/v1/support/requests/{request.key}/accept").status_code == 401
    assert anonymous.get("/api/v1/support/requests").json()["items"] == []
    missing = anonymous.get(f"/api/v1/support/requests/{request.key}")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


def test_steward_accepts_and_a_second_answer_is_a_409_conflict(world: World) -> None:
    request = new_request(world)
    steward = as_user(world.first_user)
    accepted = steward.post(f"/api/v1/support/requests/{request.key}/accept")
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted"
    again = steward.post(
        f"/api/v1/support/requests/{request.key}/decline", {"reason": "No."}, content_type="application/json"
    )
    assert again.status_code == 409
    assert again.json()["error"] == {
        "code": "conflict",
        "message": "Cannot decline it: the request is already accepted (Wikimedia Sverige).",
        "fields": {},
    }
    resolved = steward.post(
        f"/api/v1/support/requests/{request.key}/resolve",
        {"outcome": "Letter sent."},
        content_type="application/json",
    )
    assert resolved.json()["status"] == "resolved"


def test_decline_moves_on_and_the_requester_cannot_answer(world: World) -> None:
    request = new_request(world)
    assert as_user(world.asker).post(f"/api/v1/support/requests/{request.key}/accept").status_code == 403
    declined = as_user(world.first_user).post(
        f"/api/v1/support/requests/{request.key}/decline",
        {"reason": "Full."},
        content_type="application/json",
    )
    assert declined.status_code == 200
    assert declined.json()["steward"] == "wm-no"


def test_only_facilitators_offer_by_hand(world: World) -> None:
    request = new_request(world)
    path = f"/api/v1/support/requests/{request.key}/offer"
    body = {"stewardship": "no-glam"}
    assert as_user(world.asker).post(path, body, content_type="application/json").status_code == 403
    offered = as_user(world.facilitator).post(path, body, content_type="application/json")
    assert offered.status_code == 200
    assert offered.json()["stewardship"] == "no-glam"


def test_route_endpoint_answers_like_the_command(world: World) -> None:
    body = Client().get("/api/v1/support/route", {"type": "glam", "region": "SE", "language": "sv"}).json()
    assert body["request"]["region"] == "SE"
    assert [c["stewardship"] for c in body["candidates"]] == ["se-glam", "no-glam"]
    assert body["candidates"][0]["cell"] == {"type": "glam", "theme": None, "region": "154"}
    bad = Client().get("/api/v1/support/route", {"type": "nope", "region": "SE"})
    assert bad.status_code == 422
    assert list(bad.json()["error"]["fields"]) == ["type"]
