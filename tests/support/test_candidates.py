"""The routing read: the narrowed, precompiled candidate query must give exactly what the pure ranking gives
over every active stewardship."""

from __future__ import annotations

from typing import Any

import pytest

from partnernet.core.routing import RoutingRequest, rank_stewardships
from partnernet.framework.selectors import region_tree
from partnernet.support import candidates
from partnernet.support.candidates import route_candidates, stewardship_pool
from tests.factories import EntityFactory, StewardshipFactory, SupportRequestFactory, ptype, region, theme


@pytest.fixture
def mixed(db: Any) -> dict[str, Any]:
    """Stewardships of two types, with and without a theme, on several levels of the hierarchy, some loaded,
    one lapsed."""
    made: dict[str, Any] = {}
    specs = [
        ("se-any", "glam", None, "SE", "lead", 2, ["sv"]),
        ("se-heritage", "glam", "cultural_heritage", "SE", "co_lead", 3, ["sv", "en"]),
        ("se-science", "glam", "science", "SE", "lead", 3, []),
        ("no-any", "glam", None, "NO", "lead", 3, ["nb"]),
        ("nordic-any", "glam", None, "154", "supporter", 1, ["en"]),
        ("europe-heritage", "glam", "cultural_heritage", "150", "lead", 4, ["pt-BR"]),
        ("world-any", "glam", None, "001", "lead", 0, []),
        ("world-science", "glam", "science", "001", "co_lead", 5, ["en"]),
        ("de-any", "glam", None, "DE", "lead", 5, []),
        ("se-education", "education", None, "SE", "lead", 5, []),
    ]
    for key, type_key, theme_key, code, level, capacity, languages in specs:
        made[key] = StewardshipFactory(
            key=key,
            entity=EntityFactory(key=f"entity-{key}", name=f"Entity {key}", kind="chapter"),
            type=ptype(type_key),
            theme=theme(theme_key) if theme_key else None,
            region=region(code),
            level=level,
            capacity=capacity,
            languages=languages,
        )
    StewardshipFactory(key="se-lapsed", type=ptype("glam"), region=region("SE"), status="lapsed")
    for status in ("offered", "accepted", "in_progress", "resolved", "open"):
        SupportRequestFactory(stewardship=made["se-any"], status=status, region=region("SE"))
    SupportRequestFactory(stewardship=made["nordic-any"], status="accepted", region=region("NO"))
    return made


REQUESTS = [
    RoutingRequest("glam", None, "SE", None, "sv"),
    RoutingRequest("glam", "cultural_heritage", "SE", None, "en"),
    RoutingRequest("glam", "science", "NO", None, None),
    RoutingRequest("glam", "cultural_heritage", "NO", None, "pt"),
    RoutingRequest("glam", None, "DE", None, "de"),
    RoutingRequest("glam", "sports", "154", None, "en"),
    RoutingRequest("glam", None, "001", None, None),
    RoutingRequest("education", None, "SE", None, None),
    RoutingRequest("research", None, "SE", None, None),
]


@pytest.mark.parametrize("compiled_first", [True, False])
def test_route_candidates_equal_the_pure_ranking_over_every_active_stewardship(
    mixed: dict[str, Any], compiled_first: bool
) -> None:
    """Requests of one shape (same filters, same chain length) reuse one compiled statement with other
    values; each must still read its own candidates, in either order of first use."""
    tree = region_tree()
    everyone = stewardship_pool().stewardships
    candidates._statements.clear()
    for request in REQUESTS if compiled_first else reversed(REQUESTS):
        assert route_candidates(request) == rank_stewardships(request, everyone, tree), request


def test_pool_counts_loads_and_skips_lapsed_and_excluded(mixed: dict[str, Any]) -> None:
    chain = region_tree().chain("SE")
    pool = stewardship_pool(type_key="glam", region_codes=chain)
    loads = {s.key: s.load for s in pool.stewardships}
    assert loads["se-any"] == 3
    assert loads["nordic-any"] == 1
    assert "se-lapsed" not in loads
    assert "se-education" not in loads
    assert pool.ids["se-any"] == (mixed["se-any"].pk, mixed["se-any"].entity_id)
    for left_out in ("se-any", "no-any"):
        excluded = stewardship_pool(
            type_key="glam", region_codes=chain, exclude_ids=[mixed[left_out].pk]
        ).stewardships
        assert {s.key for s in excluded} == set(loads) - {left_out}


def test_pool_for_a_theme_keeps_any_theme_and_that_theme_only(mixed: dict[str, Any]) -> None:
    pool = stewardship_pool(
        type_key="glam", theme_key="cultural_heritage", region_codes=region_tree().chain("SE")
    )
    assert {s.key for s in pool.stewardships} == {
        "se-any",
        "se-heritage",
        "nordic-any",
        "europe-heritage",
        "world-any",
    }


def test_an_empty_region_chain_reads_nothing(mixed: dict[str, Any]) -> None:
    assert stewardship_pool(type_key="glam", region_codes=[]).stewardships == []


def test_a_changed_load_is_read_again_not_served_from_the_row_cache(mixed: dict[str, Any]) -> None:
    request = RoutingRequest("glam", None, "SE", None, "sv")
    before = {c.stewardship: c for c in route_candidates(request)}
    SupportRequestFactory(stewardship=mixed["world-science"], status="offered", region=region("NO"))
    after = {c.stewardship: c for c in route_candidates(request)}
    assert (before["world-science"].load, after["world-science"].load) == (0, 1)
    assert after["world-science"].explanation.endswith("worldwide, load 1/5")
