"""The personal home: where people land after logging in, and what it shows them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from partnernet.i18n.sentences import message
from partnernet.notifications.services import notify
from tests.factories import UserFactory
from tests.support.conftest import World, new_request, world

__all__ = ["world"]

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


def test_join_requests_to_decide_and_ones_own_pending_asks_are_shown() -> None:
    from partnernet.directory.joining import ask_to_join
    from tests.factories import EntityFactory, MembershipFactory

    group = EntityFactory(key="home-group", name="Home group", kind="user_group")
    admin = MembershipFactory(entity=group, role="admin").user
    asker = UserFactory(username="newcomer")
    ask_to_join(asker, group, "I edit for the group.")
    assert "newcomer asks to join Home group" in _client(admin).get("/me/").content.decode()
    assert "Your request to join Home group" in _client(asker).get("/me/").content.decode()


def test_an_open_proposal_waits_for_the_voice_of_an_affected_entity_until_it_speaks() -> None:
    from partnernet.framework.services import endorse
    from tests.factories import MembershipFactory, StewardshipFactory, region
    from tests.framework.agreement import entity_with_admin, take_up

    proposer, entity = entity_with_admin()
    in_cell = StewardshipFactory(region=region("SE")).entity
    steward = MembershipFactory(entity=in_cell, role="admin").user
    proposal = take_up(proposer, entity)
    assert proposal.title in _client(steward).get("/me/").content.decode()
    endorse(steward, proposal, entity=in_cell, stance="support")
    assert proposal.title not in _client(steward).get("/me/").content.decode()


def test_the_steward_sees_how_many_cases_are_in_hand(world: World) -> None:
    from partnernet.support import services

    held = new_request(world)
    services.accept_offer(world.first_user, held.key)
    waiting = new_request(world, description="Another one.")
    page = _client(world.first_user).get("/me/").content.decode()
    assert "1 request accepted or in progress." in page
    assert waiting.key in page
