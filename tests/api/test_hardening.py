# ruff: noqa: F811 - the support fixtures (world) are imported for this module
"""Hostile input to the API (issue 21): every error in the JSON error shape, no database error in a
response, whitespace-only values empty, every text limited before the database."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError
from django.test import Client

from partnernet.framework.models import Proposal
from partnernet.support.models import SupportRequest
from tests.framework.agreement import entity_with_admin
from tests.support.conftest import World, world  # noqa: F401 - the fixtures

pytestmark = [pytest.mark.django_db, pytest.mark.mariadb]


def as_user(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def error_of(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    error: dict[str, Any] = response.json()["error"]
    assert set(error) == {"code", "message", "fields"}
    return error


def test_whitespace_only_region_is_empty_and_so_required(world: World) -> None:
    response = as_user(world.asker).post(
        "/api/v1/support/requests",
        {"requester": "volunteer-ana", "type": "glam", "region": "   ", "need": "letter", "description": "x"},
        content_type="application/json",
    )
    assert error_of(response, 422)["fields"] == {"region": ["is required"]}
    assert not SupportRequest.objects.exists()


def proposal(entity: Any, **changes: Any) -> dict[str, Any]:
    return {
        "proposer": entity.key,
        "kind": "take_up",
        "title": "Lead GLAM",
        "rationale": "We can",
        "type": "glam",
        "region": "154",
        "level": "lead",
        "capacity": 3,
        **changes,
    }


@pytest.mark.parametrize(("field", "size"), [("title", 301), ("rationale", 1_000_000)])
def test_over_long_text_is_a_422_and_nothing_is_stored(client: Client, field: str, size: int) -> None:
    user, entity = entity_with_admin()
    client.force_login(user)
    body = proposal(entity, **{field: "x" * size})
    response = client.post("/api/v1/proposals", body, content_type="application/json")
    error = error_of(response, 422)
    assert field in error["fields"]
    assert not Proposal.objects.exists()


def test_a_race_for_one_key_is_a_409_without_the_database_words(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key was free when checked; the other writer's row lands before the insert."""
    from partnernet.base import records

    user, _ = entity_with_admin()
    client.force_login(user)
    monkeypatch.setattr(records.RecordWriter, "_check_key_free", lambda *a, **k: None)
    body = {"key": "museum-one", "name": "Museum One", "kind": "museum"}
    assert client.post("/api/v1/partners", body, content_type="application/json").status_code == 201
    second = client.post("/api/v1/partners", body, content_type="application/json")
    error = error_of(second, 409)
    assert error["fields"] == {"key": ["'museum-one' is already taken"]}
    assert "UNIQUE" not in second.content.decode()
    assert "duplicate" not in second.content.decode()


def test_an_integrity_error_anywhere_is_a_409_in_the_shape(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from partnernet.api import directory

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise IntegrityError('duplicate key value violates unique constraint "secret_index"')

    monkeypatch.setattr(directory, "entities_matching", boom)
    response = client.get("/api/v1/entities")
    error = error_of(response, 409)
    assert "secret_index" not in response.content.decode()
    assert error["code"] == "conflict"


def test_body_too_large_is_a_413_in_the_shape(client: Client) -> None:
    user, _ = entity_with_admin()
    client.force_login(user)
    body = '{"title": "' + "x" * (20 * 1024 * 1024) + '"}'
    response = client.post("/api/v1/proposals", body, content_type="application/json")
    assert error_of(response, 413)["code"] == "too_large"


def test_unparseable_json_is_answered_in_the_shape(client: Client) -> None:
    user, _ = entity_with_admin()
    client.force_login(user)
    response = client.post("/api/v1/proposals", "{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    error_of(response, response.status_code)


def test_unknown_address_and_wrong_method_are_answered_in_the_shape(client: Client) -> None:
    assert error_of(client.get("/api/v1/no-such-kind"), 404)["code"] == "not_found"
    assert error_of(client.get("/api/nothing-here"), 404)["code"] == "not_found"
    wrong = client.delete("/api/v1/proposals")
    assert error_of(wrong, 405)["code"] == "not_allowed"
    assert "GET" in wrong["Allow"]


def test_the_schema_states_the_limit_range_and_the_cursor(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    parameters = schema["paths"]["/api/v1/entities"]["get"]["parameters"]
    limit = next(p for p in parameters if p["name"] == "limit")["schema"]
    assert (limit["anyOf"][0]["minimum"], limit["anyOf"][0]["maximum"]) == (1, 500)
    cursor = next(p for p in parameters if p["name"] == "cursor")["schema"]["anyOf"][0]
    assert "Opaque" in cursor["description"]
    assert cursor["pattern"] == "^[A-Za-z0-9_-]+$"
    proposal_in = schema["components"]["schemas"]["ProposalIn"]["properties"]
    assert proposal_in["title"]["maxLength"] == 300
    assert proposal_in["rationale"]["maxLength"] == 10_000


def _strings(node: Any) -> list[dict[str, Any]]:
    if not isinstance(node, dict):
        return []
    if node.get("type") == "string" and "enum" not in node and "format" not in node:
        return [node]
    found = []
    for key in ("anyOf", "oneOf", "allOf"):
        for option in node.get(key, []):
            found += _strings(option)
    if "items" in node:
        found += _strings(node["items"])
    return found


def test_every_text_a_request_may_send_has_a_stated_limit(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    unlimited = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["name"] not in ("cursor", "limit") and parameter["in"] != "path":
                    continue  # filters: a value no row has finds nothing, whatever its length
                if parameter["name"] in ("decision",):
                    continue
                if any("maxLength" not in s and "pattern" not in s for s in _strings(parameter["schema"])):
                    unlimited.append(f"{method} {path} ?{parameter['name']}")
    for name, component in schema["components"]["schemas"].items():
        if not name.endswith(("In", "Patch")):
            continue
        for field, definition in component.get("properties", {}).items():
            if any("maxLength" not in s for s in _strings(definition)):
                unlimited.append(f"{name}.{field}")
    assert unlimited == []
