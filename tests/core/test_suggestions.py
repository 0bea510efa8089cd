"""Ranking candidates for a coverage gap, each with its reasons."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnernet.core.regions import RegionTree
from partnernet.core.suggestions import Candidate, region_distance, suggest

TREE = RegionTree(
    parents={
        "150": "001",
        "154": "150",
        "155": "150",
        "SE": "154",
        "DE": "155",
        "002": "001",
        "202": "002",
        "011": "202",
        "GH": "011",
    }
)


def test_region_inside_the_cell_is_distance_zero_and_neighbours_are_further() -> None:
    assert region_distance(TREE, "154", ["SE"]) == 0
    assert region_distance(TREE, "154", ["155"]) == 2
    assert region_distance(TREE, "154", ["DE", "SE"]) == 0
    assert region_distance(TREE, "154", ["GH"]) == 6
    assert region_distance(TREE, "154", []) is None


def test_free_capacity_comes_first_then_unknown_then_full() -> None:
    candidates = [
        Candidate("full", ("SE",), capacity_left=0),
        Candidate("newcomer", ("SE",)),
        Candidate("far-but-free", ("GH",), capacity_left=3),
    ]
    ranked = suggest("glam", "154", candidates, TREE)
    assert [s.entity for s in ranked] == ["far-but-free", "newcomer", "full"]
    assert [s.rank for s in ranked] == [1, 2, 3]


def test_nearer_region_beats_experience_which_beats_languages() -> None:
    candidates = [
        Candidate("neighbour", ("DE",), frozenset({"sv"}), 2, {"glam": 9}),
        Candidate("local", ("SE",), frozenset(), 2, {}),
        Candidate("local-experienced", ("SE",), frozenset(), 2, {"glam": 1}),
        Candidate("local-speaker", ("SE",), frozenset({"sv"}), 2, {}),
    ]
    ranked = suggest("glam", "154", candidates, TREE, region_languages=["sv", "fi"])
    assert [s.entity for s in ranked] == ["local-experienced", "local-speaker", "local", "neighbour"]


def test_reasons_explain_each_candidate() -> None:
    ranked = suggest(
        "glam",
        "154",
        [Candidate("wmse", ("SE",), frozenset({"sv", "en"}), 4, {"glam": 2, "education": 5})],
        TREE,
        region_languages=["sv"],
    )
    assert ranked[0].to_json() == {
        "rank": 1,
        "entity": "wmse",
        "distance": 0,
        "experience": 2,
        "shared_languages": ["sv"],
        "capacity_left": 4,
        "reasons": [
            {"code": "capacity_left", "value": 4},
            {"code": "same_region", "value": 0},
            {"code": "experience", "value": 2},
            {"code": "shared_languages", "value": ["sv"]},
        ],
    }


def test_current_stewards_are_excluded_and_limit_applies() -> None:
    candidates = [Candidate(f"e{i}", ("SE",), capacity_left=i) for i in range(10)]
    ranked = suggest("glam", "154", candidates, TREE, exclude=["e9"], limit=3)
    assert [s.entity for s in ranked] == ["e8", "e7", "e6"]


def test_unknown_region_and_bad_limit_are_errors() -> None:
    with pytest.raises(ValueError, match="unknown region"):
        suggest("glam", "999", [], TREE)
    with pytest.raises(ValueError, match="limit"):
        suggest("glam", "154", [], TREE, limit=0)


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["SE", "DE", "GH", "154", "002"]),
            st.one_of(st.none(), st.integers(0, 5)),
            st.integers(0, 3),
        ),
        max_size=12,
    )
)
def test_ranking_equals_sorting_everyone_by_the_documented_key(
    rows: list[tuple[str, int | None, int]],
) -> None:
    candidates = [
        Candidate(f"e{i:02d}", (region,), capacity_left=left, experience={"glam": exp})
        for i, (region, left, exp) in enumerate(rows)
    ]

    def key(c: Candidate) -> tuple[int, int, int, int, str]:
        group = 1 if c.capacity_left is None else (0 if c.capacity_left > 0 else 2)
        distance = region_distance(TREE, "154", c.regions)
        assert distance is not None
        return (group, distance, -c.experience["glam"], -(c.capacity_left or 0), c.entity)

    expected = [c.entity for c in sorted(candidates, key=key)][:5]
    assert [s.entity for s in suggest("glam", "154", candidates, TREE)] == expected
