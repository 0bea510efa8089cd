"""The coverage matrix is kept while its rows are unchanged, and shows every change on the next read: a new
stewardship, one that lapses, a load that reaches capacity, a steward renamed."""

from __future__ import annotations

import pytest

from partnernet.base.versions import forget
from partnernet.core.coverage import MatrixCell
from partnernet.framework.coverage import Matrix, coverage_of, stewards_now
from partnernet.framework.models import Stewardship
from tests.factories import EntityFactory, StewardshipFactory, SupportRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh() -> None:
    forget()


def cell(matrix: Matrix, type_key: str = "glam", region: str = "154") -> MatrixCell:
    return next(c for _, cells in matrix.rows for c in cells if c.type == type_key and c.region == region)


def test_unchanged_rows_give_the_same_matrix_and_any_write_a_new_one() -> None:
    steward = EntityFactory(name="First steward")
    held = StewardshipFactory(entity=steward, capacity=1)
    first = coverage_of()
    assert coverage_of() is first
    assert cell(first).count == 1

    StewardshipFactory(entity=EntityFactory(name="Second steward"))
    second = coverage_of()
    assert cell(second).count == 2

    SupportRequestFactory(steward=steward, stewardship=held, status="accepted")
    assert cell(coverage_of()).over_capacity

    steward.name = "Renamed steward"
    steward.save()
    assert "Renamed steward" in coverage_of().names.values()

    held.status = Stewardship.Status.LAPSED
    held.save()
    assert cell(coverage_of()).count == 1


def test_every_level_and_theme_starts_from_one_kept_list_of_stewards() -> None:
    held = StewardshipFactory(entity=EntityFactory(name="Steward"), capacity=1)
    stewards = stewards_now()
    assert stewards_now() is stewards
    coverage_of(level="region")
    coverage_of(level="subregion")
    assert stewards_now() is stewards
    assert [(s.key, s.load) for s in stewards] == [(held.key, 0)]

    SupportRequestFactory(steward=held.entity, stewardship=held, status="accepted")
    renewed = stewards_now()
    assert renewed is not stewards
    assert [(s.key, s.load) for s in renewed] == [(held.key, 1)]
    assert cell(coverage_of(level="subregion")).over_capacity
