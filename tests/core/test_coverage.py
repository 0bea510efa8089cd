"""The type x region coverage matrix over a small M49 tree."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnernet.core.coverage import CoverageGap, SingleSteward, StewardshipCell, coverage_matrix
from partnernet.core.regions import WORLD, RegionTree

TREE = RegionTree(
    parents={
        "150": "001",
        "154": "150",
        "SE": "154",
        "NO": "154",
        "002": "001",
        "202": "002",
        "011": "202",
        "GH": "011",
        "NG": "011",
        "014": "202",
        "KE": "014",
        "019": "001",
        "419": "019",
        "005": "419",
        "BR": "005",
    }
)
TYPES = ["glam", "education", "open_data"]
COLUMNS = ["150", "154", "SE", "002", "011", "GH", "KE"]
STEWARDSHIPS = [
    StewardshipCell(entity="wmse", type="glam", theme=None, region="SE"),
    StewardshipCell(entity="wmde", type="glam", theme="cultural_heritage", region="150"),
    StewardshipCell(entity="wmgh", type="education", theme=None, region="GH"),
    StewardshipCell(entity="wmke", type="education", theme="science", region="KE"),
    StewardshipCell(entity="afrika", type="education", theme=None, region="202"),
    StewardshipCell(entity="wmf", type="open_data", theme=None, region=WORLD),
    StewardshipCell(entity="wmf", type="open_data", theme="climate", region=None),
    StewardshipCell(entity="wmno", type="policy", theme=None, region="NO"),
]


def test_matrix_counts_distinct_stewards_of_each_cell() -> None:
    coverage = coverage_matrix(TYPES, COLUMNS, TREE, STEWARDSHIPS)
    assert coverage.stewards == (
        (1, 1, 2, 0, 0, 0, 0),
        (0, 0, 0, 0, 1, 2, 2),
        (1, 1, 1, 1, 1, 1, 1),
    )
    assert (coverage.cells, coverage.covered) == (21, 13)


def test_gaps_are_cells_no_ancestor_region_steward_covers() -> None:
    coverage = coverage_matrix(TYPES, COLUMNS, TREE, STEWARDSHIPS)
    assert coverage.gaps == (
        CoverageGap("glam", "002"),
        CoverageGap("glam", "011"),
        CoverageGap("glam", "GH"),
        CoverageGap("glam", "KE"),
        CoverageGap("education", "150"),
        CoverageGap("education", "154"),
        CoverageGap("education", "SE"),
        CoverageGap("education", "002"),
    )


def test_single_steward_cells_name_their_one_entity() -> None:
    coverage = coverage_matrix(TYPES, COLUMNS, TREE, STEWARDSHIPS)
    assert coverage.single_steward == (
        SingleSteward("glam", "150", "wmde"),
        SingleSteward("glam", "154", "wmde"),
        SingleSteward("education", "011", "afrika"),
        *(SingleSteward("open_data", code, "wmf") for code in COLUMNS),
    )


def test_world_steward_covers_every_column_and_two_cells_of_one_entity_stay_single() -> None:
    coverage = coverage_matrix(["open_data"], COLUMNS, TREE, STEWARDSHIPS)
    assert coverage.gaps == ()
    assert [single.entity for single in coverage.single_steward] == ["wmf"] * len(COLUMNS)


def test_a_steward_of_a_country_does_not_cover_its_region() -> None:
    coverage = coverage_matrix(["glam"], ["154", "NO"], TREE, [StewardshipCell("wmse", "glam", None, "SE")])
    assert coverage.gaps == (CoverageGap("glam", "154"), CoverageGap("glam", "NO"))


def test_to_json_has_the_keys_of_analyze() -> None:
    coverage = coverage_matrix(["glam"], ["154", "GH"], TREE, STEWARDSHIPS)
    assert coverage.to_json() == {
        "cells": 2,
        "covered": 1,
        "gaps": [{"type": "glam", "region": "GH"}],
        "single_steward": [{"type": "glam", "region": "154", "entity": "wmde"}],
    }


def test_empty_matrix() -> None:
    coverage = coverage_matrix([], [], TREE, [])
    assert coverage.to_json() == {"cells": 0, "covered": 0, "gaps": [], "single_steward": []}


def test_no_stewardships_means_every_cell_is_a_gap() -> None:
    coverage = coverage_matrix(["glam", "media"], ["SE"], TREE, [])
    assert coverage.covered == 0
    assert coverage.gaps == (CoverageGap("glam", "SE"), CoverageGap("media", "SE"))


@pytest.mark.parametrize(
    ("types", "columns", "stewardships", "message"),
    [
        (["glam", "glam"], ["SE"], [], "twice"),
        (["glam"], ["SE", "SE"], [], "twice"),
        (["glam"], ["XX"], [], "unknown region 'XX'"),
        (["glam"], ["SE"], [StewardshipCell("wmse", "glam", None, "ZZ")], "unknown region 'ZZ'"),
    ],
)
def test_bad_input_is_refused(
    types: list[str], columns: list[str], stewardships: list[StewardshipCell], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        coverage_matrix(types, columns, TREE, stewardships)


codes = st.sampled_from([WORLD, *TREE.parents])
cells = st.builds(
    StewardshipCell,
    entity=st.sampled_from(["a", "b", "c", "d"]),
    type=st.sampled_from(["glam", "education", "media"]),
    theme=st.none() | st.just("science"),
    region=st.none() | codes,
)


@given(
    st.lists(codes, unique=True, max_size=8),
    st.lists(st.sampled_from(["glam", "education"]), unique=True),
    st.lists(cells, max_size=15),
)
def test_matrix_matches_brute_force_over_covers(
    columns: list[str], types: list[str], stewardships: list[StewardshipCell]
) -> None:
    coverage = coverage_matrix(types, columns, TREE, stewardships)
    gaps = []
    singles = []
    for kind in types:
        for code in columns:
            entities = {
                cell.entity
                for cell in stewardships
                if cell.type == kind and TREE.covers(cell.region or WORLD, code)
            }
            if not entities:
                gaps.append(CoverageGap(kind, code))
            elif len(entities) == 1:
                singles.append(SingleSteward(kind, code, entities.pop()))
    assert coverage.gaps == tuple(gaps)
    assert coverage.single_steward == tuple(singles)
    assert coverage.covered == len(types) * len(columns) - len(gaps)
