from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from partnernet.framework.coverage import coverage_of, matrix_cell
from tests.factories import EntityFactory, StewardshipFactory, SupportRequestFactory, ptype, region, theme

pytestmark = pytest.mark.django_db


def _cell(level: str, type_key: str, code: str) -> Any:
    return coverage_of(level).coverage.cell(type_key, code)


def test_a_world_steward_covers_every_column_and_a_country_steward_serves_part_of_its_subregion() -> None:
    StewardshipFactory(type=ptype("research"), region=region("001"), entity=EntityFactory(name="Global"))
    StewardshipFactory(type=ptype("media"), region=region("SE"))
    assert all(c.count == 1 for t, cells in coverage_of("region").rows if t.key == "research" for c in cells)
    northern_europe = _cell("subregion", "media", "154")
    assert (northern_europe.state, northern_europe.why, northern_europe.count) == ("partial", "region", 0)
    assert _cell("subregion", "media", "039").state == "gap"


def test_cell_states_and_over_capacity() -> None:
    one = StewardshipFactory(type=ptype("policy"), region=region("150"), capacity=1)
    assert _cell("region", "policy", "150").count == 1
    SupportRequestFactory(stewardship=one, steward=one.entity, status="in_progress")
    assert _cell("region", "policy", "150").over_capacity
    StewardshipFactory(type=ptype("policy"), region=region("154"))
    assert _cell("subregion", "policy", "154").count == 2
    assert _cell("subregion", "policy", "155").count == 1


def test_cell_detail_lists_stewards_inside_and_gaps_around() -> None:
    StewardshipFactory(
        type=ptype("funding"), region=region("SE"), entity=EntityFactory(name="Swedish funder")
    )
    detail = matrix_cell("funding", "154")
    assert detail is not None
    assert detail.cell.state == "partial"
    assert detail.stewards == []
    assert [s.entity_name for s in detail.inside] == ["Swedish funder"]
    assert "039" in {around.region.code for around in detail.sibling_gaps if around.region}
    assert "funding" not in {around.type.key for around in detail.type_gaps if around.type}


@pytest.mark.parametrize("stewards", [1, 20])
def test_matrix_page_runs_a_fixed_number_of_queries(
    client: Client, django_assert_max_num_queries: Any, stewards: int
) -> None:
    for _ in range(stewards):
        StewardshipFactory()
    with django_assert_max_num_queries(6):
        response = client.get(reverse("matrix"), {"level": "subregion"})
    assert "pn-matrix-several" in response.content.decode() or stewards == 1


def test_matrix_cell_page_and_unknown_cell(client: Client) -> None:
    StewardshipFactory(entity=EntityFactory(name="Nordic lead"))
    body = client.get(reverse("matrix_cell", args=["glam", "154"])).content.decode()
    assert "Nordic lead" in body
    assert client.get(reverse("matrix_cell", args=["glam", "999"])).status_code == 404


def _art_feminism_and_regional_stewards() -> None:
    """The issue's case: a gender-gap GLAM steward of the world, and regional GLAM stewards of every theme."""
    StewardshipFactory(
        entity=EntityFactory(key="art-feminism", name="Art+Feminism"),
        type=ptype("glam"),
        theme=theme("gender_gap"),
        region=region("001"),
    )
    StewardshipFactory(entity=EntityFactory(key="wmse", name="Wikimedia Sverige"), region=region("SE"))
    StewardshipFactory(entity=EntityFactory(key="wmmx", name="Wikimedia México"), region=region("419"))
    StewardshipFactory(entity=EntityFactory(key="wmgh", name="Wikimedia Ghana"), region=region("GH"))


def test_a_theme_only_world_steward_no_longer_covers_every_region_and_regional_stewards_show() -> None:
    _art_feminism_and_regional_stewards()
    matrix = coverage_of("region")
    europe = matrix.coverage.cell("glam", "150")
    assert (europe.state, europe.why, europe.stewards) == ("partial", "theme", ())
    assert europe.partial_stewards == ("art-feminism", "wmse")
    assert matrix.coverage.cell("glam", "002").partial_stewards == ("art-feminism", "wmgh")
    subregions = coverage_of("subregion").coverage
    assert subregions.cell("glam", "419").stewards == ("wmmx",)
    assert "art-feminism" not in {single.entity for single in subregions.single_steward}
    assert subregions.cell("glam", "154").partial_stewards == ("art-feminism", "wmse")


def test_the_matrix_can_be_narrowed_to_a_theme(client: Client) -> None:
    _art_feminism_and_regional_stewards()
    gender = coverage_of("region", theme("gender_gap")).coverage
    assert gender.cell("glam", "150").stewards == ("art-feminism",)
    assert gender.cell("glam", "019").stewards == ("art-feminism",)
    page = client.get(reverse("matrix"), {"level": "region", "theme": "gender_gap"}).content.decode()
    assert 'data-cell="glam-150" data-state="covered"' in page
    assert 'href="/matrix/glam/150/?theme=gender_gap"' in page
    plain = client.get(reverse("matrix"), {"level": "region"}).content.decode()
    assert 'data-cell="glam-150" data-state="partial"' in plain


def test_the_three_states_are_told_in_words_and_glyphs_not_colour_alone(client: Client) -> None:
    _art_feminism_and_regional_stewards()
    page = client.get(reverse("matrix"), {"level": "subregion"}).content.decode()
    assert "partly covered: only some themes" in page
    assert "stewards: a gap" in page
    assert "steward covers it" in page
    assert all(glyph in page for glyph in "●◐○")


def test_an_unknown_theme_is_said_and_the_matrix_shows_every_theme(client: Client) -> None:
    response = client.get(reverse("matrix"), {"theme": "nosuchtheme"})
    assert response.status_code == 200
    assert "There is no theme “nosuchtheme”" in response.content.decode()
    assert response.context["matrix"].theme is None


def test_a_cell_page_lists_whole_partial_and_theme_only_stewards_apart(client: Client) -> None:
    _art_feminism_and_regional_stewards()
    StewardshipFactory(entity=EntityFactory(key="wmuk", name="Wikimedia UK"), region=region("150"))
    detail = matrix_cell("glam", "154")
    assert detail is not None
    assert [s.entity_name for s in detail.stewards] == ["Wikimedia UK"]
    assert [s.entity_name for s in detail.inside] == ["Wikimedia Sverige"]
    assert [s.entity_name for s in detail.themed] == ["Art+Feminism"]
    page = client.get(reverse("matrix_cell", args=["glam", "154"])).content.decode()
    whole, rest = page.split('id="inside-title"')
    part, theme_only = rest.split('id="themed-title"')
    assert "Wikimedia UK" in whole
    assert "Wikimedia Sverige" not in whole
    assert "Wikimedia Sverige" in part
    assert "Art+Feminism" not in part
    assert "Art+Feminism" in theme_only.split('id="gaps-title"')[0]


def test_a_country_cell_page_answers_with_its_stewards(client: Client) -> None:
    _art_feminism_and_regional_stewards()
    detail = matrix_cell("glam", "BR")
    assert detail is not None
    assert [s.entity_key for s in detail.stewards] == ["wmmx"]
    assert client.get(reverse("matrix_cell", args=["glam", "BR"])).status_code == 200


def test_the_matrix_shows_a_coverage_map_of_the_chosen_type_drawn_on_the_server(client: Client) -> None:
    StewardshipFactory(type=ptype("education"), region=region("154"), status="active")
    body = client.get("/matrix/", {"level": "subregion", "map": "education"}).content.decode()
    assert '<svg viewBox="0 0 1000.0 486.7" width="1000.0" height="486.7" role="img"' in body
    assert "Where Education partnerships have a steward" in body
    assert '<g class="pn-map-one"><title>Northern Europe: 1 steward</title><path d="M' in body
    assert '<g class="pn-map-none"><title>Sub-Saharan Africa: 0 stewards</title>' in body
    french = client.get(
        "/matrix/", {"level": "subregion", "map": "education"}, headers={"accept-language": "fr"}
    ).content.decode()
    assert "<title>Europe du Nord" in french


@pytest.mark.parametrize("language", ["ar", "de", "fr", "pt-br"])
def test_the_maps_geometry_is_not_localised_like_a_number(client: Client, language: str) -> None:
    body = client.get("/matrix/", {"map": "glam"}, headers={"accept-language": language}).content.decode()
    assert 'viewBox="0 0 1000.0 486.7" width="1000.0" height="486.7"' in body
