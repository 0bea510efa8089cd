"""Benchmark: walking every page of `/api/v1/partnerships` against one streaming SQL statement, same run.

1. Build an instance with `partnernet seed` and `partnernet generate --entities N --partnerships M` (SQLite,
   in a temporary data folder, or `--data-dir` to keep and reuse it).
2. Ours: an anonymous client follows the API's `next` links from `/api/v1/partnerships?limit=L` to the last
   page, in this process through Django's whole request handling (middleware, authentication, the endpoint,
   the response schema, JSON rendering); no network, no server.
3. The floor: **one** SQL statement over a raw `sqlite3` cursor streams the same rows — the public
   partnerships, in key and origin order, joins for the single keys and the database's sorted string
   aggregation for the lists — and the same pages are made from them: the same documents, the same cursor
   encoding, the same `next` links, `json.dumps` with the API's settings.
4. Assert every page is byte-identical between the two; print the medians of `--repeat` walks and the ratio.

Usage: python benchmarks/exchange/api_pages.py [--entities 2000 --partnerships 50000] [--limit 500] [--small]
       [--data-dir DIR]
`--small` (200 entities, 2,000 partnerships, three walks) takes about half a minute on a quiet machine, most
of it seeding.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

FLOOR = """
SELECT p.key, p.title, lead.key,
  (SELECT group_concat(k, char(31)) FROM (SELECT e.key AS k FROM partnerships_partnership_supporters s
     JOIN directory_entity e ON e.id = s.entity_id WHERE s.partnership_id = p.id ORDER BY e.key)),
  (SELECT group_concat(k, char(31)) FROM (SELECT x.key AS k FROM partnerships_partnership_partners s
     JOIN directory_partner x ON x.id = s.partner_id WHERE s.partnership_id = p.id ORDER BY x.key)),
  t.key,
  (SELECT group_concat(k, char(31)) FROM (SELECT h.key AS k FROM partnerships_partnership_themes s
     JOIN framework_theme h ON h.id = s.theme_id WHERE s.partnership_id = p.id ORDER BY h.key)),
  r.code, p.status, p.start, p."end", p.visibility, p.origin
FROM partnerships_partnership p
JOIN directory_entity lead ON lead.id = p.lead_id
JOIN framework_partnershiptype t ON t.id = p.type_id
LEFT JOIN framework_region r ON r.id = p.region_id
WHERE p.visibility = 'public'
ORDER BY p.key, p.origin
"""
PATH = "/api/v1/partnerships"
HOST = "testserver"


def cli(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "partnernet.cli", *args],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _items(cell: str | None) -> list[str]:
    return cell.split("\x1f") if cell else []


def _cursor(key: str, origin: str) -> str:
    """The API's cursor: the page's last key and origin as JSON, URL-safe base64 without padding."""
    return base64.urlsafe_b64encode(json.dumps([key, origin]).encode()).decode().rstrip("=")


def floor_pages(database: Path, limit: int) -> Iterator[bytes]:
    """Every page of the walk, as the API's bytes, from one statement's rows."""
    conn = sqlite3.connect(database)
    try:
        page: list[dict[str, Any]] = []
        last: tuple[str, str] | None = None
        for (
            key,
            title,
            lead,
            supporters,
            partners,
            type_key,
            themes,
            region,
            status,
            start,
            end,
            vis,
            origin,
        ) in conn.execute(FLOOR):
            if len(page) == limit:
                yield _page(page, last, limit)
                page = []
            page.append(
                {
                    "key": key,
                    "title": title,
                    "lead": lead,
                    "supporters": _items(supporters),
                    "partners": _items(partners),
                    "type": type_key,
                    "themes": _items(themes),
                    "region": region,
                    "status": status,
                    "start": start,
                    "end": end,
                    "visibility": vis,
                    "origin": origin,
                    "home": origin,
                }
            )
            last = (key, origin)
        yield _page(page, None, limit)
    finally:
        conn.close()


def _page(items: list[dict[str, Any]], more_after: tuple[str, str] | None, limit: int) -> bytes:
    following = None
    if more_after is not None:
        following = f"http://{HOST}{PATH}?limit={limit}&cursor={_cursor(*more_after)}"
    return json.dumps({"items": items, "next": following}).encode()


def our_pages(limit: int) -> Iterator[bytes]:
    from django.test import Client

    client = Client()
    path: str | None = f"{PATH}?limit={limit}"
    while path:
        answer = client.get(path)
        assert answer.status_code == 200, (path, answer.status_code, answer.content[:300])
        yield answer.content
        # Only the last member is read, so no parsing is charged to ours: the floor parses nothing either.
        following = json.loads(answer.content[answer.content.rindex(b'"next": ') + 8 : -1])
        path = None
        if following:
            parts = urlsplit(following)
            path = f"{parts.path}?{parts.query}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=2000)
    parser.add_argument("--partnerships", type=int, default=50_000)
    parser.add_argument("--limit", type=int, default=500, help="rows per page (the API allows up to 500)")
    parser.add_argument("--repeat", type=int, help="walks of each side, medians compared (default 5)")
    parser.add_argument("--small", action="store_true", help="200 entities, 2,000 partnerships, 3 walks")
    parser.add_argument("--data-dir", type=Path, help="an instance folder to reuse (built when empty)")
    args = parser.parse_args()
    if args.small:
        args.entities, args.partnerships = 200, 2000
    repeat = args.repeat or (3 if args.small else 5)

    work = Path(tempfile.mkdtemp(prefix="pn-bench-api-"))
    data_dir = args.data_dir or work / "data"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["PARTNERNET_DATA_DIR"] = str(data_dir)
    try:
        database = data_dir / "partnernet.sqlite3"
        if not database.exists():
            started = time.perf_counter()
            cli(env, "seed")
            cli(env, "generate", "--entities", str(args.entities), "--partnerships", str(args.partnerships),
                "--seed", "1")  # fmt: skip
            print(f"built the instance in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        os.environ.update(env)
        os.environ.pop("DATABASE_URL", None)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnernet.settings")
        import django

        django.setup()

        ours_pages, floors_pages = list(our_pages(args.limit)), list(floor_pages(database, args.limit))
        assert len(ours_pages) == len(floors_pages), (len(ours_pages), len(floors_pages))
        for number, (mine, floor) in enumerate(zip(ours_pages, floors_pages, strict=True)):
            assert mine == floor, f"page {number + 1} differs:\n{mine[:400]!r}\n{floor[:400]!r}"
        size = sum(map(len, floors_pages))

        times: dict[str, list[float]] = {"ours": [], "floor": []}
        for _ in range(repeat):
            for name, walk in (
                ("floor", lambda: floor_pages(database, args.limit)),
                ("ours", lambda: our_pages(args.limit)),
            ):
                started = time.process_time()
                for _page_bytes in walk():
                    pass
                times[name].append(time.process_time() - started)
        ours, floor = statistics.median(times["ours"]), statistics.median(times["floor"])
        rows = sum(len(json.loads(page)["items"]) for page in floors_pages)
        print(
            f"SQLite {sqlite3.sqlite_version}; {rows:,} public partnerships in {len(floors_pages)} pages of "
            f"{args.limit}, {size:,} bytes, every page byte-identical"
        )
        print(f"floor: one SQL statement + json.dumps   {floor:7.3f} s CPU (median of {repeat})")
        print(f"ours: the API, page by page in process  {ours:7.3f} s CPU (median of {repeat})")
        print(f"ratio ours / floor: {ours / floor:.2f}x")
        print("load average:", " ".join(f"{value:.2f}" for value in os.getloadavg()))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
