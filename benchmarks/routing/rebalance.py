"""Benchmark the batch rebalance against bare OR-Tools on the same merged graph (the floor), in the same run.

The workload is made in-process from a seed and has the shape of a real movement, over the real M49 hierarchy
(``src/partnernet/exchange/data/m49.csv``). Stewardships are held mostly in a few countries: their countries
are drawn with Zipf weights (rank ** -1) over a random order of the countries, their region is the country
itself (45%), its sub-region or intermediate region (25%), its continent (15%) or the world (15%), half have a
theme. Requests come from the same skewed countries, with types weighted towards GLAM and education, a theme
70% of the time and a language 70% of the time. Each request's candidates are its best ``--candidates``
stewardships by the routing preference cost (``StewardshipIndex.rank``, no load; requests of one shape share
one tuple, as the support service hands them over). Residual capacities follow demand only roughly, as when
facilitators size them by hand: each stewardship's share of the requests that list it, times log-normal noise
(sigma 0.75, so some stewards get several times what they are asked for and others a fraction), scaled to add
up to 1.1 times the number of requests, so the flow has to trade places. 60% of the requests currently sit on
one of their candidates, 5% on a stewardship that has lapsed, the rest are open.

Four solvers get the same instance:

* **ours**: ``partnernet.core.rebalance.rebalance`` from the request dataclasses (string keys) to the result
  with its moves and reasons, tie-break scaling included;
* **floor**: OR-Tools ``SimpleMinCostFlow`` on the very graph ours hands to OR-Tools — identical requests
  merged into one node, the same tie-break costs (cost times (requests + 1), plus 1 for leaving the current
  place) — prebuilt here as integer numpy arrays and timed from adding the arcs to reading the flows back.
  It is the honest floor: the solve ours cannot avoid, with none of the Python around it;
* **unmerged**: OR-Tools on the unmerged graph (one node per request, unscaled costs), the same way. It is
  a different, larger graph, so ours can beat it; it is printed for comparison with older figures only;
* **networkx**: ``network_simplex`` on the unmerged graph (its solve only, not the graph build).

The costs must be equal (the tie-break does not change the optimum; the floor's cost, divided by the scale,
is the true cost and its remainder the number of moves, which must equal ours too). Ours, the floor and the
unmerged graph run in ``--repeat`` alternating rounds (a shared machine's load then hits them alike); times
are medians, the ratio is the median of the rounds' ratios, printed with each round's. networkx runs once.

Run from the repository root::

    PYTHONPATH=src .venv/bin/python benchmarks/routing/rebalance.py --requests 30000 --stewardships 600
    PYTHONPATH=src .venv/bin/python benchmarks/routing/rebalance.py --small  # 5,000 / 200, seconds
    PYTHONPATH=src .venv/bin/python benchmarks/routing/rebalance.py --requests 100000 --stewardships 2000 \\
        --skip-networkx
"""

from __future__ import annotations

import argparse
import csv
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import networkx as nx
import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow

from partnernet.core.rebalance import RebalanceRequest, RebalanceResult, rebalance
from partnernet.core.regions import WORLD, RegionTree
from partnernet.core.routing import (
    LEVELS,
    QUEUE_PENALTY,
    ActiveStewardship,
    RoutingRequest,
    StewardshipIndex,
    describe_cost,
)
from partnernet.core.synthetic import LANGUAGE_WEIGHTS, LANGUAGES, THEMES, TYPE_WEIGHTS, TYPES

M49 = Path(__file__).resolve().parents[2] / "src" / "partnernet" / "exchange" / "data" / "m49.csv"
T = TypeVar("T")


@dataclass(frozen=True)
class Instance:
    requests: list[RebalanceRequest]
    residual: dict[str, int]
    arcs: int


@dataclass(frozen=True)
class BareGraph:
    """The instance as integer arrays: requests 0..n-1, stewardships n..n+s-1, sink n+s."""

    tails: npt.NDArray[np.int32]
    heads: npt.NDArray[np.int32]
    capacities: npt.NDArray[np.int64]
    costs: npt.NDArray[np.int64]
    supplies: npt.NDArray[np.int64]
    candidate_arcs: int


def region_tree() -> tuple[RegionTree, list[str]]:
    with M49.open(newline="", encoding="utf-8") as rows:
        table = list(csv.DictReader(rows))
    tree = RegionTree.from_rows((row["code"], row["parent"] or None, row["name"]) for row in table)
    countries = [row["code"] for row in table if row["level"] == "country"]
    return tree, countries


def generate(requests: int, stewardships: int, candidates: int, seed: int) -> Instance:
    rng = random.Random(seed)
    tree, countries = region_tree()
    rng.shuffle(countries)
    zipf = [1 / rank for rank in range(1, len(countries) + 1)]

    def pick(options: tuple[T, ...] | list[T], weights: tuple[float, ...] | list[float]) -> T:
        return rng.choices(options, weights)[0]

    pool: list[ActiveStewardship] = []
    for position in range(stewardships):
        chain = tree.chain(pick(countries, zipf))
        height = pick((0, 1, 2, 3), (45, 25, 15, 15))
        region = WORLD if height == 3 else chain[min(height, len(chain) - 2)] if height < 2 else chain[-2]
        pool.append(
            ActiveStewardship(
                key=f"stewardship-{position:05}",
                entity=f"entity-{position // 3:05}",
                entity_name=f"Entity {position // 3}",
                type=pick(TYPES, TYPE_WEIGHTS),
                type_name="",
                theme=rng.choice(THEMES) if rng.random() < 0.5 else None,
                theme_name=None,
                region=region,
                level=pick(LEVELS, (30, 30, 40)),
                capacity=10,
                load=0,
                languages=tuple({pick(LANGUAGES, LANGUAGE_WEIGHTS) for _ in range(rng.randint(1, 3))}),
            )
        )
    index = StewardshipIndex.build(pool)

    made: list[RebalanceRequest] = []
    # Requests of one shape share one candidates tuple, as the support service hands them to the core
    # (``_rebalance_inputs`` ranks each cell and language once).
    ranked: dict[RoutingRequest, tuple[tuple[str, int], ...]] = {}
    demand = dict.fromkeys((s.key for s in pool), 0.0)
    arcs = 0
    for number in range(requests):
        wanted = RoutingRequest(
            type=pick(TYPES, TYPE_WEIGHTS),
            theme=rng.choice(THEMES) if rng.random() < 0.7 else None,
            region=pick(countries, zipf),
            language=pick(LANGUAGES, LANGUAGE_WEIGHTS) if rng.random() < 0.7 else None,
        )
        options = ranked.get(wanted)
        if options is None:
            options = ranked[wanted] = tuple(
                (c.stewardship, c.cost) for c in index.rank(wanted, tree, limit=candidates)
            )
        arcs += len(options)
        for key, _cost in options:
            demand[key] += 1 / len(options)
        draw = rng.random()
        if draw < 0.6 and options:
            current: str | None = options[min(int(rng.expovariate(0.7)), len(options) - 1)][0]
        elif draw < 0.65:
            current = "stewardship-lapsed"
        else:
            current = None
        made.append(RebalanceRequest(f"request-{number:06}", current, options))
    sized = {key: share * rng.lognormvariate(0, 0.75) for key, share in demand.items()}
    total = sum(sized.values()) or 1.0
    residual = {key: round(weight * 1.1 * requests / total) for key, weight in sized.items()}
    return Instance(made, residual, arcs)


def merged_graph(instance: Instance) -> tuple[BareGraph, int]:
    """The graph ``core.rebalance`` solves, built independently: requests with the same candidates and the
    same current place share a node (first-seen order), costs carry the fewest-moves tie-break.

    Nodes: groups 0..g-1, stewardships g..g+s-1, sink g+s; arcs: candidates, one queue arc per group, one
    capacity arc per stewardship. Returns the graph and the cost scale.
    """
    n = len(instance.requests)
    scale = n + 1
    index_of = {key: offset for offset, key in enumerate(instance.residual)}
    group_of: dict[tuple[tuple[tuple[str, int], ...], str | None], int] = {}
    firsts: list[RebalanceRequest] = []
    sizes: list[int] = []
    for item in instance.requests:
        signature = (item.candidates, item.current)
        group = group_of.get(signature)
        if group is None:
            group = group_of[signature] = len(firsts)
            firsts.append(item)
            sizes.append(0)
        sizes[group] += 1
    g, s = len(firsts), len(index_of)
    sink = g + s
    tails: list[int] = []
    heads: list[int] = []
    capacities: list[int] = []
    costs: list[int] = []
    for group, item in enumerate(firsts):
        for key, cost in item.candidates:
            tails.append(group)
            heads.append(g + index_of[key])
            capacities.append(sizes[group])
            costs.append(cost * scale + (key != item.current))
    candidate_arcs = len(heads)
    for group, item in enumerate(firsts):
        tails.append(group)
        heads.append(sink)
        capacities.append(sizes[group])
        costs.append(QUEUE_PENALTY * scale + (item.current is not None))
    for key, residual in instance.residual.items():
        tails.append(g + index_of[key])
        heads.append(sink)
        capacities.append(max(residual, 0))
        costs.append(0)
    graph = BareGraph(
        tails=np.array(tails, dtype=np.int32),
        heads=np.array(heads, dtype=np.int32),
        capacities=np.array(capacities, dtype=np.int64),
        costs=np.array(costs, dtype=np.int64),
        supplies=np.array([*sizes, *[0] * s, -n], dtype=np.int64),
        candidate_arcs=candidate_arcs + g,
    )
    return graph, scale


def bare_graph(instance: Instance) -> BareGraph:
    n = len(instance.requests)
    node_of = {key: n + offset for offset, key in enumerate(instance.residual)}
    sink = n + len(node_of)
    tails = [i for i, item in enumerate(instance.requests) for _ in item.candidates]
    heads = [node_of[key] for item in instance.requests for key, _ in item.candidates]
    costs = [cost for item in instance.requests for _, cost in item.candidates]
    return BareGraph(
        tails=np.array([*tails, *range(sink)], dtype=np.int32),
        heads=np.array([*heads, *[sink] * sink], dtype=np.int32),
        capacities=np.array(
            [1] * (len(heads) + n) + [max(c, 0) for c in instance.residual.values()], np.int64
        ),
        costs=np.array([*costs, *[QUEUE_PENALTY] * n, *[0] * len(node_of)], dtype=np.int64),
        supplies=np.array([1] * n + [0] * len(node_of) + [-n], dtype=np.int64),
        candidate_arcs=len(heads),
    )


def solve_bare(graph: BareGraph) -> int:
    solver = min_cost_flow.SimpleMinCostFlow()
    arcs = solver.add_arcs_with_capacity_and_unit_cost(
        graph.tails, graph.heads, graph.capacities, graph.costs
    )
    solver.set_nodes_supplies(np.arange(len(graph.supplies), dtype=np.int32), graph.supplies)
    if solver.solve() != solver.OPTIMAL:
        raise SystemExit("bare OR-Tools solve did not reach an optimum")
    solver.flows(arcs[: graph.candidate_arcs])
    return int(solver.optimal_cost())


def solve_networkx(graph: BareGraph) -> tuple[int, float]:
    network = nx.DiGraph()
    for node, supply in enumerate(graph.supplies.tolist()):
        network.add_node(node, demand=-supply)
    network.add_edges_from(
        (tail, head, {"capacity": capacity, "weight": cost})
        for tail, head, capacity, cost in zip(
            graph.tails.tolist(),
            graph.heads.tolist(),
            graph.capacities.tolist(),
            graph.costs.tolist(),
            strict=True,
        )
    )
    started = time.perf_counter()
    cost, _flow = nx.network_simplex(network)
    return int(cost), time.perf_counter() - started


R = TypeVar("R")


def timed(run: Callable[[], R]) -> tuple[R, float]:
    started = time.perf_counter()
    result = run()
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=30_000)
    parser.add_argument("--stewardships", type=int, default=600)
    parser.add_argument("--candidates", type=int, default=10, help="candidates per request (best by cost)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5, help="alternating rounds to take the median of")
    parser.add_argument("--skip-networkx", action="store_true")
    parser.add_argument(
        "--small", action="store_true", help="5,000 requests / 200 stewardships, no networkx: seconds"
    )
    args = parser.parse_args()
    if args.small:
        args.requests, args.stewardships, args.skip_networkx = 5_000, 200, True

    started = time.perf_counter()
    instance = generate(args.requests, args.stewardships, args.candidates, args.seed)
    graph = bare_graph(instance)
    merged, scale = merged_graph(instance)
    print(f"machine: {platform.machine()} {platform.processor() or ''}, Python {platform.python_version()}")
    print(
        f"instance: {len(instance.requests)} requests, {len(instance.residual)} stewardships, "
        f"{instance.arcs} candidate arcs, residual capacity {sum(instance.residual.values())}, "
        f"seed {args.seed} (built in {time.perf_counter() - started:.1f} s)"
    )
    print(
        f"merged graph: {len(merged.supplies) - len(instance.residual) - 1} request nodes, "
        f"{len(merged.tails)} arcs (unmerged: {len(graph.supplies) - len(instance.residual) - 1} nodes, "
        f"{len(graph.tails)} arcs)"
    )

    def ours() -> RebalanceResult:
        return rebalance(instance.requests, instance.residual, QUEUE_PENALTY, describe=describe_cost)

    # Rounds alternate the three solvers, so a change in the shared machine's load hits each of them alike;
    # each figure is the median of its rounds, and the ratio the median of the rounds' own ratios.
    ours_times: list[float] = []
    floor_times: list[float] = []
    bare_times: list[float] = []
    for _ in range(args.repeat):
        result, elapsed = timed(ours)
        ours_times.append(elapsed)
        floor_scaled, elapsed = timed(lambda: solve_bare(merged))
        floor_times.append(elapsed)
        bare_cost, elapsed = timed(lambda: solve_bare(graph))
        bare_times.append(elapsed)
    floor_cost, floor_moves = divmod(floor_scaled, scale)
    ours_time, floor_time, bare_time = map(statistics.median, (ours_times, floor_times, bare_times))
    ratio = statistics.median(o / f for o, f in zip(ours_times, floor_times, strict=True))
    spread = ", ".join(f"{o / f:.2f}" for o, f in zip(ours_times, floor_times, strict=True))
    print(
        f"result: {len(instance.requests) - len(result.unassigned)} assigned, {len(result.unassigned)} "
        f"to the facilitators' queue, {len(result.moves)} moves"
    )
    print(f"ours      {ours_time:8.3f} s  cost {result.total_cost}, {len(result.moves)} moves")
    print(f"floor     {floor_time:8.3f} s  cost {floor_cost}, {floor_moves} moves (bare OR-Tools, merged)")
    print(f"unmerged  {bare_time:8.3f} s  cost {bare_cost} (bare OR-Tools, one node per request)")
    costs = [result.total_cost, floor_cost, bare_cost]
    if not args.skip_networkx:
        nx_cost, nx_time = solve_networkx(graph)
        costs.append(nx_cost)
        print(f"networkx  {nx_time:8.3f} s  cost {nx_cost}")
    equal = len(set(costs)) == 1 and floor_moves == len(result.moves)
    print(f"costs and moves equal: {'yes' if equal else 'NO'}")
    print(f"ratio ours / floor (bare OR-Tools, same merged graph): {ratio:.2f} (rounds: {spread})")
    print(f"secondary: ours / bare OR-Tools on the unmerged graph: {ours_time / bare_time:.2f}")
    if not args.skip_networkx:
        print(f"ratio networkx / ours: {nx_time / ours_time:.1f}")
    if not equal:
        sys.exit(1)


if __name__ == "__main__":
    main()
