"""Benchmark one routing decision, and the database-backed rebalance, on data made by ``partnernet generate``.

(a) **One routing decision** with 10,000 active stewardships: the full service path of
``partnernet.support.candidates.route_candidates`` (one aggregated query for the candidate stewardships of the
request's type and theme on its region chain with their loads, then the pure ranking with explanations), for
request shapes drawn from the generated requests (type, theme, country, language). Median and p99 over
``--decisions`` decisions; the target is p99 under 20 ms on SQLite. Baselines in the same run:

* **bare SQL**: the very SQL statement the selector runs, through a raw cursor (``fetchall``), no ranking:
  the floor for any code that reads the candidates and their loads from the database;
* **rank only**: the pure ranking over the same rows already in memory (what routing adds on top).

"ours" runs as a live process does, with the selector's row cache warm (rows that did not change since an
earlier decision are not rebuilt); "ours, cold row cache" clears that cache before every decision.

(b/c) **Rebalance from the database**: ``rebalance_requests(dry_run=True)`` over every open and offered
request of the same database, reporting the database read (stewardships, loads, requests, candidate lists)
apart from the min-cost flow's solve. The bare-solver comparisons (networkx, OR-Tools) are in
``rebalance.py``.

Run from the repository root (the data folder is made once and reused when it already holds the data)::

    PYTHONPATH=src .venv/bin/python benchmarks/routing/decision.py --data-dir /tmp/pn-bench-routing
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data-dir", default="/tmp/pn-bench-routing", help="PARTNERNET_DATA_DIR to use")
    parser.add_argument("--entities", type=int, default=20000)
    parser.add_argument("--partnerships", type=int, default=1000)
    parser.add_argument("--stewardships", type=int, default=10000)
    parser.add_argument("--decisions", type=int, default=2000, help="routing decisions to time")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    data_dir = Path(args.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["PARTNERNET_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnernet.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from partnernet.core.routing import RoutingRequest, rank_stewardships
    from partnernet.framework.models import Stewardship
    from partnernet.framework.selectors import region_tree
    from partnernet.support import selectors
    from partnernet.support.candidates import route_candidates, stewardship_pool, stewardship_rows
    from partnernet.support.models import SupportRequest
    from partnernet.support.services import rebalance_requests

    call_command("migrate", verbosity=0)
    if not Stewardship.objects.exists():
        started = time.perf_counter()
        call_command(
            "generate",
            entities=args.entities,
            partnerships=args.partnerships,
            stewardships=args.stewardships,
            seed=1,
            verbosity=0,
        )
        print(f"generate: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    active = Stewardship.objects.filter(status="active").count()
    requests_total = SupportRequest.objects.count()
    engine = connection.vendor

    rng = random.Random(args.seed)
    shapes = list(
        SupportRequest.objects.values_list("type__key", "theme__key", "region__code", "language")[:20000]
    )
    queries = [
        RoutingRequest(type_key, theme, region, "co_signing", language or None)
        for type_key, theme, region, language in (rng.choice(shapes) for _ in range(args.decisions))
    ]
    tree = region_tree()

    for query in queries[:50]:
        route_candidates(query)

    ours: list[float] = []
    candidates_seen: list[int] = []
    for query in queries:
        started = time.perf_counter()
        result = route_candidates(query)
        ours.append(time.perf_counter() - started)
        candidates_seen.append(len(result))

    cold: list[float] = []
    for query in queries:
        selectors._built.clear()
        started = time.perf_counter()
        route_candidates(query)
        cold.append(time.perf_counter() - started)

    bare: list[float] = []
    rank_only: list[float] = []
    with connection.cursor() as cursor:
        for query in queries:
            pool_query = stewardship_rows(
                type_key=query.type, theme_key=query.theme, region_codes=tree.chain(query.region)
            )
            sql, params = pool_query.query.sql_with_params()
            started = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall()
            bare.append(time.perf_counter() - started)
    for query in queries:
        pool = stewardship_pool(
            type_key=query.type, theme_key=query.theme, region_codes=tree.chain(query.region)
        )
        started = time.perf_counter()
        rank_stewardships(query, pool.stewardships, tree)
        rank_only.append(time.perf_counter() - started)

    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"machine: {platform.machine()} · {os.cpu_count()} CPUs · load average {load} · "
        f"Python {platform.python_version()}"
    )
    print(f"engine: {engine} · active stewardships: {active:,} · requests: {requests_total:,}")
    print(
        f"(a) one routing decision, {len(queries):,} decisions, "
        f"mean {statistics.mean(candidates_seen):.1f} candidates"
    )
    for name, times in (
        ("ours (query + rank)", ours),
        ("ours, cold row cache", cold),
        ("bare SQL (same query)", bare),
        ("rank only", rank_only),
    ):
        print(
            f"    {name:<24} median {_ms(statistics.median(times)):>10}"
            f"   p99 {_ms(_percentile(times, 0.99)):>10}"
        )
    ratio = statistics.median(ours) / statistics.median(bare)
    p99 = _percentile(ours, 0.99)
    print(f"    ratio ours / bare SQL (median): {ratio:.2f}")
    print(f"    target p99 < 20 ms: {'met' if p99 < 0.020 else 'NOT met'} ({_ms(p99)})")

    report = rebalance_requests(None, dry_run=True)
    print(
        f"(b/c) rebalance --dry-run from the database: {report.requests:,} open and offered requests over "
        f"{report.stewardships:,} stewardships"
    )
    print(
        f"    database read {report.read_seconds:.3f} s · solve {report.solve_seconds:.3f} s · "
        f"moves {len(report.moves):,} · in the queue {len(report.unassigned):,} · "
        f"total cost {report.total_cost:,}"
    )


if __name__ == "__main__":
    main()
