"""/api/v1/me and /api/v1/notifications: the caller about themselves, with the pages' rules."""

from __future__ import annotations

import pytest
from django.test import Client

from partnernet.i18n.sentences import message
from partnernet.notifications.models import Notification
from partnernet.notifications.services import notify
from tests.api.conftest import World, as_json, bearer

pytestmark = pytest.mark.django_db


def test_me_names_the_caller_their_entities_roles_and_unread_count(world: World) -> None:
    notify([world.admin], message("mail.started.subject"), email=False)
    body = Client().get("/api/v1/me", **bearer(world.admin, "read")).json()
    assert body["username"] == "admin-a"
    assert body["entities"] == [
        {"key": "home-group", "origin": world.entity.origin, "name": world.entity.name, "kind": "user_group",
         "role": "admin"}
    ]  # fmt: skip
    assert body["unread_notifications"] == 1
    assert body["facilitator"] is False
    assert Client().get("/api/v1/me", **bearer(world.facilitator, "read")).json()["facilitator"] is True


def test_anonymous_callers_get_401_in_the_error_shape(world: World) -> None:
    for path in ("/api/v1/me", "/api/v1/notifications"):
        response = Client().get(path)
        assert response.status_code == 401
        assert "error" in response.json()
    assert as_json(Client(), "post", "/api/v1/notifications/read", {}).status_code == 401


def test_notifications_are_listed_newest_first_in_pages_in_the_callers_language(world: World) -> None:
    for _ in range(3):
        notify([world.member], message("mail.started.subject"), "/support/", email=False)
    notify([world.admin], message("mail.started.subject"), email=False)
    headers = bearer(world.member, "read")
    first = Client().get("/api/v1/notifications?limit=2", **headers).json()
    assert len(first["items"]) == 2
    assert first["items"][0]["id"] > first["items"][1]["id"]
    assert first["items"][0]["text"] == "Work started on your support request"
    assert first["items"][0]["url"] == "/support/"
    assert first["items"][0]["message"] == {"id": "mail.started.subject", "params": {}}
    second = Client().get(first["next"], **headers).json()
    assert len(second["items"]) == 1
    assert second["next"] is None
    french = Client().get("/api/v1/notifications", HTTP_ACCEPT_LANGUAGE="fr", **headers).json()
    assert french["items"][0]["text"] != "Work started on your support request"


def test_mark_read_one_or_all_and_never_another_persons(world: World) -> None:
    (mine,) = notify([world.member], message("mail.started.subject"), email=False)
    notify([world.member], message("mail.started.subject"), email=False)
    (theirs,) = notify([world.admin], message("mail.started.subject"), email=False)
    headers = bearer(world.member)
    one = as_json(Client(), "post", f"/api/v1/notifications/{mine.pk}/read", {}, **headers)
    assert one.status_code == 200
    assert one.json()["read"] is True
    assert (
        as_json(Client(), "post", f"/api/v1/notifications/{theirs.pk}/read", {}, **headers).status_code == 404
    )
    some = as_json(Client(), "post", "/api/v1/notifications/read", {"ids": [theirs.pk]}, **headers).json()
    assert some == {"marked": 0, "unread": 1}
    everything = as_json(Client(), "post", "/api/v1/notifications/read", {}, **headers).json()
    assert everything == {"marked": 1, "unread": 0}
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    unread = Client().get("/api/v1/notifications?unread=true", **headers).json()
    assert unread["items"] == []


def test_bad_input_is_a_clear_error(world: World) -> None:
    headers = bearer(world.member)
    assert Client().get("/api/v1/notifications?limit=0", **headers).status_code == 422
    assert Client().get("/api/v1/notifications?cursor=abc", **headers).status_code == 400
    bad = as_json(Client(), "post", "/api/v1/notifications/read", {"ids": "all"}, **headers)
    assert bad.status_code == 422
    assert "error" in bad.json()
    read_only = as_json(Client(), "post", "/api/v1/notifications/read", {}, **bearer(world.member, "read"))
    assert read_only.status_code == 403
