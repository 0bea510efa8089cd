# ruff: noqa: F811 - the support fixtures (world) replace the API conftest's fixtures of the same name here
"""Hostings over the API: public like the entity pages, ended by either side with the UI's rules."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from partnernet.accounts.services import create_token
from partnernet.audit.models import AuditEvent
from partnernet.support import services
from partnernet.support.models import Hosting
from tests.factories import EntityFactory, MembershipFactory
from tests.support.conftest import World, new_request, world  # noqa: F401 - this module's fixtures

pytestmark = pytest.mark.django_db

REASON = "We registered our own association."


def hosted_by_first(world: World) -> Hosting:
    """Ana's co-signing request, resolved by Wikimedia Sverige, which then hosts her: the real path."""
    request = new_request(world)
    services.accept_offer(world.first_user, request.key)
    services.resolve_request(world.first_user, request.key, "Co-signed.")
    return services.establish_hosting(world.first_user, request.key, dt.date(2030, 1, 1))


def token(user: Any, scope: str = "write") -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {create_token(user, 'test', scope)[1]}"}


def end(key: str, headers: dict[str, str], reason: Any = REASON) -> Any:
    body = {} if reason is None else {"reason": reason}
    return Client().post(
        f"/api/v1/support/hostings/{key}/end", json.dumps(body), content_type="application/json", **headers
    )


def test_anyone_lists_and_reads_hostings_as_the_entity_pages_show_them(world: World) -> None:
    hosting = hosted_by_first(world)
    listed = Client().get("/api/v1/support/hostings")
    assert listed.status_code == 200
    assert listed.json() == {
        "items": [
            {
                "key": str(hosting.uuid),
                "host": "wm-se",
                "hosted": "volunteer-ana",
                "status": "active",
                "term_start": hosting.term_start.isoformat(),
                "term_end": "2030-01-01",
                "ended_by": None,
                "ended_on": None,
                "end_reason": None,
                "request": None,
                "origin": hosting.origin,
            }
        ],
        "next": None,
    }
    read = Client().get(f"/api/v1/support/hostings/{hosting.uuid}")
    assert read.status_code == 200
    assert read.json() == listed.json()["items"][0]


def test_the_request_it_came_from_shows_only_to_those_who_may_read_the_request(world: World) -> None:
    hosting = hosted_by_first(world)
    path = f"/api/v1/support/hostings/{hosting.uuid}"
    for user in (world.asker, world.first_user, world.facilitator):
        assert Client().get(path, **token(user, "read")).json()["request"] == hosting.request.key
    for headers in ({}, token(world.second_user, "read")):
        assert Client().get(path, **headers).json()["request"] is None


def test_a_member_of_either_side_ends_it_once_and_a_second_end_is_a_409(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    hosting = hosted_by_first(world)
    with django_capture_on_commit_callbacks(execute=True):
        ended = end(str(hosting.uuid), token(world.asker))
    assert ended.status_code == 200
    body = ended.json()
    assert (body["status"], body["ended_by"], body["end_reason"]) == ("ended", "volunteer-ana", REASON)
    assert body["ended_on"] is not None
    assert AuditEvent.objects.filter(verb="end_hosting").count() == 1
    assert "Hosting ended" in mail.outbox[-1].subject
    assert REASON in mail.outbox[-1].body
    again = end(str(hosting.uuid), token(world.first_user), "Again.")
    assert again.status_code == 409
    assert again.json()["error"] == {
        "code": "conflict",
        "message": "This hosting has already ended.",
        "fields": {},
    }
    hosting.refresh_from_db()
    assert (hosting.ended_by.key, hosting.end_reason) == ("volunteer-ana", REASON)


def test_the_host_ends_it_as_the_host(world: World) -> None:
    hosting = hosted_by_first(world)
    body = end(str(hosting.uuid), token(world.first_user)).json()
    assert (body["status"], body["ended_by"]) == ("ended", "wm-se")


def test_the_reason_shows_to_both_sides_only(world: World) -> None:
    hosting = hosted_by_first(world)
    services.end_hosting(world.asker, hosting.pk, REASON)
    path = f"/api/v1/support/hostings/{hosting.uuid}"
    for user in (world.asker, world.first_user):
        assert Client().get(path, **token(user, "read")).json()["end_reason"] == REASON
    for headers in ({}, token(world.second_user, "read"), token(world.facilitator, "read")):
        shown = Client().get(path, **headers).json()
        assert (shown["status"], shown["end_reason"]) == ("ended", None)
        assert REASON not in Client().get("/api/v1/support/hostings", **headers).content.decode()


def test_people_of_neither_side_may_not_end_it(world: World) -> None:
    hosting = hosted_by_first(world)
    key = str(hosting.uuid)
    for user in (world.second_user, world.facilitator):
        refused = end(key, token(user))
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "forbidden"
    anonymous = end(key, {})
    assert (anonymous.status_code, anonymous.json()["error"]["code"]) == (401, "unauthenticated")
    read_only = end(key, token(world.asker, "read"))
    assert (read_only.status_code, read_only.json()["error"]["code"]) == (403, "read_only_token")
    hosting.refresh_from_db()
    assert hosting.status == "active"


def test_a_session_needs_the_csrf_token_to_end_it(world: World) -> None:
    hosting = hosted_by_first(world)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.asker)
    refused = client.post(
        f"/api/v1/support/hostings/{hosting.uuid}/end", {"reason": REASON}, content_type="application/json"
    )
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "csrf_failed")
    hosting.refresh_from_db()
    assert hosting.status == "active"


@pytest.mark.parametrize("reason", [None, "", "   ", "x" * 2001])
def test_ending_needs_a_reason(world: World, reason: Any) -> None:
    hosting = hosted_by_first(world)
    refused = end(str(hosting.uuid), token(world.asker), reason)
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert (error["code"], list(error["fields"])) == ("invalid", ["reason"])
    hosting.refresh_from_db()
    assert hosting.status == "active"


@pytest.mark.parametrize("key", ["not-a-uuid", "00000000-0000-4000-8000-000000000000"])
def test_an_unknown_hosting_is_a_404(world: World, key: str) -> None:
    assert Client().get(f"/api/v1/support/hostings/{key}").status_code == 404
    missing = end(key, token(world.asker))
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "not_found")


def test_filters_by_side_and_status_and_pages_with_a_cursor(world: World) -> None:
    first = hosted_by_first(world)
    others = []
    for n in range(3):
        group = EntityFactory(key=f"group-{n}", kind="user_group")
        MembershipFactory(entity=group)
        others.append(
            Hosting.objects.create(host=world.second.entity, hosted=group, term_start=dt.date(2026, 1, 1))
        )
    services.end_hosting(world.second_user, others[0].pk, "Done.")

    def keys(**query: Any) -> set[str]:
        response = Client().get("/api/v1/support/hostings", query)
        assert response.status_code == 200, response.content
        return {item["key"] for item in response.json()["items"]}

    everyone = {str(h.uuid) for h in [first, *others]}
    assert keys() == everyone
    assert keys(host="wm-no") == {str(h.uuid) for h in others}
    assert keys(hosted="volunteer-ana") == {str(first.uuid)}
    assert keys(entity="group-1") == {str(others[1].uuid)}
    assert keys(entity="wm-se") == {str(first.uuid)}
    assert keys(status="ended") == {str(others[0].uuid)}
    assert keys(status="active", host="wm-no") == {str(h.uuid) for h in others[1:]}
    assert keys(host="nobody") == set()

    seen: list[str] = []
    url: str | None = "/api/v1/support/hostings?limit=3"
    while url:
        page = Client().get(url).json()
        assert len(page["items"]) <= 3
        seen += [item["key"] for item in page["items"]]
        url = page["next"]
    assert sorted(seen) == sorted(everyone)
    assert len(seen) == len(everyone)


def test_bad_list_queries_answer_in_the_error_shape(world: World) -> None:
    bad_status = Client().get("/api/v1/support/hostings", {"status": "paused"})
    assert (bad_status.status_code, list(bad_status.json()["error"]["fields"])) == (422, ["status"])
    bad_cursor = Client().get("/api/v1/support/hostings", {"cursor": "bm90LWEtY3Vyc29y"})
    assert (bad_cursor.status_code, bad_cursor.json()["error"]["code"]) == (400, "bad_cursor")
    forged = Client().get("/api/v1/support/hostings", {"cursor": "WyJub3QtYS11dWlkIiwgIngiXQ"})
    assert (forged.status_code, forged.json()["error"]["code"]) == (400, "bad_cursor")
