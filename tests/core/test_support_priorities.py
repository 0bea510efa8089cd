"""Ranking open needs by their effect on the network."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from partnernet.core.support_priorities import NeedFacts, rank_needs, tier


def test_the_only_steward_of_several_cells_ranks_first_then_weeks_at_capacity() -> None:
    ranked = rank_needs(
        [
            NeedFacts("urgent-but-ordinary", "a", urgency=3),
            NeedFacts("full-for-weeks", "b", weeks_at_capacity=6),
            NeedFacts(
                "sole-for-three", "c", sole_cells=[("glam", "011"), ("glam", "014"), ("education", "011")]
            ),
            NeedFacts("sole-for-one", "d", sole_cells=[("glam", "154")]),
        ]
    )
    assert [r.key for r in ranked] == [
        "sole-for-three",
        "full-for-weeks",
        "sole-for-one",
        "urgent-but-ordinary",
    ]
    assert [r.rank for r in ranked] == [1, 2, 3, 4]
    assert ranked[0].reasons[0] == ("only_steward", {"cells": 3, "which": [("glam", "011"), ("glam", "014"),
                                                                         ("education", "011")]})  # fmt: skip


facts = st.builds(
    NeedFacts,
    key=st.text("abcdef", min_size=1, max_size=4),
    entity=st.sampled_from(["a", "b", "c"]),
    urgency=st.integers(0, 3),
    missing=st.floats(0, 1),
    sole_cells=st.lists(
        st.tuples(st.sampled_from(["glam", "education"]), st.sampled_from(["011", "154"])),
        max_size=3,
        unique=True,
    ),
    weeks_at_capacity=st.one_of(st.none(), st.integers(0, 30)),
)


@settings(deadline=None)
@given(st.lists(facts, max_size=12))
def test_tiers_never_go_up_down_the_ranking(needs: list[NeedFacts]) -> None:
    ranked = rank_needs(needs)
    tiers = [r.tier for r in ranked]
    assert tiers == sorted(tiers, reverse=True)
    assert sorted(r.key for r in ranked) == sorted(n.key for n in needs)
    assert {tier(n) for n in needs} == set(tiers)
