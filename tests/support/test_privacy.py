"""A request may concern a private partnership: its title and key reach only people who may see it."""

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from tests.factories import (
    EntityFactory,
    MembershipFactory,
    PartnershipFactory,
    SupportRequestFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SECRET = "Confidential archive negotiation"


@pytest.fixture
def facilitator_client() -> Any:
    owner = EntityFactory(key="secret-owner")
    private = PartnershipFactory(key="secret-deal", lead=owner, visibility="private", title=SECRET)
    SupportRequestFactory(key="about-secret", requester=owner, partnership=private)
    user = UserFactory()
    user.groups.add(Group.objects.get(name="facilitators"))
    client = Client()
    client.force_login(user)
    return client


def test_request_page_hides_a_private_partnership_from_a_facilitator(facilitator_client: Client) -> None:
    page = facilitator_client.get("/support/r/about-secret/")
    assert page.status_code == 200
    assert SECRET not in page.content.decode()


def test_support_api_masks_the_private_partnership_key(facilitator_client: Client) -> None:
    one = facilitator_client.get("/api/v1/support/requests/about-secret").json()
    assert one["partnership"] is None
    listed = facilitator_client.get("/api/v1/support/requests", {"limit": 500}).json()["items"]
    assert all(item["partnership"] != "secret-deal" for item in listed)


def test_a_party_of_the_partnership_still_sees_it() -> None:
    owner = EntityFactory(key="open-owner")
    private = PartnershipFactory(key="own-deal", lead=owner, visibility="private", title=SECRET)
    SupportRequestFactory(key="about-own", requester=owner, partnership=private)
    client = Client()
    client.force_login(MembershipFactory(entity=owner).user)
    assert SECRET in client.get("/support/r/about-own/").content.decode()
    assert client.get("/api/v1/support/requests/about-own").json()["partnership"] == "own-deal"
