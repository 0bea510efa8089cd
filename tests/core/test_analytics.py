"""The analytics report: graph, support, load and coverage figures assembled as ``analyze --json``."""

from __future__ import annotations

import json

import pytest

from partnernet.core.analytics import StewardshipLoad, analyze, network_figures
from partnernet.core.coverage import StewardshipCell
from partnernet.core.regions import RegionTree

TREE = RegionTree(parents={"150": "001", "154": "150", "SE": "154", "002": "001", "202": "002", "GH": "202"})
ANALYZE_KEYS = [
    "entities",
    "edges",
    "degree_centralization",
    "betweenness_centralization",
    "top1_share",
    "top3_share",
    "hhi",
    "gini",
    "coverage",
    "over_capacity",
]


def star(n: int) -> list[tuple[str, str]]:
    return [("hub", f"leaf{i}") for i in range(1, n)]


def star_entities(n: int) -> list[str]:
    return ["hub", *(f"leaf{i}" for i in range(1, n))]


def test_empty_instance_reports_counts_of_zero_and_no_figures() -> None:
    report = analyze(
        entities=[],
        edges=[],
        support_handled={},
        loads=[],
        types=[],
        regions=[],
        tree=TREE,
        stewardships=[],
    )
    assert report.to_json() == {
        "entities": 0,
        "edges": 0,
        "degree_centralization": None,
        "betweenness_centralization": None,
        "top1_share": None,
        "top3_share": None,
        "hhi": None,
        "gini": None,
        "coverage": {"cells": 0, "covered": 0, "gaps": [], "partial": [], "single_steward": []},
        "over_capacity": [],
    }


def test_report_has_exactly_the_analyze_keys_in_order_and_is_json() -> None:
    report = analyze(
        entities=star_entities(5),
        edges=star(5),
        support_handled={"hub": 6, "leaf1": 2},
        loads=[StewardshipLoad("hub", 3, 10)],
        types=["glam"],
        regions=["SE", "GH"],
        tree=TREE,
        stewardships=[StewardshipCell("hub", "glam", None, "150")],
    )
    document = report.to_json()
    assert list(document) == ANALYZE_KEYS
    assert json.loads(json.dumps(document)) == document
    assert document["degree_centralization"] == 1.0
    assert document["betweenness_centralization"] == 1.0
    assert document["coverage"]["gaps"] == [{"type": "glam", "region": "GH"}]


def test_isolated_entities_are_nodes_and_repeated_ties_count_once() -> None:
    figures = network_figures(
        ["a", "b", "c", "lonely"], [("a", "b"), ("b", "a"), ("a", "b"), ("c", "c")], {}, []
    )
    assert (figures.entities, figures.edges) == (4, 1)


def test_skipping_betweenness_reports_none_and_keeps_the_rest() -> None:
    figures = network_figures(star_entities(6), star(6), {}, [], with_betweenness=False)
    assert figures.betweenness_centralization is None
    assert figures.degree_centralization == 1.0


def test_support_shares_of_top_one_and_top_three() -> None:
    handled = {"hub": 10, "leaf1": 5, "leaf2": 3, "leaf3": 1, "leaf4": 1}
    figures = network_figures(star_entities(5), star(5), handled, [])
    assert (figures.top1_share, figures.top3_share) == (0.5, 0.9)


def test_no_support_handled_means_no_shares() -> None:
    figures = network_figures(star_entities(5), star(5), {"hub": 0}, [])
    assert (figures.top1_share, figures.top3_share) == (None, None)


def test_load_concentration_is_over_entities_summing_their_stewardships() -> None:
    loads = [
        StewardshipLoad("hub", 4, 10),
        StewardshipLoad("hub", 4, 10),
        StewardshipLoad("leaf1", 2, 5),
        StewardshipLoad("leaf2", 0, 5),
    ]
    figures = network_figures(star_entities(5), star(5), {}, loads)
    assert figures.hhi == pytest.approx((64 + 4) / 100)
    assert figures.gini == pytest.approx((2 * (1 * 0 + 2 * 2 + 3 * 8) - 4 * 10) / (3 * 10))


def test_entities_without_stewardship_stay_out_of_load_concentration() -> None:
    figures = network_figures(star_entities(5), star(5), {}, [StewardshipLoad("hub", 5, 10)])
    assert (figures.hhi, figures.gini) == (1.0, 0.0)


def test_no_load_means_no_concentration_figures() -> None:
    figures = network_figures(star_entities(3), star(3), {}, [StewardshipLoad("hub", 0, 4)])
    assert (figures.hhi, figures.gini) == (None, None)


def test_over_capacity_compares_an_entitys_total_load_with_its_total_capacity() -> None:
    loads = [
        StewardshipLoad("hub", 5, 5),
        StewardshipLoad("hub", 0, 5),
        StewardshipLoad("leaf1", 3, 2),
        StewardshipLoad("leaf2", 4, 4),
        StewardshipLoad("leaf3", 0, 0),
        StewardshipLoad("leaf4", 1, 9),
    ]
    figures = network_figures(star_entities(5), star(5), {}, loads)
    assert figures.over_capacity == ("leaf1", "leaf2", "leaf3")


@pytest.mark.parametrize(
    ("handled", "loads", "message"),
    [
        ({"ghost": 1}, [], "unknown entity: 'ghost'"),
        ({"hub": -1}, [], "negative"),
        ({}, [StewardshipLoad("ghost", 1, 1)], "unknown entity: 'ghost'"),
        ({}, [StewardshipLoad("hub", -1, 1)], "negative"),
        ({}, [StewardshipLoad("hub", 1, -1)], "negative"),
    ],
)
def test_bad_input_is_refused(handled: dict[str, int], loads: list[StewardshipLoad], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        network_figures(star_entities(3), star(3), handled, loads)
