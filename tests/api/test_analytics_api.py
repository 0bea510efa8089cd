"""``GET /api/v1/analyze``: the ``analyze --json`` document, sustainability scoped to the caller."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client

from partnernet.directory.rules import FACILITATORS
from tests.factories import EntityFactory, MembershipFactory, StewardshipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_document_equals_the_cli_for_a_facilitator(client: Client) -> None:
    StewardshipFactory(entity=EntityFactory(key="t-api"))
    user = UserFactory()
    user.groups.add(Group.objects.get_or_create(name=FACILITATORS)[0])
    client.force_login(user)
    answer = client.get("/api/v1/analyze")
    assert answer.status_code == 200
    out = io.StringIO()
    call_command("analyze", "--json", stdout=out)
    assert answer.json() == json.loads(out.getvalue())
    assert "t-api" in answer.json()["sustainability"]


def test_anonymous_callers_get_the_figures_without_sustainability(client: Client) -> None:
    StewardshipFactory(entity=EntityFactory(key="t-api"))
    document = client.get("/api/v1/analyze").json()
    assert document["sustainability"] == {}
    assert document["entities"] > 0


def test_members_see_their_own_entity_only(client: Client) -> None:
    mine = StewardshipFactory(entity=EntityFactory(key="t-mine")).entity
    StewardshipFactory(entity=EntityFactory(key="t-other"))
    client.force_login(MembershipFactory(entity=mine).user)
    assert set(client.get("/api/v1/analyze").json()["sustainability"]) == {"t-mine"}


def test_level_is_validated_with_the_error_shape(client: Client) -> None:
    regions = client.get("/api/v1/analyze", {"level": "region"}).json()
    assert regions["coverage"]["cells"] == 5 * 8
    bad = client.get("/api/v1/analyze", {"level": "country"})
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "invalid"
    assert "level" in bad.json()["error"]["fields"]
    assert "/api/v1/analyze" in client.get("/api/v1/openapi.json").json()["paths"]
