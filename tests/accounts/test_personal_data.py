"""A person downloads everything stored about them, and deletes their account without harming entities."""

from __future__ import annotations

import json

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.test import Client

from partnernet.accounts.services import create_token
from partnernet.audit.models import AuditEvent
from partnernet.directory.models import Entity, Membership
from partnernet.directory.services import ENTITIES
from partnernet.i18n.sentences import message
from partnernet.notifications.services import notify
from tests.factories import EntityFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person() -> object:
    user = UserFactory(username="ada", email="ada@example.org", password="!")
    entity = EntityFactory(key="ada-group", name="Ada's group")
    MembershipFactory(user=user, entity=entity, role="admin")
    create_token(user, "nightly export", "read")
    SocialAccount.objects.create(user=user, provider="mediawiki", uid="77", extra_data={"username": "Ada"})
    ENTITIES.update(user, entity, {"website": "https://ada.example.org/"})
    notify([user], message("mail.started.subject"), "/support/", email=False)
    return user


def test_download_holds_everything_about_the_person(person: object) -> None:
    client = Client()
    client.force_login(person)  # type: ignore[arg-type]
    response = client.get("/accounts/data/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="partnernet-personal-data.json"'
    data = json.loads(response.content)
    assert data["account"]["username"] == "ada"
    assert data["account"]["email"] == "ada@example.org"
    assert data["memberships"] == [{"entity": "ada-group", "entity_name": "Ada's group", "role": "admin"}]
    assert [token["name"] for token in data["api_tokens"]] == ["nightly export"]
    assert data["linked_accounts"][0]["uid"] == "77"
    assert {change["verb"] for change in data["changes_made"]} >= {"create_api_token", "update_entity"}
    assert data["notifications"][0]["message"] == {"id": "mail.started.subject", "params": {}}
    assert "digest" not in json.dumps(data)


def test_deletion_needs_the_typed_user_name(person: object) -> None:
    client = Client()
    client.force_login(person)  # type: ignore[arg-type]
    response = client.post("/accounts/data/delete/", {"confirm": "someone"})
    assert response.status_code == 200
    assert "This is not your user name." in response.content.decode()
    assert get_user_model().objects.filter(username="ada").exists()


def test_deletion_removes_personal_data_and_keeps_entities_and_a_neutral_history(person: object) -> None:
    client = Client()
    client.force_login(person)  # type: ignore[arg-type]
    response = client.post("/accounts/data/delete/", {"confirm": "ada"})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(username="ada").exists()
    assert not Membership.objects.filter(entity__key="ada-group").exists()
    assert not SocialAccount.objects.exists()
    entity = Entity.objects.get(key="ada-group")
    assert entity.website == "https://ada.example.org/"
    update = AuditEvent.objects.get(verb="update_entity")
    assert update.actor is None
    assert update.actor_label == "deleted account"
    assert update.changes == {"website": ["", "https://ada.example.org/"]}
    everything = json.dumps(list(AuditEvent.objects.values("actor_label", "object_label", "changes")))
    assert "ada@example.org" not in everything
    assert '"ada"' not in everything
    assert "ada ·" not in everything
    assert AuditEvent.objects.filter(verb="delete_account", object_label="deleted account").exists()
    assert client.get("/accounts/tokens/").status_code == 302
