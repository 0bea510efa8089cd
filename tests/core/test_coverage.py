"""The type x region coverage matrix over a small M49 tree, and its three states against a brute force."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnernet.core.coverage import (
    CoverageGap,
    PartialCell,
    SingleSteward,
    StewardshipCell,
    cell_coverage,
    coverage_matrix,
)
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


def test_matrix_counts_the_entities_covering_each_whole_cell() -> None:
    coverage = coverage_matrix(TYPES, COLUMNS, TREE, STEWARDSHIPS)
    assert coverage.stewards == (
        (0, 0, 1, 0, 0, 0, 0),
        (0, 0, 0, 0, 1, 2, 1),
        (1, 1, 1, 1, 1, 1, 1),
    )
    assert (coverage.cells, coverage.covered, len(coverage.partial), len(coverage.gaps)) == (21, 11, 3, 7)


def test_three_states_of_the_cells() -> None:
    coverage = coverage_matrix(TYPES, COLUMNS, TREE, STEWARDSHIPS)
    assert [[cell.state for cell in row] for row in coverage.rows] == [
        ["partial", "partial", "covered", "gap", "gap", "gap", "gap"],
        ["gap", "gap", "gap", "partial", "covered", "covered", "covered"],
        ["covered"] * 7,
    ]


def test_gaps_are_cells_nobody_serves_in_any_part() -> None:
    coverage = coverage_matrix(TYPES, COLUMNS, TREE, STEWARDSHIPS)
    assert coverage.gaps == (
        CoverageGap("glam", "002"),
        CoverageGap("glam", "011"),
        CoverageGap("glam", "GH"),
        CoverageGap("glam", "KE"),
        CoverageGap("education", "150"),
        CoverageGap("education", "154"),
        CoverageGap("education", "SE"),
    )


def test_a_theme_only_stewardship_of_a_whole_region_leaves_its_cells_partly_covered() -> None:
    europe = coverage_matrix(TYPES, COLUMNS, TREE, STEWARDSHIPS).cell("glam", "150")
    assert (europe.state, europe.why, europe.stewards) == ("partial", "theme", ())
    assert europe.partial_stewards == ("wmde", "wmse")
    assert [c.entity for c in europe.themed] == ["wmde"]
    assert [c.entity for c in europe.inside] == ["wmse"]


def test_stewards_of_part_of_a_region_leave_it_partly_covered_for_the_region() -> None:
    africa = coverage_matrix(["education"], ["002"], TREE, STEWARDSHIPS).cell("education", "002")
    assert (africa.state, africa.why) == ("partial", "region")
    assert africa.partial_stewards == ("afrika", "wmgh", "wmke")
    assert coverage_matrix(TYPES, COLUMNS, TREE, STEWARDSHIPS).partial == (
        PartialCell("glam", "150", ("wmde", "wmse"), "theme"),
        PartialCell("glam", "154", ("wmde", "wmse"), "theme"),
        PartialCell("education", "002", ("afrika", "wmgh", "wmke"), "region"),
    )


def test_a_cell_of_one_theme_is_covered_by_that_themes_steward_and_ignores_other_themes() -> None:
    heritage = coverage_matrix(TYPES, COLUMNS, TREE, STEWARDSHIPS, theme="cultural_heritage")
    assert heritage.cell("glam", "154").stewards == ("wmde",)
    assert heritage.cell("glam", "SE").stewards == ("wmde", "wmse")
    science = coverage_matrix(TYPES, COLUMNS, TREE, STEWARDSHIPS, theme="science")
    assert science.cell("glam", "154").state == "partial"  # Sweden's any-theme steward; nobody for the rest
    assert science.cell("glam", "154").why == "region"
    assert science.cell("glam", "002").state == "gap"
    climate_only = coverage_matrix(["open_data"], ["GH"], TREE, [STEWARDSHIPS[6]], theme="health")
    assert climate_only.cell("open_data", "GH").state == "gap"


def test_single_steward_cells_name_their_one_entity() -> None:
    coverage = coverage_matrix(TYPES, COLUMNS, TREE, STEWARDSHIPS)
    assert coverage.single_steward == (
        SingleSteward("glam", "SE", "wmse"),
        SingleSteward("education", "011", "afrika"),
        SingleSteward("education", "KE", "afrika"),
        *(SingleSteward("open_data", code, "wmf") for code in COLUMNS),
    )


def test_world_steward_covers_every_column_and_two_cells_of_one_entity_stay_single() -> None:
    coverage = coverage_matrix(["open_data"], COLUMNS, TREE, STEWARDSHIPS)
    assert coverage.gaps == ()
    assert [single.entity for single in coverage.single_steward] == ["wmf"] * len(COLUMNS)


def test_a_steward_of_a_country_does_not_cover_its_region_but_serves_part_of_it() -> None:
    coverage = coverage_matrix(["glam"], ["154", "NO"], TREE, [StewardshipCell("wmse", "glam", None, "SE")])
    assert coverage.gaps == (CoverageGap("glam", "NO"),)
    assert coverage.partial == (PartialCell("glam", "154", ("wmse",), "region"),)


def test_stewards_of_every_country_do_not_add_up_to_covering_the_region() -> None:
    both = [StewardshipCell("wmse", "glam", None, "SE"), StewardshipCell("wmno", "glam", None, "NO")]
    assert coverage_matrix(["glam"], ["154"], TREE, both).cell("glam", "154").state == "partial"


def test_cell_coverage_answers_for_any_region_as_the_matrix_does() -> None:
    nigeria = cell_coverage("education", "NG", TREE, STEWARDSHIPS)
    assert (nigeria.state, nigeria.stewards) == ("covered", ("afrika",))
    assert cell_coverage("glam", "154", TREE, STEWARDSHIPS) == coverage_matrix(
        ["glam"], ["154"], TREE, STEWARDSHIPS
    ).cell("glam", "154")
    with pytest.raises(ValueError, match="unknown region 'XX'"):
        cell_coverage("glam", "XX", TREE, [])


def test_over_capacity_looks_at_the_covering_stewardships_only() -> None:
    full = StewardshipCell("wmse", "glam", None, "SE", ref=1, at_capacity=True)
    themed = StewardshipCell("wmde", "glam", "science", "150", ref=2, at_capacity=True)
    assert coverage_matrix(["glam"], ["SE"], TREE, [full]).cell("glam", "SE").over_capacity
    assert not coverage_matrix(["glam"], ["154"], TREE, [full, themed]).cell("glam", "154").over_capacity


def test_to_json_has_the_keys_of_analyze() -> None:
    coverage = coverage_matrix(["glam"], ["154", "SE", "GH"], TREE, STEWARDSHIPS)
    assert coverage.to_json() == {
        "cells": 3,
        "covered": 1,
        "gaps": [{"type": "glam", "region": "GH"}],
        "partial": [{"type": "glam", "region": "154", "entities": ["wmde", "wmse"], "why": "theme"}],
        "single_steward": [{"type": "glam", "region": "SE", "entity": "wmse"}],
    }


def test_empty_matrix() -> None:
    coverage = coverage_matrix([], [], TREE, [])
    assert coverage.to_json() == {"cells": 0, "covered": 0, "gaps": [], "partial": [], "single_steward": []}


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


# ---- Property tests: the rule against a brute force over sets of places, on small random trees ----------

Situation = tuple[RegionTree, list[str], list[str], list[StewardshipCell], str | None]


@st.composite
def region_trees(draw: st.DrawFn) -> RegionTree:
    """A random tree of up to 12 regions under the world: each region's parent is the world or an earlier
    region, so every shape (a chain, a star, anything between) can come up."""
    size = draw(st.integers(min_value=0, max_value=12))
    parents = {f"r{i}": draw(st.sampled_from([WORLD, *(f"r{j}" for j in range(i))])) for i in range(size)}
    return RegionTree(parents=parents)


@st.composite
def situations(draw: st.DrawFn) -> Situation:
    tree = draw(region_trees())
    codes = [WORLD, *tree.parents]
    columns = draw(st.lists(st.sampled_from(codes), unique=True, max_size=8))
    types = draw(st.lists(st.sampled_from(["glam", "education"]), unique=True))
    cells = st.builds(
        StewardshipCell,
        entity=st.sampled_from(["a", "b", "c", "d"]),
        type=st.sampled_from(["glam", "education", "media"]),
        theme=st.sampled_from([None, "science", "climate"]),
        region=st.none() | st.sampled_from(codes),
    )
    stewardships = draw(st.lists(cells, max_size=15))
    theme = draw(st.sampled_from([None, "science"]))
    return tree, columns, types, stewardships, theme


def places(tree: RegionTree, code: str) -> frozenset[str]:
    """Every region inside ``code``, itself included, found walking down from it (not up chains)."""
    children: dict[str, list[str]] = {}
    for child, parent in tree.parents.items():
        children.setdefault(parent, []).append(child)
    found, todo = {code}, [code]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return frozenset(found)


def brute_force(
    tree: RegionTree, kind: str, code: str, stewardships: list[StewardshipCell], theme: str | None
) -> tuple[str, str | None, set[str], set[str]]:
    """(state, why, entities covering the whole cell, entities serving a part) from the definitions, with
    areas as sets of places: covering is containing every place of the cell, serving a part is sharing one."""
    cell = places(tree, code)
    full: set[str] = set()
    part: set[str] = set()
    for_one_theme = False
    for s in stewardships:
        area = places(tree, s.region or WORLD)
        every_theme = s.theme is None or s.theme == theme
        if s.type != kind or not area & cell or (theme is not None and not every_theme):
            continue
        if cell <= area and every_theme:
            full.add(s.entity)
        else:
            part.add(s.entity)
            for_one_theme |= cell <= area
    if full:
        return "covered", None, full, part
    if part:
        return "partial", "theme" if for_one_theme else "region", full, part
    return "gap", None, full, part


@given(situations())
def test_matrix_matches_a_brute_force_over_sets_of_places(situation: Situation) -> None:
    tree, columns, types, stewardships, theme = situation
    coverage = coverage_matrix(types, columns, tree, stewardships, theme=theme)
    gaps: list[CoverageGap] = []
    partial: list[PartialCell] = []
    singles: list[SingleSteward] = []
    covered = 0
    for kind in types:
        for code in columns:
            state, why, full, part = brute_force(tree, kind, code, stewardships, theme)
            cell = coverage.cell(kind, code)
            assert (cell.state, cell.why, set(cell.stewards)) == (state, why, full)
            assert cell == cell_coverage(kind, code, tree, stewardships, theme=theme)
            if state == "gap":
                gaps.append(CoverageGap(kind, code))
            elif state == "partial":
                partial.append(PartialCell(kind, code, tuple(sorted(part)), why or ""))
            else:
                covered += 1
                if len(full) == 1:
                    singles.append(SingleSteward(kind, code, next(iter(full))))
    assert coverage.gaps == tuple(gaps)
    assert coverage.partial == tuple(partial)
    assert coverage.single_steward == tuple(singles)
    assert coverage.covered == covered
    assert coverage.covered + len(coverage.partial) + len(coverage.gaps) == coverage.cells


@given(situations())
def test_narrowing_to_a_theme_never_loses_a_covering_steward(situation: Situation) -> None:
    """A steward of every theme covers each theme's cell too: narrowing can only add covering entities."""
    tree, columns, types, stewardships, _ = situation
    every = coverage_matrix(types, columns, tree, stewardships)
    science = coverage_matrix(types, columns, tree, stewardships, theme="science")
    for row_every, row_science in zip(every.rows, science.rows, strict=True):
        for cell, narrowed in zip(row_every, row_science, strict=True):
            assert set(cell.stewards) <= set(narrowed.stewards)
