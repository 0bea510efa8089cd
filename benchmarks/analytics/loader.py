"""Benchmark loading the network from the database: the analytics selector against the plain ORM way.

``partnernet analyze`` and the dashboard read every entity, partnership, supporter and resolved request. The
selector (``analytics.selectors.network_data``) streams ``values_list`` rows into numpy and joins with
``searchsorted``; the baseline is what one would write first: model instances with the supporters
prefetched, pairs collected in a Python set. Both must give the same simple graph. The script then times the
rest of the report on the loaded data (every figure but betweenness, which the network benchmark covers),
sustainability and one cell's suggestions.

Run against a database filled by ``partnernet generate``, e.g.::

    export PARTNERNET_DATA_DIR=/tmp/big PYTHONPATH=src
    .venv/bin/partnernet generate --entities 100000 --partnerships 1000000
    .venv/bin/python benchmarks/analytics/loader.py
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from collections.abc import Callable
from typing import Any, TypeVar

import django

T = TypeVar("T")


def timed(label: str, work: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    value = work()
    seconds = time.perf_counter() - start
    print(f"{label:<42} {seconds:9.2f} s", flush=True)
    return value, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-baseline", action="store_true", help="time only the selector")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnernet.settings")
    django.setup()

    from django.db.models import Prefetch

    from partnernet.analytics.report import build_report
    from partnernet.analytics.selectors import network_data
    from partnernet.analytics.suggestions import suggestions_for
    from partnernet.analytics.sustainability import sustainability
    from partnernet.core.network import build_graph
    from partnernet.directory.models import Entity
    from partnernet.partnerships.models import Partnership
    from partnernet.support.models import SupportRequest

    counts = {
        "entities": Entity.objects.count(),
        "partnerships": Partnership.objects.count(),
        "supporter rows": Partnership.supporters.through.objects.count(),
        "requests": SupportRequest.objects.count(),
    }
    machine = platform.processor() or platform.machine()
    print(f"machine: {machine}, {os.cpu_count()} CPUs; python {platform.python_version()}")
    print("data:", ", ".join(f"{value:,} {name}" for name, value in counts.items()))

    data, ours = timed("selector network_data()", network_data)
    graph = build_graph(data.entities, data.pairs)
    print(f"graph: {graph.node_count:,} nodes, {graph.edge_count:,} ties")

    if not args.skip_baseline:

        def baseline() -> set[tuple[int, int]]:
            pairs: set[tuple[int, int]] = set()
            supporters = Prefetch("supporters", queryset=Entity.objects.only("pk"))
            rows = Partnership.objects.only("pk", "lead_id").prefetch_related(supporters)
            for partnership in rows.iterator(chunk_size=2000):
                people = [entity.pk for entity in partnership.supporters.all()]
                for index, supporter in enumerate(people):
                    pairs.add((min(partnership.lead_id, supporter), max(partnership.lead_id, supporter)))
                    for other in people[index + 1 :]:
                        pairs.add((min(supporter, other), max(supporter, other)))
            for request in SupportRequest.objects.filter(status="resolved", steward__isnull=False).only(
                "steward_id", "requester_id"
            ):
                assert request.steward_id is not None
                a, b = request.steward_id, request.requester_id
                pairs.add((min(a, b), max(a, b)))
            return {pair for pair in pairs if pair[0] != pair[1]}

        expected, theirs = timed("baseline: model instances + prefetch", baseline)
        ids = data.ids.tolist()
        ties = zip(graph.sources.tolist(), graph.targets.tolist(), strict=True)
        found = {(ids[a], ids[b]) for a, b in ties}
        print(f"same ties as the baseline: {found == expected}")
        print(f"ratio (baseline / selector): {theirs / ours:.1f}x")

    report: Any
    report, _ = timed("report without betweenness", lambda: build_report(data, with_betweenness=False))
    timed("sustainability of every steward", lambda: sustainability(data))
    timed("suggestions for one gap (glam, 154)", lambda: suggestions_for(data, "glam", "154"))
    print(
        f"degree centralization {report.network.degree_centralization}, coverage {report.coverage.covered}/"
        f"{report.coverage.cells}"
    )


if __name__ == "__main__":
    main()
