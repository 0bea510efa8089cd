"""Benchmark: the collective-impact report against its floor, six plain-SQL GROUP BY statements.

1. Seed a fresh SQLite instance and `partnernet generate --entities N --partnerships M`.
2. Add OUTCOMES_PER figures to every partnership (deterministic, bulk insert).
3. Ours: `impact_report(operator)` — the database sums the outcomes per group (`impact.selectors.
   outcome_sums`: type x region, theme, year, lead, supporter), `partnernet.core.impact` rolls the groups up
   the M49 tree and merges the credits; the report also loads what the page shows besides (results, the
   partnerships with their latest figures, data as of, partnership counts per entity).
4. Floor: six GROUP BY statements in plain SQL on the same connection (totals, type, theme, year, region
   code, credit as lead UNION ALL as supporter), region codes added up the tree in Python.
5. Check both agree on totals, types, themes, years, every shown region and every credit; print the best of
   three runs of each and the ratio (ours / floor).

Usage: python benchmarks/impact/report.py --entities 2000 --partnerships 50000
       (under a minute: --entities 200 --partnerships 2000)
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


def floor() -> dict[str, Any]:
    """The floor: six ``GROUP BY`` statements in plain SQL on the connection (totals, type, theme, year,
    region code, credit), the region codes then added up the M49 tree in Python. It computes less than the
    report does (no partnership counts per entity, no results list, no "data as of" rows), so the ratio
    flatters the floor, not us."""
    from django.db import connection

    from partnernet.framework.selectors import region_tree
    from partnernet.impact.indicators import NUMERIC

    numeric = ", ".join(f"'{code}'" for code in NUMERIC)
    base = (
        "FROM impact_outcome o JOIN partnerships_partnership p ON p.id = o.partnership_id "
        f"WHERE o.indicator IN ({numeric}) AND o.value IS NOT NULL"
    )
    statements = {
        "totals": f"SELECT '', o.indicator, SUM(o.value) {base} GROUP BY o.indicator",
        "type": "SELECT t.key, o.indicator, SUM(o.value) "
        + base.replace("WHERE", "JOIN framework_partnershiptype t ON t.id = p.type_id WHERE")
        + " GROUP BY t.key, o.indicator",
        "theme": "SELECT COALESCE(h.key, ''), o.indicator, SUM(o.value) "
        + base.replace(
            "WHERE",
            "LEFT JOIN partnerships_partnership_themes pt ON pt.partnership_id = p.id "
            "LEFT JOIN framework_theme h ON h.id = pt.theme_id WHERE",
        )
        + " GROUP BY h.key, o.indicator",
        "year": f"SELECT CAST(substr(o.period_end, 1, 4) AS INTEGER), o.indicator, SUM(o.value) {base} "
        "GROUP BY 1, o.indicator",
        "region": "SELECT r.code, o.indicator, SUM(o.value) "
        + base.replace("WHERE", "LEFT JOIN framework_region r ON r.id = p.region_id WHERE")
        + " GROUP BY r.code, o.indicator",
        "credit": f"SELECT p.lead_id, o.indicator, SUM(o.value) {base} GROUP BY p.lead_id, o.indicator "
        "UNION ALL SELECT s.entity_id, o.indicator, SUM(o.value) "
        + base.replace(
            "WHERE",
            "JOIN partnerships_partnership_supporters s ON s.partnership_id = p.id "
            "WHERE s.entity_id <> p.lead_id AND",
        )
        + " GROUP BY s.entity_id, o.indicator",
    }
    result: dict[str, Any] = {}
    with connection.cursor() as cursor:
        for name, sql in statements.items():
            cursor.execute(sql)
            groups: dict[Any, dict[str, Decimal]] = defaultdict(dict)
            for group, indicator, total in cursor.fetchall():
                figures = groups[group]
                figures[indicator] = figures.get(indicator, Decimal(0)) + Decimal(total)
            result[name] = groups
    tree = region_tree()
    regions: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for code, figures in result["region"].items():
        for up in tree.chain(code) if code and code in tree else ("001",):
            for indicator, total in figures.items():
                regions[up][indicator] = regions[up].get(indicator, Decimal(0)) + total
    result["region"] = regions
    result["totals"] = result["totals"][""]
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
        ours = theirs = float("inf")
        for _ in range(ROUNDS):  # best of ROUNDS, alternating, so both see the same machine load
            start = time.perf_counter()
            report = impact_report(Operator())
            ours = min(ours, time.perf_counter() - start)
            start = time.perf_counter()
            base = floor()
            theirs = min(theirs, time.perf_counter() - start)

        codes = [i.code for i in report.indicators]

        def figures(values: list[Decimal | None]) -> dict[str, Decimal]:
            return {c: v for c, v in zip(codes, values, strict=True) if v is not None}

        assert figures(report.totals) == base["totals"], "totals differ"
        for rows, name in ((report.by_type, "type"), (report.by_theme, "theme"), (report.by_year, "year")):
            got = {row.key: figures(row.figures) for row in rows}
            assert got == {str(k): v for k, v in base[name].items()}, name
        for row in report.by_region:
            assert figures(row.figures) == base["region"][row.key], row.key
        credited: dict[str, dict[str, Decimal]] = defaultdict(dict)
        for entity, figures_ in base["credit"].items():
            for code, value in figures_.items():
                credited[str(entity)][code] = credited[str(entity)].get(code, Decimal(0)) + value
        assert {str(row.entity.pk): figures(row.total) for row in report.credits} == credited, "credit"

        print(
            f"outcomes: {outcomes:,}  partnerships: {report.partnerships:,}  "
            f"credited: {len(report.credits):,}  regions shown: {len(report.by_region)}"
        )
        print(f"impact_report (GROUP BY sums + core + page rows): {ours:8.3f} s")
        print(f"floor: six plain-SQL GROUP BY statements        : {theirs:8.3f} s")
        print(f"ratio (ours / floor)                            : {ours / theirs:8.2f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
