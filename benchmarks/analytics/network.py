"""Benchmark the network analytics core against networkx computing the same figures in the same run.

The workload is made in-process from a seed and has the shape of a real movement: partnerships are led by a
few big chapters and joined by many small supporters. Each tie's lead is drawn from Zipf weights (rank ** -1)
over a random order of the entities; its supporter is, half the time, drawn the same way and otherwise
uniformly. Raw pairs are drawn until exactly ``--edges`` distinct ties exist, so the input also holds the
repeated and self ties that real exports carry. Support handled and stewardship loads are drawn with the same
weights, so the big nodes also carry most of the support.

Both sides get the same input: the core gets the pairs as an ``(m, 2)`` integer array (its fast path),
networkx a list of integer tuples (its fast path). The baseline is networkx for the graph figures and plain
Python for the share, HHI, Gini and capacity figures. The core is timed as the median of ``--repeat`` runs,
networkx once (its exact betweenness takes minutes at 5,000 nodes / 50,000 edges). The script also times
igraph's bare betweenness call on a prebuilt graph, to show what the core's betweenness step adds to it, and
the core with the ties given as pairs of entity keys.

Run from the repository root::

    PYTHONPATH=src .venv/bin/python benchmarks/analytics/network.py --nodes 5000 --edges 50000
    PYTHONPATH=src .venv/bin/python benchmarks/analytics/network.py --nodes 100000 --edges 1000000 \\
        --skip-betweenness
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import igraph
import networkx as nx
import numpy as np
import numpy.typing as npt

from partnernet.core.analytics import NetworkFigures, StewardshipLoad, network_figures
from partnernet.core.network import betweenness_centralization, build_graph


@dataclass(frozen=True)
class Workload:
    entities: list[str]
    pairs: npt.NDArray[np.int64]
    support_handled: dict[str, int]
    loads: list[StewardshipLoad]


def generate(nodes: int, edges: int, seed: int) -> Workload:
    """A skewed network of exactly ``edges`` distinct ties among ``nodes`` entities (see the module doc)."""
    if edges > nodes * (nodes - 1) // 2:
        raise SystemExit("--edges exceeds the number of possible ties among --nodes")
    rng = np.random.default_rng(seed)
    weights = 1.0 / np.arange(1, nodes + 1)
    weights /= weights.sum()
    order = rng.permutation(nodes)

    def weighted(size: int) -> npt.NDArray[np.int64]:
        return order[rng.choice(nodes, size=size, p=weights)]

    chunks: list[npt.NDArray[np.int64]] = []
    while True:
        size = max(edges, 1)
        supporters = np.where(rng.random(size) < 0.5, weighted(size), rng.integers(0, nodes, size=size))
        chunks.append(np.column_stack((weighted(size), supporters)).astype(np.int64))
        raw = np.concatenate(chunks)
        low, high = np.minimum(raw[:, 0], raw[:, 1]), np.maximum(raw[:, 0], raw[:, 1])
        codes = np.where(low != high, low * nodes + high, -1)
        distinct, first = np.unique(codes, return_index=True)
        first = np.sort(first[distinct >= 0])
        if edges == 0:
            raw = raw[:0]
            break
        if len(first) >= edges:
            raw = raw[: first[edges - 1] + 1]
            break
    keys = [f"entity-{index:06d}" for index in range(nodes)]
    handled = np.bincount(weighted(2 * nodes), minlength=nodes)
    support_handled = {keys[index]: int(count) for index, count in enumerate(handled) if count}
    stewards = weighted(max(1, nodes // 10))
    capacities = rng.integers(0, 21, size=len(stewards))
    current = rng.poisson(0.7 * capacities + 0.5)
    loads = [
        StewardshipLoad(entity=keys[int(entity)], load=int(load), capacity=int(capacity))
        for entity, load, capacity in zip(stewards, current, capacities, strict=True)
    ]
    return Workload(
        entities=keys, pairs=np.ascontiguousarray(raw), support_handled=support_handled, loads=loads
    )


def baseline(workload: Workload, pairs: list[tuple[int, int]], with_betweenness: bool) -> dict[str, Any]:
    """The same figures with networkx and plain Python, written the obvious way."""
    graph = nx.Graph()
    graph.add_nodes_from(range(len(workload.entities)))
    graph.add_edges_from(pairs)
    graph.remove_edges_from(list(nx.selfloop_edges(graph)))
    n, m = graph.number_of_nodes(), graph.number_of_edges()
    degree: float | None = None
    betweenness: float | None = None
    if n >= 3 and m > 0:
        degrees = list(nx.degree_centrality(graph).values())
        top = max(degrees)
        degree = sum(top - value for value in degrees) / (n - 2)
        if with_betweenness:
            scores = list(nx.betweenness_centrality(graph, normalized=True).values())
            top = max(scores)
            betweenness = sum(top - value for value in scores) / (n - 1)
    handled = sorted(workload.support_handled.values(), reverse=True)
    total_handled = sum(handled)
    per_entity: dict[str, list[int]] = {}
    for row in workload.loads:
        entry = per_entity.setdefault(row.entity, [0, 0])
        entry[0] += row.load
        entry[1] += row.capacity
    held = sorted(load for load, _ in per_entity.values())
    total_load = sum(held)
    count = len(held)
    return {
        "entities": n,
        "edges": m,
        "degree_centralization": degree,
        "betweenness_centralization": betweenness,
        "top1_share": sum(handled[:1]) / total_handled if total_handled else None,
        "top3_share": sum(handled[:3]) / total_handled if total_handled else None,
        "hhi": sum((load / total_load) ** 2 for load in held) if total_load else None,
        "gini": (
            2 * sum(rank * load for rank, load in enumerate(held, 1)) / (count * total_load)
            - (count + 1) / count
            if total_load
            else None
        ),
        "over_capacity": sorted(key for key, (load, capacity) in per_entity.items() if load >= capacity),
    }


def relative_difference(ours: object, theirs: object) -> float:
    if ours is None or theirs is None:
        return 0.0 if ours is theirs else math.inf
    if isinstance(ours, float | int) and isinstance(theirs, float | int):
        scale = max(abs(ours), abs(theirs))
        return abs(ours - theirs) / scale if scale else 0.0
    return 0.0 if list(ours) == list(theirs) else math.inf  # type: ignore[call-overload]


def timed(function: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Median wall time of ``repeat`` calls, and the last result."""
    times: list[float] = []
    result: Any = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--nodes", type=int, default=5_000, help="entities (default 5,000)")
    parser.add_argument("--edges", type=int, default=50_000, help="distinct ties (default 50,000)")
    parser.add_argument("--skip-betweenness", action="store_true", help="leave exact betweenness out")
    parser.add_argument("--seed", type=int, default=7, help="seed of the generator (default 7)")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of the core; the median counts (default 3)"
    )
    args = parser.parse_args(argv)
    with_betweenness = not args.skip_betweenness

    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, numpy {np.__version__}, igraph {igraph.__version__}, "
        f"networkx {nx.__version__}"
    )
    workload = generate(args.nodes, args.edges, args.seed)
    int_pairs = [(int(a), int(b)) for a, b in workload.pairs.tolist()]
    key_pairs = [(workload.entities[a], workload.entities[b]) for a, b in int_pairs]
    print(
        f"workload: {args.nodes:,} entities, {args.edges:,} distinct ties from {len(int_pairs):,} raw pairs "
        f"(repeats and self ties included), {sum(workload.support_handled.values()):,} support requests, "
        f"{len(workload.loads):,} stewardships, seed {args.seed}; "
        f"betweenness {'on' if with_betweenness else 'off'}"
    )

    def ours() -> NetworkFigures:
        return network_figures(
            workload.entities,
            workload.pairs,
            workload.support_handled,
            workload.loads,
            with_betweenness=with_betweenness,
        )

    def ours_by_key() -> NetworkFigures:
        return network_figures(
            workload.entities,
            key_pairs,
            workload.support_handled,
            workload.loads,
            with_betweenness=with_betweenness,
        )

    ours_time, figures = timed(ours, args.repeat)
    print(f"core, ties as an integer array: {ours_time:10.3f} s (median of {args.repeat})", flush=True)
    key_time, _ = timed(ours_by_key, args.repeat)
    print(f"core, ties as key pairs:        {key_time:10.3f} s (median of {args.repeat})", flush=True)

    if with_betweenness:
        graph = build_graph(workload.entities, workload.pairs)
        prebuilt = igraph.Graph(
            n=graph.node_count, edges=np.column_stack((graph.sources, graph.targets)), directed=False
        )
        bare_times: list[float] = []
        step_times: list[float] = []
        for _ in range(args.repeat):
            bare_times.append(timed(lambda: prebuilt.betweenness(directed=False), 1)[0])
            step_times.append(timed(lambda: betweenness_centralization(graph), 1)[0])
        bare_time, step_time = statistics.median(bare_times), statistics.median(step_times)
        print(
            f"betweenness: core step {step_time:.3f} s, bare igraph call {bare_time:.3f} s "
            f"(core step = {step_time / bare_time:.3f}x the bare call; medians of {args.repeat}, interleaved)"
        )

    print("networkx + plain Python running once ...", flush=True)
    start = time.perf_counter()
    reference = baseline(workload, int_pairs, with_betweenness)
    baseline_time = time.perf_counter() - start
    print(f"networkx + plain Python:        {baseline_time:10.3f} s (1 run)")
    print(
        f"speed-up, integer array: {baseline_time / ours_time:.1f}x; "
        f"key pairs: {baseline_time / key_time:.1f}x"
    )

    print(f"{'figure':28} {'core':>24} {'networkx':>24} {'rel. diff':>10}")
    worst = 0.0
    for name, value in asdict(figures).items():
        expected = reference[name]
        difference = relative_difference(value, expected)
        worst = max(worst, difference)
        if name == "over_capacity":
            value, expected = f"{len(value)} entities", f"{len(expected)} entities"
        print(f"{name:28} {value!s:>24} {expected!s:>24} {difference:10.1e}")
    print(f"max relative difference: {worst:.1e}")
    if worst >= 1e-9:
        sys.exit("relative difference of 1e-9 or more")


if __name__ == "__main__":
    main()
