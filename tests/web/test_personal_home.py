"""The personal home: where people land after logging in, and what it shows them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from partnernet.i18n.sentences import message
from partnernet.notifications.services import notify
from tests.factories import UserFactory
from tests.support.conftest import World, fast_passwords, new_request, world

__all__ = ["fast_passwords", "world"]

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_person_without_an_entity_is_shown_the_ways_in() -> None:
    page = _client(UserFactory()).get("/me/").content.decode()
    assert "Create your own individual profile and ask for support" in page
    assert "Ask to join an existing entity" in page
    assert "Claim a real affiliate" in page


def test_the_steward_sees_the_offer_with_its_due_date_and_the_load(world: World) -> None:
    request = new_request(world)
    page = _client(world.first_user).get("/me/").content.decode()
    assert "Offers waiting in my entity's inbox" in page
    assert request.key in page
    assert request.due_at.strftime("%Y-%m-%d") in page
    assert "My entity's stewardships: load and capacity" in page
    assert "<td>1</td><td>3</td>" in page.replace("\n", "")


def test_the_requester_sees_their_request_and_its_state(world: World) -> None:
    request = new_request(world)
    page = _client(world.asker).get("/me/").content.decode()
    assert request.key in page
    assert "Offered" in page
    assert "Create your own individual profile" not in page


def test_unread_notifications_are_listed_with_their_count() -> None:
    person = UserFactory()
    notify([person], message("mail.started.subject"), "/support/", email=False)
    page = _client(person).get("/me/").content.decode()
    assert "Work started on your support request" in page
    assert "1 unread" in page


def test_logging_in_lands_on_the_personal_home() -> None:
    UserFactory(username="lander", password="a long test password")
    response = Client().post("/accounts/login/", {"login": "lander", "password": "a long test password"})
    assert response["Location"] == "/me/"


def test_the_personal_home_needs_a_login() -> None:
    response = Client().get("/me/")
    assert response["Location"].startswith("/accounts/login/?next=/me/")
