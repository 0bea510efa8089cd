"""The entity page carries the support section (live loads, hostings) and sustainability for those allowed."""

import pytest
from django.test import Client
from django.urls import reverse

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


def test_entity_page_lists_each_stewardship_once_and_the_support_page_keeps_its_loads(client: Client) -> None:
    entity = EntityFactory(key="listed-once", kind="chapter")
    StewardshipFactory(entity=entity, capacity=7)
    page = client.get("/directory/entities/listed-once/").content.decode()
    assert page.count("0 / 7") == 1
    assert "Stewardships and their live load" not in page
    client.force_login(MembershipFactory(entity=entity).user)
    support = client.get(reverse("support:entity", args=["listed-once"])).content.decode()
    assert "Stewardships and their live load" in support
    assert "0 / 7" in support
