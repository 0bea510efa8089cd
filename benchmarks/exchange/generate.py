"""Benchmark: `partnernet generate` against a raw bulk insert of the same rows, in the same run.

1. Seed a fresh SQLite instance and copy its database file (both sides start from the same state).
2. Time `partnernet generate --entities N --partnerships M` as a subprocess (its peak memory from rusage).
3. Floor: read back every row generate wrote (feed events and tally rows included) and insert the same rows
   into the copy with plain `sqlite3.executemany` in 5,000-row batches, one transaction - no ORM, no
   validation, no signing, no progress.
4. Print rows, seconds, rows/s and the ratio (our time / baseline time).

Usage: python benchmarks/exchange/generate.py --entities 20000 --partnerships 1000000
       (under a minute: --entities 2000 --partnerships 20000)
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TABLES = (
    "directory_entity",
    "directory_entity_regions",
    "directory_partner",
    "framework_stewardship",
    "partnerships_partnership",
    "partnerships_partnership_supporters",
    "partnerships_partnership_partners",
    "partnerships_partnership_themes",
    "support_supportrequest",
    "sustainability_need",
    "sustainability_need_stewardships",
    "sustainability_pledge",
    "federation_feedevent",
    "partnerships_registrytally",
    "partnerships_registrytallystate",
)
"""Every table ``generate`` writes, the signed feed events and the registry's facet tally included (the
tally's final rows: generate keeps it by counting batches in, the floor writes the result once). The search
index is filled by triggers on both sides."""
BATCH = 5000


def cli(data_dir: Path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["PARTNERNET_DATA_DIR"] = str(data_dir)
    subprocess.run(
        [sys.executable, "-m", "partnernet.cli", *args], env=env, check=True, stdout=subprocess.DEVNULL
    )


def counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}  # noqa: S608


def baseline_insert(source: Path, target: Path, before: dict[str, int]) -> tuple[int, float]:
    """Insert the rows generate added (those past the seeded ids) into ``target``; time only the inserts."""
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target, isolation_level=None)
    dst.execute("PRAGMA journal_mode=WAL")
    dst.execute("PRAGMA synchronous=NORMAL")
    dst.execute("PRAGMA foreign_keys=ON")
    rows = 0
    elapsed = 0.0
    dst.execute("BEGIN")
    for table in TABLES:
        columns = [row[1] for row in src.execute(f"PRAGMA table_info({table})")]
        names = ", ".join(columns)
        marks = ", ".join("?" for _ in columns)
        cursor = src.execute(f"SELECT {names} FROM {table} ORDER BY id LIMIT -1 OFFSET ?", (before[table],))  # noqa: S608
        while batch := cursor.fetchmany(BATCH):
            start = time.perf_counter()
            dst.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", batch)  # noqa: S608
            elapsed += time.perf_counter() - start
            rows += len(batch)
    start = time.perf_counter()
    dst.execute("COMMIT")
    elapsed += time.perf_counter() - start
    return rows, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entities", type=int, default=20000)
    parser.add_argument("--partnerships", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pn-bench-generate-"))
    try:
        ours, theirs = work / "ours", work / "baseline"
        cli(ours, "seed")
        theirs.mkdir()
        with sqlite3.connect(ours / "partnernet.sqlite3") as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copy(ours / "partnernet.sqlite3", theirs / "partnernet.sqlite3")
        before = counts(ours / "partnernet.sqlite3")

        start = time.perf_counter()
        cli(ours, "generate", "--entities", str(args.entities), "--partnerships", str(args.partnerships),
            "--seed", str(args.seed))  # fmt: skip
        ours_seconds = time.perf_counter() - start
        peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        after = counts(ours / "partnernet.sqlite3")
        ours_rows = sum(after[t] - before[t] for t in TABLES)

        base_rows, base_seconds = baseline_insert(
            ours / "partnernet.sqlite3", theirs / "partnernet.sqlite3", before
        )
        assert base_rows == ours_rows, (base_rows, ours_rows)

        print(f"rows written (all tables, links included): {ours_rows:,}")
        rate = ours_rows / ours_seconds
        print(f"partnernet generate : {ours_seconds:8.1f} s  {rate:12,.0f} rows/s  peak {peak_mib:.0f} MiB")
        print(f"raw executemany     : {base_seconds:8.1f} s  {base_rows / base_seconds:12,.0f} rows/s")
        print(f"ratio (ours / raw)  : {ours_seconds / base_seconds:8.2f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
