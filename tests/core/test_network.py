"""Freeman centralizations of the partnership graph, checked by example and against networkx."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partnernet.core.network import (
    betweenness_centralization,
    build_graph,
    degree_centralization,
    node_betweenness,
)


def keys(n: int) -> list[str]:
    return [f"e{i}" for i in range(n)]


def networkx_freeman(n: int, edges: list[tuple[int, int]]) -> tuple[float | None, float | None]:
    """Freeman's centralizations the textbook way, from networkx's normalised centralities."""
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(edges)
    graph.remove_edges_from(list(nx.selfloop_edges(graph)))
    if n < 3 or graph.number_of_edges() == 0:
        return None, None
    degree = list(nx.degree_centrality(graph).values())
    betweenness = list(nx.betweenness_centrality(graph, normalized=True).values())
    top_degree, top_betweenness = max(degree), max(betweenness)
    return (
        sum(top_degree - value for value in degree) / (n - 2),
        sum(top_betweenness - value for value in betweenness) / (n - 1),
    )


def assert_close(ours: float | None, theirs: float | None) -> None:
    if theirs is None:
        assert ours is None
    else:
        assert ours is not None
        assert math.isclose(ours, theirs, rel_tol=1e-9, abs_tol=1e-12)


@pytest.mark.parametrize("n", [3, 4, 10, 57])
def test_star_is_exactly_one(n: int) -> None:
    graph = build_graph(keys(n), [(0, leaf) for leaf in range(1, n)])
    assert degree_centralization(graph) == 1.0
    assert betweenness_centralization(graph) == 1.0


@pytest.mark.parametrize("n", [3, 4, 9, 40])
def test_ring_is_zero(n: int) -> None:
    graph = build_graph(keys(n), [(i, (i + 1) % n) for i in range(n)])
    assert degree_centralization(graph) == 0.0
    assert betweenness_centralization(graph) == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("n", [3, 5, 12])
def test_complete_graph_is_zero(n: int) -> None:
    graph = build_graph(keys(n), [(i, j) for i in range(n) for j in range(i + 1, n)])
    assert degree_centralization(graph) == 0.0
    assert betweenness_centralization(graph) == 0.0


def test_empty_graph_has_no_figures() -> None:
    graph = build_graph([], [])
    assert (graph.node_count, graph.edge_count) == (0, 0)
    assert degree_centralization(graph) is None
    assert betweenness_centralization(graph) is None


def test_nodes_without_edges_have_no_figures() -> None:
    graph = build_graph(keys(5), [(1, 1), (2, 2)])
    assert (graph.node_count, graph.edge_count) == (5, 0)
    assert degree_centralization(graph) is None
    assert betweenness_centralization(graph) is None
    assert node_betweenness(graph).tolist() == [0.0] * 5


def test_fewer_than_three_nodes_have_no_figures() -> None:
    graph = build_graph(keys(2), [(0, 1)])
    assert graph.edge_count == 1
    assert degree_centralization(graph) is None
    assert betweenness_centralization(graph) is None


def test_isolated_nodes_count_as_nodes() -> None:
    graph = build_graph(keys(6), [(0, 1), (0, 2), (0, 3)])
    assert graph.node_count == 6
    assert graph.degrees.tolist() == [3, 1, 1, 1, 0, 0]
    assert degree_centralization(graph) == pytest.approx(12 / 20)
    assert betweenness_centralization(graph) == pytest.approx(0.3)
    assert_close(degree_centralization(graph), networkx_freeman(6, [(0, 1), (0, 2), (0, 3)])[0])


def test_repeated_reversed_and_self_ties_count_once() -> None:
    graph = build_graph(keys(4), [(0, 1), (1, 0), (0, 1), (2, 2), (3, 0), (0, 3)])
    assert graph.edge_count == 2
    assert list(zip(graph.sources.tolist(), graph.targets.tolist(), strict=True)) == [(0, 1), (0, 3)]
    assert graph.degrees.tolist() == [2, 1, 0, 1]


def test_edges_by_key_by_position_and_as_array_build_the_same_graph() -> None:
    names = ["wmse", "wmde", "wmgh", "wmno"]
    by_key = build_graph(names, [("wmse", "wmde"), ("wmgh", "wmde"), ("wmde", "wmse")])
    by_position = build_graph(names, [(0, 1), (2, 1), (1, 0)])
    by_array = build_graph(names, np.array([[0, 1], [2, 1], [1, 0]], dtype=np.int32))
    by_generator = build_graph(names, (pair for pair in [("wmse", "wmde"), ("wmgh", "wmde")]))
    for graph in (by_position, by_array, by_generator):
        assert graph.sources.tolist() == by_key.sources.tolist()
        assert graph.targets.tolist() == by_key.targets.tolist()
        assert graph.degrees.tolist() == by_key.degrees.tolist()


def test_graph_is_read_only() -> None:
    graph = build_graph(keys(3), [(0, 1)])
    with pytest.raises(ValueError, match="read-only"):
        graph.degrees[0] = 5
    with pytest.raises(TypeError):
        graph.positions["e9"] = 9  # type: ignore[index]


@pytest.mark.parametrize(
    ("entities", "edges", "message"),
    [
        (["a", "a"], [], "unique"),
        (["a", "b"], [("a", "c")], "unknown entity"),
        (["a", "b"], [("a", 1)], "unknown entity"),
        (["a", "b"], [("a", "b", "a")], "pairs"),
        (["a", "b"], [(0, "b")], "pairs"),
        (["a", "b"], [(0, 2)], "outside"),
        (["a", "b"], [(-1, 0)], "outside"),
        (["a", "b"], np.array([[0.0, 1.0]]), "pairs"),
        (["a", "b"], np.array([0, 1]), "pairs"),
        ([], [(0, 0)], "outside"),
    ],
)
def test_bad_input_is_refused(entities: list[str], edges: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build_graph(entities, edges)  # type: ignore[arg-type]


@st.composite
def small_graphs(draw: st.DrawFn) -> tuple[int, list[tuple[int, int]]]:
    n = draw(st.integers(min_value=0, max_value=24))
    if n == 0:
        return 0, []
    node = st.integers(min_value=0, max_value=n - 1)
    return n, draw(st.lists(st.tuples(node, node), max_size=90))


@settings(max_examples=300, deadline=None)
@given(small_graphs())
def test_freeman_figures_match_networkx(case: tuple[int, list[tuple[int, int]]]) -> None:
    n, edges = case
    graph = build_graph(keys(n), edges)
    degree, betweenness = networkx_freeman(n, edges)
    assert_close(degree_centralization(graph), degree)
    assert_close(betweenness_centralization(graph), betweenness)


@settings(max_examples=100, deadline=None)
@given(small_graphs())
def test_node_betweenness_matches_networkx(case: tuple[int, list[tuple[int, int]]]) -> None:
    n, edges = case
    reference = nx.Graph()
    reference.add_nodes_from(range(n))
    reference.add_edges_from((a, b) for a, b in edges if a != b)
    expected = nx.betweenness_centrality(reference, normalized=False)
    ours = node_betweenness(build_graph(keys(n), edges))
    assert ours.tolist() == pytest.approx([expected[node] for node in range(n)], rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_skewed_random_graphs_match_networkx(seed: int) -> None:
    reference = nx.barabasi_albert_graph(300, 3, seed=seed)
    extra = nx.gnm_random_graph(300, 200, seed=seed)
    edges = [*reference.edges(), *extra.edges()]
    graph = build_graph(keys(300), edges)
    degree, betweenness = networkx_freeman(300, edges)
    assert_close(degree_centralization(graph), degree)
    assert_close(betweenness_centralization(graph), betweenness)


def test_disconnected_components_match_networkx() -> None:
    edges = [(0, 1), (1, 2), (2, 3), (5, 6), (6, 7), (6, 8)]
    graph = build_graph(keys(10), edges)
    degree, betweenness = networkx_freeman(10, edges)
    assert_close(degree_centralization(graph), degree)
    assert_close(betweenness_centralization(graph), betweenness)
