"""Routing's exclusions: nobody is routed to themselves, and a need that signs in law goes only to an entity
that can."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from partnernet.core.eligibility import LEGAL_NEEDS, NoCandidate, eligible, why_no_candidate
from partnernet.core.routing import ActiveStewardship, RoutingRequest, StewardshipIndex, rank_stewardships
from tests.core.test_routing import REGIONS


def steward(key: str, entity: str, *, legal: bool | None = True, **kwargs: object) -> ActiveStewardship:
    values: dict[str, object] = {
        "type": "glam", "theme": None, "region": "154", "level": "lead", "capacity": 5, "load": 0,
    }  # fmt: skip
    values.update(kwargs)
    return ActiveStewardship(
        key=key, entity=entity, entity_name=entity.title(), type_name="GLAM", theme_name=None,
        legal_identity=legal, **values,  # type: ignore[arg-type]
    )  # fmt: skip


def test_the_requesters_own_stewardship_is_never_a_candidate() -> None:
    own, other = steward("own", "wm-se"), steward("other", "wm-no", level="supporter")
    request = RoutingRequest("glam", None, "SE", need="tools", requester="wm-se")
    assert [c.stewardship for c in rank_stewardships(request, [own, other], REGIONS)] == ["other"]
    assert [c.stewardship for c in StewardshipIndex.build([own, other]).rank(request, REGIONS)] == ["other"]


def test_a_peers_entity_of_the_same_key_is_not_the_requester() -> None:
    peer = steward("peer", "wm-se", entity_ref="wm-se@pn-peer")
    request = RoutingRequest("glam", None, "SE", requester="wm-se")
    assert [c.stewardship for c in rank_stewardships(request, [peer], REGIONS)] == ["peer"]


def test_co_signing_and_fiscal_sponsorship_go_only_to_a_legal_identity() -> None:
    group = steward("group", "user-group", legal=None)
    unknown_no = steward("no", "informal", legal=False)
    chapter = steward("chapter", "wm-se", level="supporter")
    for need in sorted(LEGAL_NEEDS):
        request = RoutingRequest("glam", None, "SE", need=need)
        assert [c.stewardship for c in rank_stewardships(request, [group, unknown_no, chapter], REGIONS)] == [
            "chapter"
        ]
    tools = RoutingRequest("glam", None, "SE", need="tools")
    assert len(rank_stewardships(tools, [group, unknown_no, chapter], REGIONS)) == 3


@given(
    legal=st.sampled_from([True, False, None]),
    need=st.sampled_from(["co_signing", "fiscal_sponsorship", "tools", "letter", None]),
    requester=st.sampled_from(["a", "b", None]),
)
def test_ranking_keeps_exactly_the_eligible_stewardships(
    legal: bool | None, need: str | None, requester: str | None
) -> None:
    candidate = steward("s", "a", legal=legal)
    request = RoutingRequest("glam", None, "SE", need=need, requester=requester)
    assert bool(rank_stewardships(request, [candidate], REGIONS)) == eligible(request, candidate)


def test_the_queue_says_which_rule_left_nobody() -> None:
    request = RoutingRequest("glam", None, "SE", need="co_signing", requester="wm-se")
    assert why_no_candidate(request, [], REGIONS) is NoCandidate.NOBODY_COVERS
    assert (
        why_no_candidate(request, [steward("x", "wm-de", region="155")], REGIONS) is NoCandidate.NOBODY_COVERS
    )
    assert why_no_candidate(request, [steward("own", "wm-se")], REGIONS) is NoCandidate.ONLY_THE_REQUESTER
    unsigned = [steward("own", "wm-se"), steward("group", "group", legal=None)]
    assert why_no_candidate(request, unsigned, REGIONS) is NoCandidate.NO_LEGAL_IDENTITY
