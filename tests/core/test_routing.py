"""Behaviour of support-request routing: who is a candidate, in which order, and how it is explained."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partnernet.core.regions import WORLD, RegionTree
from partnernet.core.routing import (
    LEVELS,
    MAX_COST,
    ActiveStewardship,
    Candidate,
    Cell,
    CostParts,
    MatchClass,
    RoutingRequest,
    StewardshipIndex,
    describe_cost,
    explain,
    preference_cost,
    primary_subtag,
    rank_stewardships,
)

REGIONS = RegionTree.from_rows(
    [
        ("001", None, "World"),
        ("150", "001", "Europe"),
        ("154", "150", "Northern Europe"),
        ("SE", "154", "Sweden"),
        ("NO", "154", "Norway"),
        ("155", "150", "Western Europe"),
        ("DE", "155", "Germany"),
        ("019", "001", "Americas"),
        ("419", "019", "Latin America and the Caribbean"),
        ("005", "419", "South America"),
        ("BR", "005", "Brazil"),
    ]
)
CODES = sorted([*REGIONS.parents, WORLD])


def stewardship(
    key: str,
    *,
    type: str = "glam",
    theme: str | None = None,
    region: str = "154",
    level: str = "lead",
    capacity: int = 10,
    load: int = 0,
    languages: tuple[str, ...] = (),
) -> ActiveStewardship:
    return ActiveStewardship(
        key=key,
        entity=f"entity-{key}",
        entity_name=f"Entity {key}",
        type=type,
        type_name=type.upper() if type == "glam" else type.title(),
        theme=theme,
        theme_name=theme.replace("_", " ").capitalize() if theme else None,
        region=region,
        level=level,
        capacity=capacity,
        load=load,
        languages=languages,
    )


def ranked_keys(request: RoutingRequest, stewardships: list[ActiveStewardship]) -> list[str]:
    return [candidate.stewardship for candidate in rank_stewardships(request, stewardships, REGIONS)]


GLAM_SE = RoutingRequest(type="glam", theme="cultural_heritage", region="SE", need="tools", language="sv")


def test_exact_cell_beats_type_and_region() -> None:
    any_theme = stewardship("a-any-theme", region="SE")
    exact = stewardship("z-exact", theme="cultural_heritage", region="154", level="supporter")
    assert ranked_keys(GLAM_SE, [any_theme, exact]) == ["z-exact", "a-any-theme"]


def test_type_and_region_beats_type_and_theme() -> None:
    type_region = stewardship("z-region", region="150", level="supporter")
    type_theme = stewardship("a-theme", theme="cultural_heritage", region=WORLD)
    assert ranked_keys(GLAM_SE, [type_theme, type_region]) == ["z-region", "a-theme"]


def test_type_and_theme_beats_type_alone() -> None:
    type_alone = stewardship("a-alone", region=WORLD, languages=("sv",))
    type_theme = stewardship("z-theme", theme="cultural_heritage", region=WORLD, level="supporter")
    assert ranked_keys(GLAM_SE, [type_alone, type_theme]) == ["z-theme", "a-alone"]


def test_only_same_type_covering_region_and_matching_theme_are_candidates() -> None:
    stewardships = [
        stewardship("ok-country", region="SE"),
        stewardship("ok-world", region=WORLD),
        stewardship("other-type", type="education", region="SE"),
        stewardship("other-country", region="NO"),
        stewardship("other-subregion", region="155"),
        stewardship("other-theme", theme="science", region="SE"),
    ]
    assert sorted(ranked_keys(GLAM_SE, stewardships)) == ["ok-country", "ok-world"]
    request_in_subregion = dataclasses.replace(GLAM_SE, region="154")
    assert ranked_keys(request_in_subregion, stewardships) == ["ok-world"]


def test_no_candidate_gives_an_empty_ranking() -> None:
    assert rank_stewardships(GLAM_SE, [stewardship("x", type="education")], REGIONS) == []


def test_fewer_steps_up_the_hierarchy_rank_first() -> None:
    stewardships = [stewardship("a-europe", region="150"), stewardship("b-sweden", region="SE")]
    stewardships.append(stewardship("c-northern", region="154"))
    assert ranked_keys(GLAM_SE, stewardships) == ["b-sweden", "c-northern", "a-europe"]


def test_shared_language_compares_primary_subtags_case_insensitively() -> None:
    request = RoutingRequest(type="glam", theme=None, region="BR", language="pt-BR")
    stewardships = [stewardship("a-english", region="005", languages=("en",))]
    stewardships.append(stewardship("b-portuguese", region="005", level="supporter", languages=("en", "PT")))
    assert ranked_keys(request, stewardships) == ["b-portuguese", "a-english"]
    assert primary_subtag("pt-BR") == primary_subtag("PT") == "pt"


def test_region_distance_outranks_shared_language() -> None:
    far = stewardship("a-europe", region="150", languages=("sv",))
    near = stewardship("b-sweden", region="SE", languages=("en",))
    assert ranked_keys(GLAM_SE, [far, near]) == ["b-sweden", "a-europe"]


def test_lead_before_co_lead_before_supporter() -> None:
    stewardships = [stewardship(f"{level}-x", level=level) for level in ("supporter", "lead", "co_lead")]
    assert ranked_keys(GLAM_SE, stewardships) == ["lead-x", "co_lead-x", "supporter-x"]


def test_shared_language_outranks_level() -> None:
    lead = stewardship("a-lead", languages=("en",))
    supporter = stewardship("b-supporter", level="supporter", languages=("sv",))
    assert ranked_keys(GLAM_SE, [lead, supporter]) == ["b-supporter", "a-lead"]


def test_lower_load_ratio_ranks_first() -> None:
    busy = stewardship("a-busy", capacity=4, load=3)
    calm = stewardship("b-calm", capacity=10, load=5)
    assert ranked_keys(GLAM_SE, [busy, calm]) == ["b-calm", "a-busy"]


def test_steward_at_capacity_only_when_nobody_else() -> None:
    full_exact_lead = stewardship("a-full", theme="cultural_heritage", region="SE", capacity=3, load=3)
    free_global_supporter = stewardship("b-free", region=WORLD, level="supporter", capacity=1, load=0)
    ranking = rank_stewardships(GLAM_SE, [full_exact_lead, free_global_supporter], REGIONS)
    assert [c.stewardship for c in ranking] == ["b-free", "a-full"]
    assert [c.at_capacity for c in ranking] == [False, True]
    assert [c.stewardship for c in rank_stewardships(GLAM_SE, [full_exact_lead], REGIONS)] == ["a-full"]


def test_zero_capacity_counts_as_at_capacity_and_most_loaded() -> None:
    zero = stewardship("a-zero", capacity=0, load=0)
    over = stewardship("b-over", capacity=2, load=5)
    ranking = rank_stewardships(GLAM_SE, [zero, over], REGIONS)
    assert [(c.stewardship, c.at_capacity) for c in ranking] == [("b-over", True), ("a-zero", True)]


def test_ties_break_by_stewardship_key() -> None:
    stewardships = [stewardship(key, capacity=4, load=1) for key in ("m", "b", "z", "a")]
    assert ranked_keys(GLAM_SE, stewardships) == ["a", "b", "m", "z"]


def test_request_without_theme_prefers_any_theme_stewardships_within_a_class() -> None:
    request = RoutingRequest(type="glam", theme=None, region="SE")
    specialist_here = stewardship("a-specialist", theme="science", region="SE")
    generalist_far = stewardship("b-generalist", region="150", level="supporter")
    generalist_world = stewardship("c-world", region=WORLD)
    specialist_world = stewardship("d-world-specialist", theme="science", region=WORLD)
    ranking = ranked_keys(request, [specialist_world, generalist_world, specialist_here, generalist_far])
    assert ranking == ["b-generalist", "a-specialist", "c-world", "d-world-specialist"]


def test_candidate_carries_rank_cell_load_and_cost() -> None:
    steward = stewardship("glam-nordic", region="154", capacity=10, load=3, languages=("sv", "en"))
    [candidate] = rank_stewardships(GLAM_SE, [steward], REGIONS)
    assert candidate == Candidate(
        rank=1,
        stewardship="glam-nordic",
        entity="entity-glam-nordic",
        entity_name="Entity glam-nordic",
        level="lead",
        cell=Cell(type="glam", theme=None, region="154"),
        load=3,
        capacity=10,
        at_capacity=False,
        cost=2100,
        explanation="GLAM lead for Northern Europe, load 3/10, shares sv",
    )


def test_explanation_names_theme_worldwide_and_capacity() -> None:
    request = RoutingRequest(type="glam", theme="cultural_heritage", region="BR", language="pt-BR")
    steward = stewardship(
        "w",
        theme="cultural_heritage",
        region=WORLD,
        level="co_lead",
        capacity=2,
        load=2,
        languages=("pt-PT",),
    )
    expected = "GLAM (Cultural heritage) co-lead worldwide, load 2/2, shares pt-PT, at capacity"
    assert rank_stewardships(request, [steward], REGIONS)[0].explanation == expected
    assert explain(steward, request, REGIONS) == expected


def test_limit_keeps_only_the_best_candidates() -> None:
    stewardships = [stewardship(f"s{i:02}", load=i) for i in range(40)]
    best = rank_stewardships(GLAM_SE, stewardships, REGIONS, limit=3)
    assert [(c.rank, c.stewardship) for c in best] == [(1, "s00"), (2, "s01"), (3, "s02")]
    assert rank_stewardships(GLAM_SE, stewardships, REGIONS, limit=0) == []


def test_unknown_request_region_raises_key_error() -> None:
    with pytest.raises(KeyError):
        rank_stewardships(dataclasses.replace(GLAM_SE, region="XX"), [stewardship("a")], REGIONS)


@pytest.mark.parametrize(
    ("changes", "message"),
    [({"level": "boss"}, "unknown level"), ({"capacity": -1}, ">= 0"), ({"load": -2}, ">= 0")],
)
def test_invalid_stewardship_is_rejected(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        dataclasses.replace(stewardship("a"), **changes)


def test_preference_cost_is_none_for_a_non_candidate() -> None:
    assert preference_cost(GLAM_SE, stewardship("a", type="education"), REGIONS) is None
    assert preference_cost(GLAM_SE, stewardship("a", region="NO"), REGIONS) is None
    assert preference_cost(GLAM_SE, stewardship("a", theme="science"), REGIONS) is None


def test_cost_reads_as_its_components() -> None:
    steward = stewardship("a", region="150", level="co_lead", languages=("sv",))
    cost = preference_cost(GLAM_SE, steward, REGIONS)
    assert cost == 2201
    assert CostParts.from_cost(2201) == CostParts(MatchClass.TYPE_REGION, False, 2, True, "co_lead")
    assert describe_cost(2201) == "type and region match, 2 steps up, shares language, co-lead"
    with pytest.raises(ValueError, match="not a routing preference cost"):
        CostParts.from_cost(2203)


# Property tests. The reference order below is written from DESIGN.md's rules directly, without the
# preference cost, so it checks that the cost encodes them faithfully.

TYPES = ("glam", "education")
THEMES = (None, "cultural_heritage", "science")
LANGUAGES = ("sv", "en", "pt-BR", "PT", "de")


@st.composite
def stewardships(draw: st.DrawFn, max_size: int = 25) -> list[ActiveStewardship]:
    size = draw(st.integers(0, max_size))
    return [
        stewardship(
            f"s{index:03}",
            type=draw(st.sampled_from(TYPES)),
            theme=draw(st.sampled_from(THEMES)),
            region=draw(st.sampled_from(CODES)),
            level=draw(st.sampled_from(LEVELS)),
            capacity=draw(st.integers(0, 4)),
            load=draw(st.integers(0, 5)),
            languages=tuple(draw(st.lists(st.sampled_from(LANGUAGES), max_size=2, unique=True))),
        )
        for index in range(size)
    ]


requests = st.builds(
    RoutingRequest,
    type=st.sampled_from(TYPES),
    theme=st.sampled_from(THEMES),
    region=st.sampled_from(CODES),
    language=st.sampled_from((None, "sv", "pt", "en-GB", "fr")),
)


def reference_key(request: RoutingRequest, s: ActiveStewardship) -> tuple[object, ...] | None:
    if s.type != request.type or not REGIONS.covers(s.region, request.region):
        return None
    if s.theme is not None and request.theme is not None and s.theme != request.theme:
        return None
    worldwide = s.region == WORLD
    if s.theme is not None and request.theme is not None:
        match = MatchClass.TYPE_THEME if worldwide else MatchClass.EXACT
    else:
        match = MatchClass.TYPE if worldwide else MatchClass.TYPE_REGION
    theme_not_asked = request.theme is None and s.theme is not None
    steps = 0 if worldwide else REGIONS.steps_up(request.region, s.region)
    wanted = request.language.split("-")[0].lower() if request.language else None
    shares = any(tag.split("-")[0].lower() == wanted for tag in s.languages)
    ratio = s.load / s.capacity if s.capacity else float("inf")
    return (
        s.load >= s.capacity,
        match,
        theme_not_asked,
        steps,
        not shares,
        LEVELS.index(s.level),
        ratio,
        s.key,
    )


@settings(max_examples=200, deadline=None)
@given(request=requests, pool=stewardships())
def test_ranking_follows_the_design_rules(request: RoutingRequest, pool: list[ActiveStewardship]) -> None:
    keyed = [(key, s) for s in pool if (key := reference_key(request, s)) is not None]
    expected = [s.key for _key, s in sorted(keyed, key=lambda pair: pair[0])]
    ranking = rank_stewardships(request, pool, REGIONS)
    assert [c.stewardship for c in ranking] == expected
    assert [c.rank for c in ranking] == list(range(1, len(ranking) + 1))
    by_key = {s.key: s for s in pool}
    for candidate in ranking:
        assert candidate.cost == preference_cost(request, by_key[candidate.stewardship], REGIONS)
        assert 0 <= candidate.cost <= MAX_COST


@settings(max_examples=100, deadline=None)
@given(request=requests, data=st.data(), pool=stewardships())
def test_ranking_is_deterministic_under_input_permutation(
    request: RoutingRequest, data: st.DataObject, pool: list[ActiveStewardship]
) -> None:
    shuffled = data.draw(st.permutations(pool))
    assert rank_stewardships(request, shuffled, REGIONS) == rank_stewardships(request, pool, REGIONS)


@settings(max_examples=100, deadline=None)
@given(request=requests, pool=stewardships(), limit=st.none() | st.integers(0, 30))
def test_index_ranks_like_a_scan(
    request: RoutingRequest, pool: list[ActiveStewardship], limit: int | None
) -> None:
    index = StewardshipIndex.build(pool)
    assert index.rank(request, REGIONS, limit=limit) == rank_stewardships(request, pool, REGIONS, limit=limit)


@settings(max_examples=100, deadline=None)
@given(request=requests, pool=stewardships())
def test_cost_orders_candidates_like_the_ranking_when_loads_are_equal(
    request: RoutingRequest, pool: list[ActiveStewardship]
) -> None:
    same_load = [dataclasses.replace(s, capacity=5, load=1) for s in pool]
    ranking = rank_stewardships(request, same_load, REGIONS)
    assert [c.stewardship for c in ranking] == [c.stewardship for c in sorted(ranking, key=_cost_then_key)]
    for candidate in ranking:
        assert CostParts.from_cost(candidate.cost).cost == candidate.cost


def _cost_then_key(candidate: Candidate) -> tuple[int, str]:
    return candidate.cost, candidate.stewardship
