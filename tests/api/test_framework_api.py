"""Proposals over HTTP: list and read with the contract's shapes, open, endorse, and every refusal."""

from __future__ import annotations

import pytest
from django.test import Client

from partnernet.framework.models import Endorsement, Proposal
from partnernet.framework.services import close_proposal
from tests.framework.agreement import after_closing, entity_with_admin, take_up, vote

pytestmark = pytest.mark.django_db


def test_list_read_and_follow_the_cursor(client: Client) -> None:
    user, entity = entity_with_admin()
    first = take_up(user, entity)
    vote(first, "support", "oppose")
    second = take_up(user, entity, theme="science")
    page = client.get("/api/v1/proposals", {"limit": 1}).json()
    assert set(page) == {"items", "next"}
    rest = client.get(page["next"]).json()
    keys = [row["key"] for row in page["items"] + rest["items"]]
    assert sorted(keys) == sorted([first.key, second.key])
    one = client.get(f"/api/v1/proposals/{first.key}").json()
    assert one["tally"] == {"support": 1, "oppose": 1, "abstain": 0}
    assert one["cell"] == {"type": "glam", "theme": None, "region": "154"}
    assert one["rule"]["min_support_share"] == "2/3"
    close_proposal(first.pk, now=after_closing(first))
    open_only = client.get("/api/v1/proposals", {"open": "true"}).json()["items"]
    assert [row["key"] for row in open_only] == [second.key]
    missing = client.get("/api/v1/proposals/nope")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


def test_open_a_proposal_and_refusals(client: Client) -> None:
    user, entity = entity_with_admin()
    body = {
        "proposer": entity.key,
        "kind": "take_up",
        "title": "Lead GLAM",
        "rationale": "We can",
        "type": "glam",
        "region": "154",
        "level": "lead",
        "capacity": 3,
    }
    assert client.post("/api/v1/proposals", body, content_type="application/json").status_code == 401
    client.force_login(user)
    created = client.post("/api/v1/proposals", body, content_type="application/json")
    assert created.status_code == 201
    assert created.json()["stewardship"].startswith(entity.key)
    duplicate = client.post("/api/v1/proposals", body, content_type="application/json")
    assert duplicate.status_code == 422
    assert "has already proposed" in duplicate.json()["error"]["fields"]["region"][0]
    no_cell = client.post(
        "/api/v1/proposals", {**body, "type": "knitting", "region": "999"}, content_type="application/json"
    )
    assert no_cell.status_code == 422
    assert set(no_cell.json()["error"]["fields"]) == {"type", "region"}
    _, other = entity_with_admin()
    foreign = client.post(
        "/api/v1/proposals", {**body, "proposer": other.key}, content_type="application/json"
    )
    assert foreign.status_code == 403
    assert foreign.json()["error"]["code"] == "forbidden"
    assert Proposal.objects.count() == 1


def test_endorse_change_and_refusals(client: Client) -> None:
    user, entity = entity_with_admin()
    proposal = take_up(user, entity)
    voter, voting = entity_with_admin()
    url = f"/api/v1/proposals/{proposal.key}/endorsements"
    client.force_login(voter)
    cast = client.post(url, {"entity": voting.key, "stance": "support"}, content_type="application/json")
    assert cast.status_code == 200
    assert cast.json()["person"] == voter.get_username()
    changed = client.post(url, {"entity": voting.key, "stance": "abstain"}, content_type="application/json")
    assert changed.json()["stance"] == "abstain"
    not_admin = client.post(url, {"entity": entity.key, "stance": "oppose"}, content_type="application/json")
    assert not_admin.status_code == 403
    bad = client.post(url, {"entity": voting.key, "stance": "maybe"}, content_type="application/json")
    assert bad.status_code == 422
    assert "stance" in bad.json()["error"]["fields"]
    close_proposal(proposal.pk, now=after_closing(proposal))
    late = client.post(url, {"entity": voting.key, "stance": "oppose"}, content_type="application/json")
    assert late.status_code == 409
    assert late.json()["error"]["code"] == "closed"
    assert Endorsement.objects.get(entity=voting).stance == "abstain"
    assert Endorsement.objects.filter(proposal=proposal).count() == 1


def test_openapi_lists_the_proposal_paths(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/proposals", "/api/v1/proposals/{key}", "/api/v1/proposals/{key}/endorsements"} <= set(
        paths
    )
