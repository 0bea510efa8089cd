"""Behaviour of the batch rebalance: optimal under capacities, fewest moves on ties, explained moves."""

from __future__ import annotations

import gc
import itertools
from collections import Counter

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partnernet.core.rebalance import Move, RebalanceRequest, RebalanceResult, rebalance
from partnernet.core.routing import QUEUE_PENALTY, describe_cost

PENALTY = 1000


def request(key: str, current: str | None, *candidates: tuple[str, int]) -> RebalanceRequest:
    return RebalanceRequest(key=key, current=current, candidates=candidates)


def test_better_match_wins_the_only_place_where_greedy_would_not() -> None:
    flexible = request("flexible", None, ("a", 0), ("b", 1))
    only_a = request("only-a", None, ("a", 0))
    result = rebalance([flexible, only_a], {"a": 1, "b": 1}, PENALTY)
    assert result.assignment == {"flexible": "b", "only-a": "a"}
    assert result.total_cost == 1
    assert result.unassigned == ()


def test_request_stays_where_it_is_when_costs_tie() -> None:
    requests = [request(f"r{i}", "b", ("a", 5), ("b", 5)) for i in range(3)]
    result = rebalance(requests, {"a": 3, "b": 3}, PENALTY)
    assert result.assignment == {"r0": "b", "r1": "b", "r2": "b"}
    assert result.moves == ()


def test_tie_break_never_costs_optimality() -> None:
    requests = [request(f"r{i}", "b", ("a", 4), ("b", 5)) for i in range(3)]
    result = rebalance(requests, {"a": 3, "b": 3}, PENALTY)
    assert set(result.assignment.values()) == {"a"}
    assert result.total_cost == 12


def test_only_as_many_requests_leave_an_over_full_stewardship_as_needed() -> None:
    requests = [request(f"r{i}", "a", ("a", 1), ("b", 1)) for i in range(5)]
    result = rebalance(requests, {"a": 2, "b": 10}, PENALTY)
    assert Counter(result.assignment.values()) == {"a": 2, "b": 3}
    assert len(result.moves) == 3
    assert all("a (cost 1) is over capacity (5 requests for 2 places)" in m.reason for m in result.moves)


def test_request_goes_to_the_facilitators_queue_when_nobody_has_room() -> None:
    result = rebalance([request("r1", None, ("a", 0)), request("r2", None, ("a", 3))], {"a": 1}, PENALTY)
    assert result.assignment == {"r1": "a", "r2": None}
    assert result.unassigned == ("r2",)
    assert result.total_cost == PENALTY
    assert result.moves[0].to_stewardship == "a"


def test_request_without_candidates_stays_in_the_queue_without_a_move() -> None:
    result = rebalance([request("r1", None)], {"a": 1}, PENALTY)
    assert result.assignment == {"r1": None}
    assert result.moves == ()


def test_requests_of_a_lapsed_stewardship_move_with_a_reason() -> None:
    requests = [request("r1", "lapsed", ("b", 2)), request("r2", "lapsed")]
    result = rebalance(requests, {"b": 1}, PENALTY)
    assert result.assignment == {"r1": "b", "r2": None}
    assert result.moves == (
        Move("r1", "lapsed", "b", None, 2, "lapsed is no longer available; now b (cost 2)"),
        Move(
            "r2",
            "lapsed",
            None,
            None,
            None,
            "lapsed is no longer available; it has no candidate left, so it goes to the facilitators' queue",
        ),
    )


def test_request_leaves_a_stewardship_that_is_no_longer_its_candidate() -> None:
    result = rebalance([request("r1", "a", ("b", 7))], {"a": 5, "b": 5}, PENALTY)
    assert result.moves[0].reason == "a is no longer a candidate for it; now b (cost 7)"


def test_move_reasons_use_the_routing_cost_components() -> None:
    requests = [request("r1", "a", ("a", 2010), ("b", 12)), request("r2", None, ("a", 0))]
    result = rebalance(requests, {"a": 1, "b": 1}, QUEUE_PENALTY, describe=describe_cost)
    reasons = {move.request: move.reason for move in result.moves}
    assert reasons == {
        "r1": "better match than a (type and region match, lead, cost 2010); "
        "now b (exact cell match, supporter, cost 12)",
        "r2": "assigned to a (exact cell match, shares language, lead, cost 0)",
    }


def test_request_making_room_for_a_better_matched_one_is_told_so() -> None:
    requests = [request("r1", "a", ("a", 1), ("b", 2)), request("r2", None, ("a", 1), ("c", 9))]
    result = rebalance(requests, {"a": 1, "b": 1, "c": 1}, PENALTY)
    assert result.assignment == {"r1": "b", "r2": "a"}
    assert result.moves[0].reason == "a (cost 1) is needed by a better-matched request; now b (cost 2)"


def test_negative_residual_capacity_counts_as_zero() -> None:
    result = rebalance([request("r1", "a", ("a", 0))], {"a": -2}, PENALTY)
    assert result.assignment == {"r1": None}


def test_no_requests_give_an_empty_result() -> None:
    assert rebalance([], {"a": 1}, PENALTY) == RebalanceResult({}, 0, (), ())


@pytest.mark.parametrize(
    ("requests", "capacity", "penalty", "message"),
    [
        ([request("r1", None, ("a", 10))], {"a": 1}, 10, "must exceed every candidate cost"),
        ([request("r1", None, ("a", -1))], {"a": 1}, 10, "costs must be >= 0"),
        ([request("r1", None, ("x", 1))], {"a": 1}, 10, "request r1: candidate x has no residual"),
        ([request("r1", None), request("r1", None)], {"a": 1}, 10, "request keys must be unique"),
        ([request("r1", None)], {"a": 1}, 0, "penalty must be > 0"),
        ([request("r1", None, ("a", 1))], {"a": 1}, 2**61, "too large"),
    ],
)
def test_bad_input_is_rejected(
    requests: list[RebalanceRequest], capacity: dict[str, int], penalty: int, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        rebalance(requests, capacity, penalty)


# Property tests against independent exact solvers.

STEWARDSHIPS = ("a", "b", "c", "d")


@st.composite
def instances(draw: st.DrawFn, max_requests: int = 12) -> tuple[list[RebalanceRequest], dict[str, int], int]:
    """Random instances in which some requests share their candidates, as requests of one cell do."""
    stewardship_keys = STEWARDSHIPS[: draw(st.integers(1, len(STEWARDSHIPS)))]
    capacity = {key: draw(st.integers(-1, 3)) for key in stewardship_keys}
    candidate_lists = st.lists(st.sampled_from(stewardship_keys), unique=True, max_size=len(stewardship_keys))
    palette = [
        tuple((key, draw(st.integers(0, 30))) for key in draw(candidate_lists))
        for _ in range(draw(st.integers(1, 4)))
    ]
    requests = [
        RebalanceRequest(
            f"r{index}",
            draw(st.sampled_from((None, "lapsed", *stewardship_keys))),
            draw(st.sampled_from(palette)),
        )
        for index in range(draw(st.integers(0, max_requests)))
    ]
    return requests, capacity, draw(st.integers(31, 80))


def networkx_optimum(requests: list[RebalanceRequest], capacity: dict[str, int], penalty: int) -> int:
    graph = nx.DiGraph()
    graph.add_node("sink", demand=len(requests))
    for key, places in capacity.items():
        graph.add_edge(("stewardship", key), "sink", capacity=max(places, 0), weight=0)
    for item in requests:
        node = ("request", item.key)
        graph.add_node(node, demand=-1)
        graph.add_edge(node, "sink", capacity=1, weight=penalty)
        for key, cost in item.candidates:
            graph.add_edge(node, ("stewardship", key), capacity=1, weight=cost)
    cost, _flow = nx.network_simplex(graph)
    return int(cost)


def brute_force(requests: list[RebalanceRequest], capacity: dict[str, int], penalty: int) -> tuple[int, int]:
    """The least (total cost, moves) over every assignment that fits the capacities."""
    options = [[(None, penalty), *item.candidates] for item in requests]
    best: tuple[int, int] | None = None
    for choice in itertools.product(*options):
        used = Counter(key for key, _cost in choice if key is not None)
        if any(count > max(capacity[key], 0) for key, count in used.items()):
            continue
        cost = sum(cost for _key, cost in choice)
        moves = sum(1 for item, (key, _cost) in zip(requests, choice, strict=True) if key != item.current)
        best = (cost, moves) if best is None else min(best, (cost, moves))
    assert best is not None
    return best


def check_feasible(
    result: RebalanceResult, requests: list[RebalanceRequest], capacity: dict[str, int]
) -> None:
    assert set(result.assignment) == {item.key for item in requests}
    for key, count in Counter(v for v in result.assignment.values() if v is not None).items():
        assert count <= max(capacity[key], 0)
    for item in requests:
        assigned = result.assignment[item.key]
        assert assigned is None or assigned in dict(item.candidates)
    assert result.unassigned == tuple(item.key for item in requests if result.assignment[item.key] is None)
    moved = [item.key for item in requests if result.assignment[item.key] != item.current]
    assert [move.request for move in result.moves] == moved


@settings(max_examples=300, deadline=None)
@given(instance=instances())
def test_total_cost_equals_networkx_network_simplex(
    instance: tuple[list[RebalanceRequest], dict[str, int], int],
) -> None:
    requests, capacity, penalty = instance
    result = rebalance(requests, capacity, penalty)
    check_feasible(result, requests, capacity)
    chosen = sum(
        dict(item.candidates)[v] for item in requests if (v := result.assignment[item.key]) is not None
    )
    assert result.total_cost == chosen + penalty * len(result.unassigned)
    assert result.total_cost == networkx_optimum(requests, capacity, penalty)


@settings(max_examples=300, deadline=None)
@given(instance=instances(max_requests=5))
def test_cost_and_moves_equal_brute_force_on_tiny_instances(
    instance: tuple[list[RebalanceRequest], dict[str, int], int],
) -> None:
    requests, capacity, penalty = instance
    result = rebalance(requests, capacity, penalty)
    check_feasible(result, requests, capacity)
    assert (result.total_cost, len(result.moves)) == brute_force(requests, capacity, penalty)


@pytest.mark.parametrize("enabled", [True, False])
def test_the_cycle_collector_is_off_during_a_rebalance_and_as_found_after(enabled: bool) -> None:
    seen: list[bool] = []

    def describe(cost: int) -> str:
        seen.append(gc.isenabled())
        return str(cost)

    (gc.enable if enabled else gc.disable)()
    try:
        result = rebalance(
            [request("r", "b", ("a", 0), ("b", 5))], {"a": 1, "b": 1}, PENALTY, describe=describe
        )
        assert gc.isenabled() is enabled
    finally:
        gc.enable()
    assert result.assignment == {"r": "a"}
    assert seen
    assert not any(seen), "the collector ran during the rebalance"
