"""Who the API thinks is calling: token, session with CSRF, or anonymous; bad credentials are errors."""

from __future__ import annotations

import pytest
from django.test import Client

from partnernet.accounts.models import ApiToken
from partnernet.accounts.services import create_token, revoke_token
from tests.api.conftest import World, as_json, bearer

pytestmark = pytest.mark.django_db

NEW_PARTNER = {"key": "new-museum", "name": "New museum", "kind": "museum"}


def test_anonymous_reads_but_cannot_write(world: World) -> None:
    assert Client().get("/api/v1/partners").status_code == 200
    response = as_json(Client(), "post", "/api/v1/partners", NEW_PARTNER)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_read_only_token_reads_and_is_refused_writes(world: World) -> None:
    headers = bearer(world.member, "read")
    assert as_json(Client(), "get", "/api/v1/partners", **headers).status_code == 200
    response = as_json(Client(), "post", "/api/v1/partners", NEW_PARTNER, **headers)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "read_only_token"


def test_read_write_token_writes_as_its_person(world: World) -> None:
    response = as_json(Client(), "post", "/api/v1/partners", NEW_PARTNER, **bearer(world.member))
    assert response.status_code == 201
    token = ApiToken.objects.get(user=world.member)
    assert token.last_used_at is not None


@pytest.mark.parametrize(
    "header", ["Bearer pn_00000000_not-a-real-token", "Bearer ", "Token abc", "Bearer somebody-elses-jwt"]
)
def test_unknown_or_malformed_tokens_are_401_not_anonymous(world: World, header: str) -> None:
    response = Client().get("/api/v1/partners", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "bad_token"


def test_revoked_token_stops_working(world: World) -> None:
    token, secret = create_token(world.member, "script", "write")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert Client().get("/api/v1/requests", **headers).status_code == 200
    revoke_token(world.member, token)
    assert Client().get("/api/v1/requests", **headers).status_code == 401


def test_token_of_a_deactivated_person_stops_working(world: World) -> None:
    headers = bearer(world.member, "read")
    world.member.is_active = False
    world.member.save()
    assert Client().get("/api/v1/partners", **headers).status_code == 401


def test_only_a_digest_of_the_secret_is_stored(world: World) -> None:
    token, secret = create_token(world.member, "script", "read")
    assert secret.startswith(f"pn_{token.prefix}_")
    assert len(secret) > 40
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert all(secret not in str(value) for value in stored.values())


def test_session_writes_need_the_csrf_token(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.member)
    refused = as_json(client, "post", "/api/v1/partners", NEW_PARTNER)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "csrf_failed"
    client.get("/accounts/tokens/")
    csrf = client.cookies["csrftoken"].value
    accepted = as_json(client, "post", "/api/v1/partners", NEW_PARTNER, HTTP_X_CSRFTOKEN=csrf)
    assert accepted.status_code == 201, accepted.json()


def test_session_reads_need_no_csrf_and_see_what_the_person_may(world: World) -> None:
    from tests.factories import PartnershipFactory

    PartnershipFactory(key="members-only", lead=world.other, visibility="movement")
    client = Client(enforce_csrf_checks=True)
    assert "members-only" not in {row["key"] for row in client.get("/api/v1/partnerships").json()["items"]}
    client.force_login(world.member)
    keys = {row["key"] for row in client.get("/api/v1/partnerships", {"limit": 500}).json()["items"]}
    assert "members-only" in keys


def test_tokens_work_on_every_router_and_a_bad_token_is_refused_everywhere(world: World) -> None:
    """Personal tokens act for their person on the agreement, impact, analytics and support routers too."""
    headers = bearer(world.member)
    assert Client().get("/api/v1/proposals", **headers).status_code == 200
    assert Client().get("/api/v1/outcomes", **headers).status_code == 200
    assert Client().get("/api/v1/support/requests", **headers).status_code == 200
    bogus = {"HTTP_AUTHORIZATION": "Bearer pn_not-a-real-token"}
    for path in ("/api/v1/proposals", "/api/v1/outcomes", "/api/v1/analyze", "/api/v1/support/requests"):
        assert Client().get(path, **bogus).status_code == 401, path
    read_only = bearer(world.member, "read")
    withdraw = as_json(Client(), "post", "/api/v1/support/requests/nothing-here/withdraw", {}, **read_only)
    assert withdraw.status_code == 403
