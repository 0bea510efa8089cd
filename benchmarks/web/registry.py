"""Benchmark: the partnership registry's pages at scale, against the bare SQL query for the same rows.

Data: an instance made once with ``partnernet generate --entities 20000 --partnerships 1000000`` (about eight
minutes on SQLite), reused between runs:

    PARTNERNET_DATA_DIR=/work/bench-data/1m partnernet generate --entities 20000 --partnerships 1000000
    PARTNERNET_DATA_DIR=/work/bench-data/1m python benchmarks/web/registry.py

(or ``DATABASE_URL=postgres://…`` for PostgreSQL). For each page — the first page, a filtered page with
type, status and region, and full-text searches (a word in about a third of the partnerships' text, the same
with filters, and a rare word) — it times the whole Django view through the test client (template, facet
counts included), cold (empty facet cache) and warm (counts cached under the table fingerprint), as an
anonymous visitor and as the superuser, and the bare SQL query that fetches the same 50 rows (for a search:
the full-text match joined to the partnerships, best match first). It prints milliseconds (median of the
runs; wall clock, and the process's CPU time, which SQLite spends in-process and which a busy shared machine
inflates less), the ratio page / bare SQL, the queries the page ran and the rows it matched. Target: a page
under 300 ms, cold included.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnernet.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from partnernet.core.search import parse_text_query  # noqa: E402
from partnernet.framework.models import Region  # noqa: E402
from partnernet.partnerships.facets import registry_facets  # noqa: E402
from partnernet.partnerships.models import Partnership  # noqa: E402
from partnernet.partnerships.rules import visible_partnerships  # noqa: E402
from partnernet.partnerships.search import BM25_WEIGHTS, PG_CONFIG  # noqa: E402
from partnernet.partnerships.selectors import RegistryFilter, filter_partnerships  # noqa: E402

PAGES = {
    "first page": {},
    "filtered page": {"type": "glam", "status": "active", "region": "150"},
    "search, broad": {"q": "museum"},
    "search+filter": {"q": "museum", "type": "glam", "status": "active"},
    "search, 4%": {"q": "company"},
    "search, rare": {"q": "42"},
}


def median_ms(
    action: Callable[[], object], runs: int, clock: Callable[[], float] = time.perf_counter
) -> float:
    times = []
    for _ in range(runs):
        start = clock()
        action()
        times.append((clock() - start) * 1000)
    return statistics.median(times)


def bare_sql(params: dict[str, str], public_only: bool) -> Callable[[], object]:
    """The same 50 rows as the page, written by hand: one SELECT with the joins the table shows."""
    where = ["1=1"]
    args: list[object] = []
    if public_only:
        where.append("p.visibility = 'public'")
    if "type" in params:
        where.append("t.key = %s")
        args.append(params["type"])
    if "status" in params:
        where.append("p.status = %s")
        args.append(params["status"])
    if "region" in params:
        # The region's path is looked up beforehand, as the page does: a prefix the planner can use.
        path = Region.objects.values_list("path", flat=True).get(code=params["region"])
        where.append("p.region_id IN (SELECT id FROM framework_region WHERE path LIKE %s)")
        args.append(f"{path}%")
    source = "partnerships_partnership p"
    order = "p.start DESC, p.id DESC"
    if "q" in params:
        # The search written by hand: the index's matches drive the join, best match first.
        query = parse_text_query(params["q"])
        if connection.vendor == "sqlite":
            source = "partnerships_search s CROSS JOIN partnerships_partnership p ON p.id = s.rowid"
            where.append("s.partnerships_search MATCH %s")
            args.append(query.fts5())
            order = f"bm25(s.partnerships_search, {BM25_WEIGHTS}), {order}"
        else:
            tsquery = " && ".join(f"phraseto_tsquery('{PG_CONFIG}', %s)" for _ in query.terms)
            source = "partnerships_search s JOIN partnerships_partnership p ON p.id = s.rowid"
            where.append(f"s.document @@ ({tsquery})")
            order = f"ts_rank(s.document, ({tsquery})) DESC, {order}"
            terms = [" ".join(term.words) for term in query.terms]
            args = [*args, *terms, *terms]
    # The WHERE clauses are fixed strings; the values go in as parameters.
    sql = (
        "SELECT p.id, p.key, p.title, p.status, p.start, p.visibility, e.key, e.name, t.name, r.name "  # noqa: S608
        f"FROM {source} JOIN directory_entity e ON e.id = p.lead_id "
        "JOIN framework_partnershiptype t ON t.id = p.type_id "
        "LEFT JOIN framework_region r ON r.id = p.region_id "
        f"WHERE {' AND '.join(where)} ORDER BY {order} LIMIT 50"
    )

    def run() -> object:
        with connection.cursor() as cursor:
            cursor.execute(sql, args)
            return cursor.fetchall()

    return run


def matches(params: dict[str, str], user: object) -> int:
    """How many partnerships the page matched (its facet total, cached by the request just made)."""
    filters = RegistryFilter(**params)
    unsearched = filter_partnerships(visible_partnerships(user), replace(filters, q=""))
    return registry_facets(user, unsearched, filters).total


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    total = Partnership.objects.count()
    print(f"database: {connection.vendor}, partnerships: {total:,}")
    admin, _ = get_user_model().objects.get_or_create(username="bench-admin", defaults={"is_superuser": True})
    viewers = {"anonymous": Client(), "superuser": Client()}
    viewers["superuser"].force_login(admin)
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(
        f"{'page':<14} {'viewer':<10} {'cold ms':>9} {'cold CPU':>9} {'warm ms':>9} {'warm CPU':>9} "
        f"{'SQL ms':>8} {'SQL CPU':>8} {'ratio':>7} {'queries':>8} {'matched':>9}"
    )
    for name, params in PAGES.items():
        for who, client in viewers.items():

            def get(client: Client = client, params: dict[str, str] = params) -> None:
                response = client.get("/partnerships/", params)
                assert response.status_code == 200, response.status_code

            def cold(get: Callable[[], None] = get) -> None:
                cache.clear()
                get()

            get()  # warm the process: templates, region tree, instance id
            matched = matches(params, admin if who == "superuser" else AnonymousUser())
            cold_ms = median_ms(cold, max(1, options.runs // 2))
            cold_cpu = median_ms(cold, max(1, options.runs // 2), time.process_time)
            warm_ms = median_ms(get, options.runs)
            warm_cpu = median_ms(get, options.runs, time.process_time)
            with CaptureQueriesContext(connection) as queries:
                get()
            sql = bare_sql(params, who == "anonymous")
            sql_ms = median_ms(sql, options.runs)
            sql_cpu = median_ms(sql, options.runs, time.process_time)
            print(
                f"{name:<14} {who:<10} {cold_ms:>9.1f} {cold_cpu:>9.1f} {warm_ms:>9.1f} {warm_cpu:>9.1f} "
                f"{sql_ms:>8.1f} {sql_cpu:>8.1f} {warm_ms / sql_ms:>7.1f} {len(queries):>8} {matched:>9,}"
            )


if __name__ == "__main__":
    main()
