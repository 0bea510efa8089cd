"""Join requests, claims and a seeded entity's profile over the API: the rules of the pages and errors."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from partnernet.directory.models import Claim, Entity, EntityProfile, JoinRequest, Membership
from tests.api.conftest import World, as_json, bearer
from tests.factories import seeded_entity

pytestmark = pytest.mark.django_db

EVIDENCE = "https://meta.wikimedia.org/wiki/Wikimedia_Sverige"
PEER = "pn-0123456789abcdef"


def test_join_request_created_listed_and_approved(client: Client, world: World) -> None:
    made = as_json(
        client,
        "post",
        "/api/v1/join-requests",
        {"entity": "home-group", "message": "Hi"},
        **bearer(world.outsider),
    )
    assert made.status_code == 201, made.content
    join = made.json()
    assert (join["entity"], join["person"], join["status"]) == ("home-group", "outsider", "pending")
    again = as_json(
        client, "post", "/api/v1/join-requests", {"entity": "home-group"}, **bearer(world.outsider)
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "duplicate"
    assert "already asked" in again.json()["error"]["message"]
    assert [r["id"] for r in client.get("/api/v1/join-requests", **bearer(world.admin)).json()["items"]] == [
        join["id"]
    ]
    assert client.get("/api/v1/join-requests", **bearer(world.member)).json()["items"] == []
    denied = as_json(
        client, "post", f"/api/v1/join-requests/{join['id']}/approve", {}, **bearer(world.outsider)
    )
    assert denied.status_code == 403
    approved = as_json(
        client, "post", f"/api/v1/join-requests/{join['id']}/approve", {}, **bearer(world.admin)
    )
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    assert approved.json()["decided_by"] == "admin-a"
    assert Membership.objects.get(user=world.outsider, entity=world.entity).role == "member"


def test_claim_without_evidence_is_refused_with_fields(client: Client, world: World) -> None:
    answer = as_json(
        client, "post", "/api/v1/claims", {"entity": "wikimedia-sweden"}, **bearer(world.outsider)
    )
    assert answer.status_code == 422
    assert set(answer.json()["error"]["fields"]) == {"evidence_url", "statement"}
    assert not Claim.objects.exists()


def test_claim_approved_by_a_facilitator_then_the_admin_edits_the_profile(
    client: Client, world: World
) -> None:
    body = {"entity": "wikimedia-sweden", "evidence_url": EVIDENCE, "statement": "Operations manager."}
    made = as_json(client, "post", "/api/v1/claims", body, **bearer(world.outsider))
    assert made.status_code == 201, made.content
    claim = made.json()["id"]
    assert (
        as_json(client, "post", f"/api/v1/claims/{claim}/approve", {}, **bearer(world.admin)).status_code
        == 403
    )
    listed = client.get("/api/v1/claims?status=pending", **bearer(world.facilitator)).json()["items"]
    assert [c["id"] for c in listed] == [claim]
    assert client.get("/api/v1/claims", **bearer(world.member)).json()["items"] == []
    approved = as_json(client, "post", f"/api/v1/claims/{claim}/approve", {}, **bearer(world.facilitator))
    assert approved.json()["status"] == "approved"
    patch = {
        "website": "https://wikimedia.se",
        "languages": ["sv", "en"],
        "staff_fte": "9.5",
        "contact": "info@wikimedia.se",
    }
    changed = as_json(client, "patch", "/api/v1/entities/wikimedia-sweden", patch, **bearer(world.outsider))
    assert changed.status_code == 200, changed.content
    shown = client.get("/api/v1/entities/wikimedia-sweden").json()
    assert (shown["website"], shown["languages"], shown["staff_fte"], shown["contact"]) == (
        "https://wikimedia.se",
        ["en", "sv"],
        "9.50",
        "info@wikimedia.se",
    )
    assert shown["origin"] == "seed"
    assert shown["languages_derived"] is False
    assert seeded_entity().website == ""


def test_seed_fields_and_bad_values_are_refused_on_a_profile(client: Client, world: World) -> None:
    body = {"entity": "wikimedia-sweden", "evidence_url": EVIDENCE, "statement": "Me."}
    claim = as_json(client, "post", "/api/v1/claims", body, **bearer(world.outsider)).json()["id"]
    as_json(client, "post", f"/api/v1/claims/{claim}/approve", {}, **bearer(world.facilitator))
    renamed = as_json(
        client, "patch", "/api/v1/entities/wikimedia-sweden", {"name": "WMSE"}, **bearer(world.outsider)
    )
    assert renamed.status_code == 422
    assert "reference data" in renamed.json()["error"]["fields"]["name"][0]
    bad = as_json(
        client, "patch", "/api/v1/entities/wikimedia-sweden", {"wikidata": "12"}, **bearer(world.outsider)
    )
    assert bad.status_code == 422
    assert "wikidata" in bad.json()["error"]["fields"]
    assert EntityProfile.objects.get().wikidata == ""


def test_editing_an_entity_homed_elsewhere_is_refused_with_its_home(client: Client, world: World) -> None:
    Entity.objects.filter(origin="seed", key="wikimedia-sweden").update(home=PEER)
    Membership.objects.create(user=world.outsider, entity=seeded_entity(), role="admin")
    answer = as_json(
        client,
        "patch",
        "/api/v1/entities/wikimedia-sweden",
        {"website": "https://x.se"},
        **bearer(world.outsider),
    )
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "not_home"
    assert PEER in answer.json()["error"]["message"]
    claim = as_json(
        client,
        "post",
        "/api/v1/claims",
        {"entity": "wikimedia-sweden", "evidence_url": EVIDENCE, "statement": "Me."},
        **bearer(world.member),
    )
    assert claim.status_code == 403
    assert claim.json()["error"]["code"] == "not_home"
    assert not EntityProfile.objects.exists()
    assert not Claim.objects.exists()


def test_writes_need_credentials(client: Client, world: Any) -> None:
    assert client.post("/api/v1/claims", {}, content_type="application/json").status_code == 401
    assert client.get("/api/v1/join-requests").status_code == 401
    assert not JoinRequest.objects.exists()
