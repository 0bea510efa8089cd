from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from partnernet.framework.selectors import coverage_matrix, matrix_cell
from tests.factories import EntityFactory, StewardshipFactory, SupportRequestFactory, ptype, region

pytestmark = pytest.mark.django_db


def _cell(level: str, type_key: str, code: str) -> Any:
    matrix = coverage_matrix(level)
    for ptype_row, cells in matrix.rows:
        if ptype_row.key == type_key:
            return next(c for c in cells if c.region_code == code)
    raise AssertionError(type_key)


def test_a_world_steward_covers_every_column_and_a_country_steward_covers_none() -> None:
    StewardshipFactory(type=ptype("research"), region=region("001"), entity=EntityFactory(name="Global"))
    StewardshipFactory(type=ptype("media"), region=region("SE"))
    assert all(
        c.entity_count == 1
        for t, cells in coverage_matrix("region").rows
        if t.key == "research"
        for c in cells
    )
    assert _cell("subregion", "media", "154").state == "none"


def test_cell_states_and_over_capacity() -> None:
    one = StewardshipFactory(type=ptype("policy"), region=region("150"), capacity=1)
    assert _cell("region", "policy", "150").state == "one"
    SupportRequestFactory(stewardship=one, steward=one.entity, status="in_progress")
    assert _cell("region", "policy", "150").over_capacity
    StewardshipFactory(type=ptype("policy"), region=region("154"))
    assert _cell("subregion", "policy", "154").state == "several"
    assert _cell("subregion", "policy", "155").state == "one"


def test_cell_detail_lists_stewards_inside_and_gaps_around() -> None:
    StewardshipFactory(
        type=ptype("funding"), region=region("SE"), entity=EntityFactory(name="Swedish funder")
    )
    detail = matrix_cell("funding", "154")
    assert detail is not None
    assert detail.cell.state == "none"
    assert [s.entity_name for s in detail.inside] == ["Swedish funder"]
    assert "039" in {r.code for r in detail.sibling_gaps}


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
