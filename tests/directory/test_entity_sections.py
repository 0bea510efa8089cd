"""The entity page carries the support section (live loads, hostings) and sustainability for those allowed."""

import pytest
from django.test import Client

from tests.factories import EntityFactory, MembershipFactory, StewardshipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_entity_page_shows_live_loads_to_all_and_sustainability_to_its_members(client: Client) -> None:
    entity = EntityFactory(key="steward-page", kind="chapter")
    StewardshipFactory(entity=entity, capacity=4)
    anonymous = client.get("/directory/entities/steward-page/").content.decode()
    assert "0 / 4" in anonymous
    assert "Sustainability" not in anonymous
    client.force_login(MembershipFactory(entity=entity).user)
    member = client.get("/directory/entities/steward-page/").content.decode()
    assert "Sustainability" in member
    client.force_login(UserFactory())
    assert "Sustainability" not in client.get("/directory/entities/steward-page/").content.decode()
