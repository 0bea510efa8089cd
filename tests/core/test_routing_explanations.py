"""Explanations are remembered per stewardship value; the remembered text must never outlive what it says."""

from __future__ import annotations

from partnernet.core.regions import RegionTree
from partnernet.core.routing import ActiveStewardship, RoutingRequest, StewardshipIndex, rank_stewardships


def _tree(nordic_name: str) -> RegionTree:
    return RegionTree.from_rows(
        [
            ("001", None, "World"),
            ("150", "001", "Europe"),
            ("154", "150", nordic_name),
            ("SE", "154", "Sweden"),
        ]
    )


STEWARD = ActiveStewardship(
    key="se-glam",
    entity="wm-se",
    entity_name="Wikimedia Sverige",
    type="glam",
    type_name="GLAM",
    theme=None,
    theme_name=None,
    region="154",
    level="lead",
    capacity=2,
    load=2,
    languages=("sv", "pt-BR"),
)


def _explained(language: str | None, tree: RegionTree) -> str:
    request = RoutingRequest("glam", None, "SE", None, language)
    (candidate,) = rank_stewardships(request, [STEWARD], tree)
    return candidate.explanation


def test_each_language_and_region_name_gets_its_own_explanation_every_time() -> None:
    english, nordic = _tree("Northern Europe"), _tree("Norden")
    for _ in range(2):
        assert _explained("sv", english) == "GLAM lead for Northern Europe, load 2/2, shares sv, at capacity"
        assert (
            _explained("pt", english) == "GLAM lead for Northern Europe, load 2/2, shares pt-BR, at capacity"
        )
        assert _explained("de", english) == "GLAM lead for Northern Europe, load 2/2, at capacity"
        assert _explained(None, english) == "GLAM lead for Northern Europe, load 2/2, at capacity"
        assert _explained("sv", nordic) == "GLAM lead for Norden, load 2/2, shares sv, at capacity"


def test_the_index_and_the_plain_ranking_agree_on_order_cost_and_capacity() -> None:
    tree = _tree("Northern Europe")
    others = [
        ActiveStewardship("a", "e-a", "A", "glam", "GLAM", None, None, "SE", "lead", 3, 3, ()),
        ActiveStewardship("b", "e-b", "B", "glam", "GLAM", None, None, "SE", "supporter", 3, 1, ("sv",)),
        ActiveStewardship("c", "e-c", "C", "glam", "GLAM", None, None, "001", "lead", 0, 0, ()),
    ]
    request = RoutingRequest("glam", None, "SE", None, "sv")
    ranked = rank_stewardships(request, [STEWARD, *others], tree)
    assert ranked == StewardshipIndex.build([STEWARD, *others]).rank(request, tree)
    assert [(c.stewardship, c.at_capacity) for c in ranked] == [
        ("b", False),
        ("a", True),
        ("se-glam", True),
        ("c", True),
    ]
    assert [c.cost for c in ranked] == [2002, 2010, 2100, 6010]
