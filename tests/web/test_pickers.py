"""The picker: what it finds, what it accepts without JavaScript, and what it refuses (next to the field)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from partnernet.base.pickers import source
from partnernet.directory.models import Partner
from partnernet.partnerships.models import Partnership
from tests.factories import EntityFactory, MembershipFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def _member(client: Client) -> Any:
    membership = MembershipFactory(role="admin", entity__name="Wikimedia Testland")
    client.force_login(membership.user)
    return membership


def test_search_finds_regions_by_their_name_in_the_readers_language() -> None:
    with translation.override("fr"):
        found = source("regions").search(None, "Suède")
    assert [option.key for option in found][:1] == ["SE"]
    assert found[0].label == "Suède"
    with translation.override("de"):
        assert source("regions").search(None, "Nordeuropa")[0].key == "154"


def test_search_ranks_beginnings_first_and_matches_keys() -> None:
    found = source("types").search(None, "glam")
    assert found[0].key == "glam"
    assert [o.key for o in source("regions").search(None, "se")][:1] == ["SE"]


def test_a_typed_name_key_or_code_resolves_and_anything_else_is_refused() -> None:
    regions = source("regions")
    assert regions.resolve(None, "se").code == "SE"
    assert regions.resolve(None, "Northern Europe").code == "154"
    with translation.override("es"):
        assert regions.resolve(None, "Europa septentrional").code == "154"
    with pytest.raises(Exception, match="Nothing called “Atlantis”"):
        regions.resolve(None, "Atlantis")


def test_a_name_shared_by_two_rows_asks_to_pick_one() -> None:
    EntityFactory(name="Twin Archive", key="twin-a")
    EntityFactory(name="Twin Archive", key="twin-b")
    with pytest.raises(Exception, match="names several"):
        source("entities").resolve(None, "twin archive")
    assert source("entities").resolve(None, "twin-b").key == "twin-b"


def test_search_endpoint_answers_options_for_the_listbox(client: Client) -> None:
    EntityFactory(name="Wikimedia Norge", key="wikimedia-norge-test")
    response = client.get(reverse("pick", args=["entities"]), {"q": "norge", "for": "id_lead-listbox"})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'role="option"' in body
    assert 'id="id_lead-listbox-1"' in body
    assert 'data-value="wikimedia-norge-test"' in body


def test_search_endpoint_says_when_nothing_matches_and_sanitises_the_listbox_id(client: Client) -> None:
    body = client.get(reverse("pick", args=["themes"]), {"q": "zzzz", "for": '"><script>'}).content.decode()
    assert "No match" in body
    assert "<script>" not in body


def test_unknown_source_is_404_and_what_a_person_may_act_for_needs_a_login(client: Client) -> None:
    assert client.get(reverse("pick", args=["nothing"])).status_code == 404
    assert client.get(reverse("pick", args=["my-entities"]), {"q": "a"}).status_code == 403
    membership = _member(client)
    EntityFactory(name="Wikimedia Elsewhere")
    body = client.get(reverse("pick", args=["my-entities"]), {"q": "wikimedia"}).content.decode()
    assert membership.entity.name in body
    assert "Wikimedia Elsewhere" not in body


def _partnership_data(membership: Any, **extra: Any) -> dict[str, Any]:
    return {
        "title": "Picked by name",
        "lead": membership.entity.name,
        "type": "GLAM",
        "themes": "Science; cultural_heritage",
        "region": "Sweden",
        "status": "active",
        "visibility": "public",
        **extra,
    }


def test_without_javascript_names_and_keys_typed_in_the_pickers_are_saved(client: Client) -> None:
    membership = _member(client)
    other = EntityFactory(name="Wikimedia Sverige Test")
    response = client.post(
        reverse("partnerships:create"), _partnership_data(membership, supporters=f"{other.name}")
    )
    assert response.status_code == 302
    created = Partnership.objects.get(title="Picked by name")
    assert created.lead == membership.entity
    assert created.region is not None
    assert created.region.code == "SE"
    assert sorted(t.key for t in created.themes.all()) == ["cultural_heritage", "science"]
    assert list(created.supporters.all()) == [other]


def test_an_unknown_value_in_a_picker_is_a_field_error_and_nothing_is_saved(client: Client) -> None:
    membership = _member(client)
    response = client.post(
        reverse("partnerships:create"),
        _partnership_data(membership, region="Atlantis", partners="No Such Museum"),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "Atlantis" in form.errors["region"][0]
    assert "No Such Museum" in form.errors["partners"][0]
    body = response.content.decode()
    assert 'value="Atlantis"' in body  # what was typed stays, to be corrected
    assert not Partnership.objects.filter(title="Picked by name").exists()


def test_an_impossible_date_is_a_field_error_and_nothing_is_saved(client: Client) -> None:
    membership = _member(client)
    response = client.post(reverse("partnerships:create"), _partnership_data(membership, start="2025-02-30"))
    assert response.status_code == 200
    assert response.context["form"].errors["start"] == ["Enter a valid date."]
    assert 'type="date"' in response.content.decode()
    assert not Partnership.objects.filter(title="Picked by name").exists()


def test_a_new_partner_is_added_inline_with_the_partnership(client: Client) -> None:
    membership = _member(client)
    existing = PartnerFactory(name="City Museum")
    data = _partnership_data(
        membership,
        partners=existing.key,
        new_partner_name="Regional Film Archive",
        new_partner_kind="archive",
        new_partner_country="NO",
    )
    assert client.post(reverse("partnerships:create"), data).status_code == 302
    created = Partnership.objects.get(title="Picked by name")
    names = sorted(p.name for p in created.partners.all())
    assert names == ["City Museum", "Regional Film Archive"]
    added = Partner.objects.get(name="Regional Film Archive")
    assert added.country is not None
    assert added.country.code == "NO"


def test_a_new_partner_with_errors_saves_neither(client: Client) -> None:
    membership = _member(client)
    PartnerFactory(name="City Museum")
    response = client.post(
        reverse("partnerships:create"),
        _partnership_data(membership, new_partner_name="city museum", new_partner_country="Atlantis"),
    )
    form = response.context["form"]
    assert "already in the directory" in form.errors["new_partner_name"][0]
    assert form.errors["new_partner_kind"]
    assert form.errors["new_partner_country"]
    assert not Partnership.objects.filter(title="Picked by name").exists()
    assert Partner.objects.filter(name__iexact="city museum").count() == 1


def test_the_form_shows_chosen_values_by_name_in_the_readers_language(client: Client) -> None:
    membership = _member(client)
    assert client.post(reverse("partnerships:create"), _partnership_data(membership)).status_code == 302
    created = Partnership.objects.get(title="Picked by name")
    client.cookies["partnernet_language"] = "fr"
    body = client.get(reverse("partnerships:edit", args=[created.key])).content.decode()
    assert 'value="Suède"' in body
    assert "data-pn-picker" in body
    assert 'data-key="SE"' in body
