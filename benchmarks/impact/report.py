"""Benchmark: the collective-impact report (load 3 queries + pure roll-up) against SQL GROUP BY queries.

1. Seed a fresh SQLite instance and `partnernet generate --entities N --partnerships M`.
2. Add OUTCOMES_PER figures to every partnership (deterministic, bulk insert).
3. Ours: `impact_report(operator)` — loads the outcomes once and rolls them up in `partnernet.core.impact`
   (totals, type, theme, year, M49 regions, credit per entity), each outcome counted once per group.
4. Baseline: the same figures from the database with GROUP BY queries — one per dimension, one per shown
   region (path prefix) and two for credit (lead, supporters) — then merged in Python.
5. Check both agree on totals, regions and credit; print the best of three runs of each and the ratio
   (ours / baseline). Ours also loads what the page shows besides (partnerships list, results, data as of).

Usage: python benchmarks/impact/report.py --entities 2000 --partnerships 50000
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

OUTCOMES_PER = 3
ROUNDS = 3
INDICATORS = ("media_uploaded", "participants", "articles_created", "wikidata_items_created", "page_views")


def cli(data_dir: Path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["PARTNERNET_DATA_DIR"] = str(data_dir)
    subprocess.run(
        [sys.executable, "-m", "partnernet.cli", *args], env=env, check=True, stdout=subprocess.DEVNULL
    )


def add_outcomes(seed: int) -> int:
    import datetime as dt

    from partnernet.base.identity import instance_id
    from partnernet.impact.models import Outcome
    from partnernet.partnerships.models import Partnership

    rng = random.Random(seed)
    origin = instance_id()
    rows = []
    for pk in Partnership.objects.values_list("pk", flat=True).iterator():
        for indicator in rng.sample(INDICATORS, OUTCOMES_PER):
            year = rng.randint(2015, 2025)
            rows.append(
                Outcome(
                    key=f"bench-{pk}-{indicator}",
                    origin=origin,
                    partnership_id=pk,
                    indicator=indicator,
                    period_start=dt.date(year, 1, 1),
                    period_end=dt.date(year, 12, 31),
                    value=Decimal(rng.randint(0, 5000)),
                    measured_on=dt.date(year, 12, 31),
                    source="entered",
                )
            )
    Outcome.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def baseline(region_codes: list[str]) -> dict[str, Any]:
    """The same roll-ups with one GROUP BY per dimension (the usual dashboard approach)."""
    from django.db.models import Sum

    from partnernet.framework.models import Region
    from partnernet.impact.models import Outcome
    from partnernet.partnerships.models import Partnership

    numeric = Outcome.objects.filter(value__isnull=False).exclude(indicator="results")
    result: dict[str, Any] = {}
    result["totals"] = {r["indicator"]: r["s"] for r in numeric.values("indicator").annotate(s=Sum("value"))}
    result["type"] = list(numeric.values("partnership__type__key", "indicator").annotate(s=Sum("value")))
    result["theme"] = list(numeric.values("partnership__themes__key", "indicator").annotate(s=Sum("value")))
    result["year"] = list(numeric.values("period_end__year", "indicator").annotate(s=Sum("value")))
    paths = dict(Region.objects.filter(code__in=region_codes).values_list("code", "path"))
    regions = {}
    for code in region_codes:
        rows = numeric.filter(partnership__region__path__startswith=paths[code])
        regions[code] = {r["indicator"]: r["s"] for r in rows.values("indicator").annotate(s=Sum("value"))}
    world = {r["indicator"]: r["s"] for r in numeric.values("indicator").annotate(s=Sum("value"))}
    regions["001"] = world
    result["region"] = regions
    credit: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for r in numeric.values("partnership__lead_id", "indicator").annotate(s=Sum("value")):
        credit[r["partnership__lead_id"]][r["indicator"]] = r["s"]
    supporters = Partnership.supporters.through.objects.filter(
        partnership_id__in=numeric.values("partnership_id")
    )
    # A supporter that is also the lead must not be credited twice.
    sums = (
        numeric.filter(partnership__supporters__isnull=False)
        .values("partnership__supporters", "partnership__lead_id", "indicator")
        .annotate(s=Sum("value"))
    )
    for r in sums:
        if r["partnership__supporters"] == r["partnership__lead_id"]:
            continue
        figures = credit[r["partnership__supporters"]]
        figures[r["indicator"]] = figures.get(r["indicator"], Decimal(0)) + r["s"]
    result["credit"] = credit
    result["supporter_links"] = supporters.count()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entities", type=int, default=2000)
    parser.add_argument("--partnerships", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pn-bench-impact-"))
    try:
        cli(work, "seed")
        cli(work, "generate", "--entities", str(args.entities), "--partnerships", str(args.partnerships),
            "--seed", str(args.seed))  # fmt: skip
        os.environ["PARTNERNET_DATA_DIR"] = str(work)
        os.environ.pop("DATABASE_URL", None)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnernet.settings")
        import django

        django.setup()
        from django.contrib.auth.models import AnonymousUser

        from partnernet.impact.selectors import impact_report

        outcomes = add_outcomes(args.seed)

        class Operator(AnonymousUser):
            is_superuser = True

        report = impact_report(Operator())  # warms the region tree and the connection
        shown = [row.key for row in report.by_region]
        ours = theirs = float("inf")
        for _ in range(ROUNDS):  # best of ROUNDS, alternating, so both see the same machine load
            start = time.perf_counter()
            report = impact_report(Operator())
            ours = min(ours, time.perf_counter() - start)
            start = time.perf_counter()
            base = baseline(shown)
            theirs = min(theirs, time.perf_counter() - start)

        codes = [i.code for i in report.indicators]
        ours_totals = dict(zip(codes, report.totals, strict=True))
        assert ours_totals == {k: v for k, v in base["totals"].items() if k in codes}, "totals differ"
        for row in report.by_region:
            expected = base["region"][row.key]
            assert {c: v for c, v in zip(codes, row.figures, strict=True) if v is not None} == expected, (
                row.key
            )
        for row in report.credits:
            got = {c: v for c, v in zip(codes, row.total, strict=True) if v is not None}
            assert got == base["credit"][row.entity.pk], row.entity.key

        print(
            f"outcomes: {outcomes:,}  partnerships: {report.partnerships:,}  "
            f"credited: {len(report.credits):,}"
        )
        print(f"impact_report (3 queries + core): {ours:8.2f} s")
        print(f"SQL GROUP BY per dimension      : {theirs:8.2f} s  ({len(shown) + 7} queries)")
        print(f"ratio (ours / baseline)         : {ours / theirs:8.2f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
