from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from partnernet.audit.models import AuditEvent
from partnernet.directory.models import Partner
from tests.factories import (
    EntityFactory,
    MembershipFactory,
    PartnerFactory,
    PartnershipFactory,
    StewardshipFactory,
    SupportRequestFactory,
    UserFactory,
    ptype,
    region,
)

pytestmark = pytest.mark.django_db


def test_directory_filters_by_region_at_any_level_and_by_stewarded_type(client: Client) -> None:
    EntityFactory(name="Nordic steward", country=region("SE"))
    EntityFactory(name="Ghana group", country=region("GH"))
    StewardshipFactory(entity__name="Education steward", type=ptype("education"))
    url = reverse("directory:entities")
    by_type = client.get(url, {"type": "education", "q": "steward"}).content.decode()
    assert "Education steward" in by_type
    assert "Nordic steward" not in by_type
    body = client.get(url, {"region": "154", "q": "steward"}).content.decode()
    assert "Nordic steward" in body
    assert "Ghana group" not in client.get(url, {"region": "150"}).content.decode()


@pytest.mark.parametrize("rows", [2, 25])
def test_directory_runs_a_fixed_number_of_queries(
    client: Client, django_assert_max_num_queries: Any, rows: int
) -> None:
    for _ in range(rows):
        EntityFactory()
    with django_assert_max_num_queries(6):
        client.get(reverse("directory:entities"), {"region": "150"})


def test_entity_page_shows_stewardship_load_against_capacity(client: Client) -> None:
    stewardship = StewardshipFactory(capacity=2, entity__name="Busy chapter")
    for status in ("offered", "accepted", "resolved"):
        SupportRequestFactory(stewardship=stewardship, steward=stewardship.entity, status=status)
    body = client.get(reverse("directory:entity", args=[stewardship.entity.key])).content.decode()
    assert "2 / 2" in body
    assert "at capacity" in body


def test_members_are_shown_only_to_members(client: Client) -> None:
    membership = MembershipFactory(user__username="alice-member")
    url = reverse("directory:entity", args=[membership.entity.key])
    assert "alice-member" not in client.get(url).content.decode()
    client.force_login(membership.user)
    assert "alice-member" in client.get(url).content.decode()


def test_entity_admin_edits_profile_and_bad_input_is_kept(client: Client) -> None:
    membership = MembershipFactory(role="admin")
    client.force_login(membership.user)
    url = reverse("directory:entity_edit", args=[membership.entity.key])
    data = {"name": "Renamed group", "wikidata": "X12", "languages_text": "en, sv", "jurisdiction": "Sweden",
            "budget_band": "small", "legal_identity": "true"}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 200
    assert "A Wikidata item looks like Q123." in response.content.decode()
    assert 'value="Renamed group"' in response.content.decode()
    assert client.post(url, {**data, "wikidata": "Q42"}).status_code == 302
    membership.entity.refresh_from_db()
    assert (membership.entity.name, membership.entity.languages, membership.entity.budget_band) == (
        "Renamed group", ["en", "sv"], "small"
    )  # fmt: skip
    event = AuditEvent.objects.get(verb="update_entity_profile")
    assert event.changes["name"][1] == "Renamed group"
    assert event.changes["budget_band"] == ["", "small"]


def test_plain_member_cannot_edit_the_profile(client: Client) -> None:
    membership = MembershipFactory(role="member")
    client.force_login(membership.user)
    assert client.get(reverse("directory:entity_edit", args=[membership.entity.key])).status_code == 403


def test_partner_page_shows_every_entity_working_with_it(client: Client) -> None:
    museum = PartnerFactory(name="City Museum")
    for name in ("Chapter A", "Group B"):
        PartnershipFactory(lead=EntityFactory(name=name)).partners.add(museum)
    PartnershipFactory(lead=EntityFactory(name="Hidden C"), visibility="private").partners.add(museum)
    body = client.get(reverse("directory:partner", args=[museum.key])).content.decode()
    assert "Chapter A" in body
    assert "Group B" in body
    assert "Hidden C" not in body


def test_movement_member_adds_a_partner(client: Client) -> None:
    client.force_login(MembershipFactory().user)
    url = reverse("directory:partner_create")
    assert client.post(url, {"name": "", "kind": "museum"}).status_code == 200
    response = client.post(url, {"name": "Regional Archive", "kind": "archive", "country": "SE"})
    assert response.status_code == 302
    assert Partner.objects.get(key="regional-archive").country == region("SE")
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("rows", [2, 25])
def test_partner_list_runs_a_fixed_number_of_queries(
    client: Client, django_assert_max_num_queries: Any, rows: int
) -> None:
    for _ in range(rows):
        PartnerFactory(country=region("SE"))
    with django_assert_max_num_queries(4):
        client.get(reverse("directory:partners"))


@pytest.mark.parametrize("rows", [1, 15])
def test_entity_page_runs_a_fixed_number_of_queries(
    client: Client, django_assert_max_num_queries: Any, rows: int
) -> None:
    entity = EntityFactory()
    for _ in range(rows):
        stewardship = StewardshipFactory(entity=entity)
        SupportRequestFactory(stewardship=stewardship, status="accepted")
        PartnershipFactory(lead=entity)
        PartnershipFactory().supporters.add(entity)
    # The same count whatever the rows: the page, its profile and its needs; not one query per row.
    # PostgreSQL counts the supported partnerships first, to choose how to find the newest of them.
    with django_assert_max_num_queries(11 if connection.vendor == "postgresql" else 10):
        client.get(reverse("directory:entity", args=[entity.key]))


def test_member_of_an_entity_working_with_a_partner_corrects_it(client: Client) -> None:
    membership = MembershipFactory()
    museum = PartnerFactory(name="Old name")
    url = reverse("directory:partner_edit", args=[museum.key])
    client.force_login(membership.user)
    assert client.get(url).status_code == 403
    PartnershipFactory(lead=membership.entity).partners.add(museum)
    response = client.post(url, {"name": "City Museum", "kind": "museum", "wikidata": "Q1"})
    assert response.status_code == 302
    museum.refresh_from_db()
    assert museum.name == "City Museum"
    assert AuditEvent.objects.get(verb="update_partner").changes["name"] == ["Old name", "City Museum"]


def test_partner_page_offers_edit_only_to_those_who_may_change_it(client: Client) -> None:
    membership = MembershipFactory()
    museum = PartnerFactory(name="City Museum")
    edit = reverse("directory:partner_edit", args=[museum.key])
    client.force_login(membership.user)
    assert edit not in client.get(reverse("directory:partner", args=[museum.key])).content.decode()
    PartnershipFactory(lead=membership.entity).partners.add(museum)
    assert edit in client.get(reverse("directory:partner", args=[museum.key])).content.decode()
