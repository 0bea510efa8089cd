"""Benchmark: `partnernet import partnerships FILE` against a raw insert of the same rows, in the same run.

Issue 20, item 1: a bulk write should cost at most 1.5x the raw insert of the rows it writes, feed and tally
rows included, with peak memory flat in the row count.

1. Data: a source instance runs `partnernet generate --entities E --partnerships P`; its entities, partners
   and partnerships are exported as CSV.
2. A fresh instance (a copy of the source's folder taken right after its seed, on SQLite; seeded anew on
   PostgreSQL) imports the entities and partners (not timed); its database is copied for the floor, so both
   sides start from the same state.
3. Ours: `partnernet import partnerships FILE` as a subprocess, timed from start to exit (start-up
   included); its peak memory from its own rusage.
4. Floor: every row the import added - partnerships, their three link tables, the feed events, the
   registry tally cells, the feed counter - inserted into the copy without the ORM: `executemany` in
   5,000-row batches in one transaction on SQLite, `COPY` on PostgreSQL. Signing is part of the work: the
   floor signs each feed document itself with the raw Ed25519 library (key loaded once, the document
   encoded with the C `json` encoder, the signatures made across as many threads as the import uses) and
   must produce the very bytes the import stored. The floor does not
   read or check the file, so the ratio also carries the cost of parsing, cleaning and planning.
5. Check that both databases hold the same number of rows in every table and the same feed documents;
   print rows, seconds, the ratio (ours / floor) and the import's peak memory.

Usage:
  python benchmarks/exchange/import_rows.py [--partnerships 50000] [--entities 2000]
  python benchmarks/exchange/import_rows.py --small                # 5,000 partnerships, under a minute
  python benchmarks/exchange/import_rows.py --database-url postgres://postgres@127.0.0.1:5432/pn_bench_import
  python benchmarks/exchange/import_rows.py --small --profile import.prof  # where the import's time goes
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

TABLES = (
    "partnerships_partnership",
    "partnerships_partnership_supporters",
    "partnerships_partnership_partners",
    "partnerships_partnership_themes",
    "partnerships_registrytally",
    "federation_feedevent",
)
CHECKED = (*TABLES, "partnerships_search")
SAMPLED = "partnerships_search_sampled"
"""SQLite's second index, of the sample's buckets (also kept by triggers, on both sides)."""
FEED = "federation_feedevent"
BATCH = 5000
PURPOSE = b"partnernet-activity-v1"


class Database:
    """One side's database: SQLite file or PostgreSQL database, with the few statements the bench needs."""

    def __init__(self, sqlite: Path | None = None, url: str | None = None):
        self.sqlite, self.url = sqlite, url

    def connect(self) -> Any:
        if self.sqlite is not None:
            conn = sqlite3.connect(self.sqlite, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            return conn
        import psycopg

        return psycopg.connect(self.url, autocommit=True)

    def rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        conn = self.connect()
        try:
            marks = sql if self.sqlite is not None else sql.replace("?", "%s")
            return list(conn.execute(marks, params).fetchall())
        finally:
            conn.close()

    def columns(self, table: str) -> list[str]:
        if self.sqlite is not None:
            return [row[1] for row in self.rows(f"PRAGMA table_info({table})")]
        sql = (
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
            "ORDER BY ordinal_position"
        )
        return [row[0] for row in self.rows(sql, table)]

    def last_ids(self) -> dict[str, int]:
        return {t: self.rows(f"SELECT COALESCE(MAX(id), 0) FROM {t}")[0][0] for t in TABLES}  # noqa: S608

    def counts(self) -> dict[str, int]:
        checked = (*CHECKED, SAMPLED) if self.sqlite is not None else CHECKED
        return {t: self.rows(f"SELECT COUNT(*) FROM {t}")[0][0] for t in checked}  # noqa: S608


def run(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "partnernet.cli", *args], env=env, check=True, stdout=subprocess.DEVNULL
    )


def timed(env: dict[str, str], *args: str, profile: Path | None = None) -> tuple[float, float, float]:
    """Seconds, CPU seconds and peak resident MiB of one command, from its own rusage (not the earlier
    commands'); with ``profile``, run under cProfile and save its statistics there (times then include the
    profiler's overhead)."""
    start = time.perf_counter()
    profiler = ["-m", "cProfile", "-o", str(profile)] if profile else []
    process = subprocess.Popen([sys.executable, *profiler, "-m", "partnernet.cli", *args], env=env)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{' '.join(args)} failed ({process.returncode})")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def environment(data: Path, url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["PARTNERNET_DATA_DIR"] = str(data)
    if url:
        env["DATABASE_URL"] = url
    data.mkdir(parents=True, exist_ok=True)
    return env


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def recreate(url: str, *names: str, template: str | None = None) -> None:
    import psycopg

    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as conn:
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))


def with_floor_copy(work: Path, folder: Path, url: str | None) -> tuple[Database, Database]:
    """Ours (the instance in ``folder``, or the PostgreSQL database ``url``) and a copy of it taken now, for
    the floor: a database ``NAME_floor`` made from ours as a template, or SQLite's file after a checkpoint
    (copied into ``work/floor``)."""
    if url:
        name = urlsplit(url).path.lstrip("/")
        recreate(url, f"{name}_floor", template=name)
        return Database(url=url), Database(url=with_database(url, f"{name}_floor"))
    db = folder / "partnernet.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    (work / "floor").mkdir()
    shutil.copy(db, work / "floor" / "partnernet.sqlite3")
    return Database(sqlite=db), Database(sqlite=work / "floor" / "partnernet.sqlite3")


def quoted(names: list[str]) -> str:
    """Column names as SQL identifiers (``end`` is a reserved word on PostgreSQL)."""
    return ", ".join(f'"{name}"' for name in names)


def added_rows(db: Database, before: dict[str, int]) -> dict[str, tuple[list[str], list[tuple[Any, ...]]]]:
    """Every row the import added, by table, in id order (read outside the timer: the floor's input)."""
    added = {}
    for table in TABLES:
        columns = db.columns(table)
        sql = f"SELECT {quoted(columns)} FROM {table} WHERE id > ? ORDER BY id"  # noqa: S608
        added[table] = (columns, db.rows(sql, before[table]))
    return added


def unsigned_bodies(columns: list[str], rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    """The feed activities before signing: what a raw writer would have built from the rows."""
    at = columns.index("document")
    bodies = []
    for row in rows:
        body = json.loads(row[at])
        del body["signature"]
        bodies.append(body)
    return bodies


def load_key(data: Path) -> tuple[Ed25519PrivateKey, str]:
    key = serialization.load_pem_private_key((data / "federation-ed25519.pem").read_bytes(), password=None)
    assert isinstance(key, Ed25519PrivateKey)
    public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    import hashlib

    return key, hashlib.sha256(public).hexdigest()


ED25519_THREADS = min(4, os.cpu_count() or 1)
"""Threads a floor signs or checks Ed25519 signatures across: as many as our code uses
(``signing.ED25519_THREADS``). The library's calls release the GIL, and a floor on one core where our code
uses two would flatter our code."""


def in_threads(threads: ThreadPoolExecutor, work: Any, items: list[Any]) -> list[Any]:
    """``work`` over ``items`` in ``ED25519_THREADS`` contiguous parts, the results in order."""
    size = -(-len(items) // ED25519_THREADS) or 1
    parts = threads.map(work, [items[start : start + size] for start in range(0, len(items), size)])
    return [result for part in parts for result in part]


def sign_rows(
    key: Ed25519PrivateKey,
    fingerprint: str,
    columns: list[str],
    rows: list[tuple[Any, ...]],
    bodies: list[Any],
) -> list[tuple[Any, ...]]:
    """The feed rows with their documents signed here, once per row, as the floor's share of the work: across
    as many threads as the import signs with (``signing.ED25519_THREADS``; the Ed25519 call releases the GIL),
    so that a floor on one core does not flatter the import."""
    at = columns.index("document")
    texts = [
        PURPOSE
        + b"\n"
        + json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
        for body in bodies
    ]
    with ThreadPoolExecutor(ED25519_THREADS) as threads:
        signatures = in_threads(threads, lambda part: [key.sign(text) for text in part], texts)
    signed = []
    for row, body, signature in zip(rows, bodies, signatures, strict=True):
        value = base64.b64encode(signature).decode("ascii")
        body["signature"] = {"algorithm": "ed25519", "fingerprint": fingerprint, "value": value}
        document = json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        signed.append((*row[:at], document, *row[at + 1 :]))
    return signed


def floor_sqlite(
    target: Path, added: dict[str, tuple[list[str], list[Any]]], key: Any, fingerprint: str, last: int
) -> tuple[float, float]:
    """Seconds and CPU seconds (SQLite works in this process, so its CPU is counted too)."""
    columns, feed = added[FEED]
    bodies = unsigned_bodies(columns, feed)
    conn = Database(sqlite=target).connect()
    cpu = time.process_time()
    start = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    for table, (names, rows) in added.items():
        if table == FEED:
            rows = sign_rows(key, fingerprint, names, rows, bodies)
        sql = f"INSERT INTO {table} ({quoted(names)}) VALUES ({', '.join('?' for _ in names)})"  # noqa: S608
        for first in range(0, len(rows), BATCH):
            conn.executemany(sql, rows[first : first + BATCH])
    conn.execute("UPDATE federation_feedsequence SET last = ? WHERE id = 1", (last,))
    conn.execute("COMMIT")
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu
    conn.close()
    return seconds, cpu


def floor_postgres(
    url: str, added: dict[str, tuple[list[str], list[Any]]], key: Any, fingerprint: str, last: int
) -> float:
    import psycopg

    columns, feed = added[FEED]
    bodies = unsigned_bodies(columns, feed)
    with psycopg.connect(url) as conn:
        start = time.perf_counter()
        with conn.transaction(), conn.cursor() as cursor:
            for table, (names, rows) in added.items():
                if table == FEED:
                    rows = sign_rows(key, fingerprint, names, rows, bodies)
                with cursor.copy(f"COPY {table} ({quoted(names)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            cursor.execute("UPDATE federation_feedsequence SET last = %s WHERE id = 1", (last,))
        seconds = time.perf_counter() - start
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--partnerships", type=int, default=50_000)
    parser.add_argument("--entities", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--small", action="store_true", help="5,000 partnerships of 500 entities")
    parser.add_argument("--database-url", help="PostgreSQL URL; its database and NAME_floor are recreated")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (printed)")
    parser.add_argument("--profile", type=Path, help="run the import under cProfile, statistics to this file")
    args = parser.parse_args()
    if args.small:
        args.partnerships, args.entities = 5000, 500
    work = Path(tempfile.mkdtemp(prefix="pn-bench-import-"))
    try:
        source = environment(work / "source", None)
        run(source, "seed")
        seeded = work / "seeded"
        with sqlite3.connect(work / "source" / "partnernet.sqlite3") as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copytree(work / "source", seeded)
        run(source, "generate", "--entities", str(args.entities), "--partnerships", str(args.partnerships),
            "--seed", str(args.seed))  # fmt: skip
        for kind in ("entities", "partners", "partnerships"):
            run(source, "export", kind, "--output", str(work / f"{kind}.csv"))

        url = args.database_url
        if url:
            recreate(url, urlsplit(url).path.lstrip("/"))
        if url:
            ours_env = environment(work / "ours", url)
            run(ours_env, "seed")
        else:
            shutil.copytree(seeded, work / "ours")
            ours_env = environment(work / "ours", url)
        run(ours_env, "import", "entities", str(work / "entities.csv"))
        run(ours_env, "import", "partners", str(work / "partners.csv"))
        ours, floor = with_floor_copy(work, work / "ours", url)
        before = ours.last_ids()

        ours_seconds, ours_cpu, peak_mib = timed(
            ours_env, "import", "partnerships", str(work / "partnerships.csv"), profile=args.profile
        )

        added = added_rows(ours, before)
        last = ours.rows("SELECT last FROM federation_feedsequence WHERE id = 1")[0][0]
        key, fingerprint = load_key(work / "ours")
        if floor.url is None:
            floor_seconds, floor_cpu = floor_sqlite(floor.sqlite, added, key, fingerprint, last)  # type: ignore[arg-type]
        else:
            floor_seconds, floor_cpu = floor_postgres(floor.url, added, key, fingerprint, last), 0.0

        ours_counts, floor_counts = ours.counts(), floor.counts()
        assert ours_counts == floor_counts, (ours_counts, floor_counts)
        documents = "SELECT sequence, document FROM federation_feedevent WHERE id > ? ORDER BY id"
        assert ours.rows(documents, before[FEED]) == floor.rows(documents, before[FEED]), (
            "feed documents differ"
        )

        rows = sum(len(r) for _, r in added.values())
        engine = "PostgreSQL COPY" if url else "SQLite executemany"
        print(f"partnerships imported: {args.partnerships:,}; rows written: {rows:,} "
              + ", ".join(f"{t.split('_', 1)[1]} {len(r):,}" for t, (_, r) in added.items()))  # fmt: skip
        rate = rows / ours_seconds
        print(f"partnernet import : {ours_seconds:8.1f} s  {rate:10,.0f} rows/s  peak {peak_mib:.0f} MiB")
        rate = rows / floor_seconds
        print(f"raw {engine:<14}: {floor_seconds:8.1f} s  {rate:10,.0f} rows/s (signing included)")
        print(f"ratio (ours / raw): {ours_seconds / floor_seconds:8.2f}x")
        if floor.url is None:
            cpu_ratio = ours_cpu / floor_cpu
            print(f"CPU seconds       : ours {ours_cpu:.1f}, raw {floor_cpu:.1f}, ratio {cpu_ratio:.2f}x "
                  "(steadier than wall time on a shared machine)")  # fmt: skip
        if args.keep:
            print(f"kept {work}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
