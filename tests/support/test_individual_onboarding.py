"""A person without an entity makes their individual profile and sends their first request in one flow."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from partnernet.audit.models import AuditEvent
from partnernet.directory.models import Entity, Membership
from partnernet.notifications.models import Notification
from partnernet.support import services
from partnernet.support.models import SupportRequest
from tests.factories import UserFactory, ptype, region
from tests.support.conftest import World

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Maja Lind",
    "country": "SE",
    "languages": "sv, en",
    "need": "tools",
    "type": "glam",
    "region": "SE",
    "language": "sv",
    "description": "Photographs of a village archive to upload to Commons.",
}


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_form_makes_the_profile_and_a_routed_request(world: World) -> None:
    person = UserFactory(username="maja")
    response = _client(person).post("/support/new/", FORM)
    assert response.status_code == 302
    entity = Entity.objects.get(name="Maja Lind")
    assert entity.kind == "individual"
    assert entity.legal_identity is False
    assert entity.country is not None
    assert entity.country.code == "SE"
    assert entity.languages == ["en", "sv"]
    assert Membership.objects.get(user=person, entity=entity).role == "admin"
    request = SupportRequest.objects.get(requester=entity)
    assert response["Location"] == f"/support/r/{request.key}/"
    assert request.status == "offered"
    assert request.steward is not None
    assert request.steward.name == "Wikimedia Sverige"
    assert AuditEvent.objects.filter(verb="create_membership").exists()
    assert Notification.objects.filter(user=person, url=f"/support/r/{request.key}/").exists()
    assert Notification.objects.filter(user=world.first_user).exists()


def test_the_page_offers_the_other_ways_in() -> None:
    page = _client(UserFactory()).get("/support/new/").content.decode()
    assert "Your individual profile" in page
    assert "ask to join an existing entity" in page
    assert "claim a real affiliate" in page
    assert 'href="/directory/entities/"' in page


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("name", "", "This field is required."),
        ("languages", "", "This field is required."),
        ("languages", "sv, not a tag!", "is not a BCP 47 language tag"),
        ("country", "", "This field is required."),
        ("description", "", "This field is required."),
    ],
)
def test_bad_input_is_a_form_error_and_nothing_is_saved(field: str, value: str, problem: str) -> None:
    person = UserFactory()
    response = _client(person).post("/support/new/", {**FORM, field: value})
    assert response.status_code == 400
    assert problem in response.content.decode()
    assert not Entity.objects.filter(name="Maja Lind").exists()
    assert not Membership.objects.filter(user=person).exists()


def test_a_request_that_fails_leaves_no_profile(world: World) -> None:
    person = UserFactory()
    services.create_request(world.asker, requester=world.requester, type=ptype("glam"), region=region("SE"),
                            need="tools", key="taken")  # fmt: skip
    with pytest.raises(services.WorkflowError):
        services.ask_as_new_individual(
            person,
            profile={"name": "Maja", "country": "SE", "languages": ["sv"]},
            type=ptype("glam"),
            region=region("SE"),
            need="tools",
            key="taken",
        )
    assert not Membership.objects.filter(user=person).exists()
    assert not Entity.objects.filter(name="Maja").exists()


def test_one_individual_profile_per_person() -> None:
    person = UserFactory()
    profile = {"name": "Maja", "country": "SE", "languages": ["sv"]}
    services.ask_as_new_individual(
        person, profile=profile, type=ptype("glam"), region=region("SE"), need="tools"
    )
    with pytest.raises(PermissionDenied):
        services.ask_as_new_individual(
            person, profile=profile, type=ptype("glam"), region=region("SE"), need="tools"
        )
    assert Entity.objects.filter(kind="individual", memberships__user=person).count() == 1


def test_a_member_of_an_entity_gets_the_usual_form(world: World) -> None:
    page = _client(world.asker).get("/support/new/").content.decode()
    assert "Asking for" in page
    assert "Your individual profile" not in page
