"""Benchmark: `partnernet export partnerships --format csv` against one streaming SQL statement, same run.

1. Build an instance with `partnernet seed` and `partnernet generate --entities N --partnerships M` (SQLite in
   a temporary data folder; PostgreSQL with `--database-url postgres://...`, naming an empty database).
2. Ours, two ways, each timed: the export command run in this process (`call_command("export", ...)` after
   `django.setup()`: database rows to file bytes, no interpreter start), and the whole command line
   (`python -m partnernet.cli export ...` as a subprocess, interpreter and Django start included).
3. The floor: one SQL statement over a raw driver cursor (`sqlite3`; `psycopg` with a server-side cursor),
   joins for the single keys and the database's string aggregation (sorted) for the list cells, written by
   `csv.writer` with the same formula neutralising (FORMATS.md). No ORM, no validation, no progress.
4. The floor again as a whole process (this script started with `--floor-to FILE`: interpreter start, the
   statement, the file), the fair match for the whole command line.
5. Assert the four files are byte-identical; print the median of `--repeat` runs of each and the ratios.

Before timing, the source tree is compiled to bytecode (`compileall`), as an installed package is: an editable
install under `PYTHONDONTWRITEBYTECODE=1` (as on the CI machines) would otherwise compile every module of
Partnernet at every start of the command line, a cost no installed copy pays.

`--format jsonl` measures the JSON Lines export instead: the floor's statement then gathers each list as a
JSON array (`json_group_array` over the sorted subquery; `json_agg … ORDER BY … COLLATE "C"`), and its rows
are written by the C `json` encoder with the export's options, empty text as null.

Usage: python benchmarks/exchange/export.py [--entities 2000 --partnerships 50000] [--small] [--format jsonl]
       [--database-url postgres://postgres@127.0.0.1:5432/partnernet_bench] [--data-dir DIR]
`--small` (200 entities, 2,000 partnerships, two runs) takes under a minute on a quiet machine (the seed and
the three starts of the command line are most of it). `--data-dir` reuses (or keeps) a SQLite instance folder
so repeated runs skip the generate step.
"""

from __future__ import annotations

import argparse
import compileall
import csv
import io
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")

SQLITE_FLOOR = """
SELECT p.key, p.title, lead.key,
  (SELECT group_concat(k, ';') FROM (SELECT e.key AS k FROM partnerships_partnership_supporters s
     JOIN directory_entity e ON e.id = s.entity_id WHERE s.partnership_id = p.id ORDER BY e.key)),
  (SELECT group_concat(k, ';') FROM (SELECT x.key AS k FROM partnerships_partnership_partners s
     JOIN directory_partner x ON x.id = s.partner_id WHERE s.partnership_id = p.id ORDER BY x.key)),
  t.key,
  (SELECT group_concat(k, ';') FROM (SELECT h.key AS k FROM partnerships_partnership_themes s
     JOIN framework_theme h ON h.id = s.theme_id WHERE s.partnership_id = p.id ORDER BY h.key)),
  r.code, p.status, p.start, p."end", p.visibility
FROM partnerships_partnership p
JOIN directory_entity lead ON lead.id = p.lead_id
JOIN framework_partnershiptype t ON t.id = p.type_id
LEFT JOIN framework_region r ON r.id = p.region_id
WHERE p.origin IN (?, 'seed')
ORDER BY p.key, p.origin
"""

POSTGRES_FLOOR = """
SELECT p.key, p.title, lead.key,
  (SELECT string_agg(e.key, ';' ORDER BY e.key COLLATE "C") FROM partnerships_partnership_supporters s
     JOIN directory_entity e ON e.id = s.entity_id WHERE s.partnership_id = p.id),
  (SELECT string_agg(x.key, ';' ORDER BY x.key COLLATE "C") FROM partnerships_partnership_partners s
     JOIN directory_partner x ON x.id = s.partner_id WHERE s.partnership_id = p.id),
  t.key,
  (SELECT string_agg(h.key, ';' ORDER BY h.key COLLATE "C") FROM partnerships_partnership_themes s
     JOIN framework_theme h ON h.id = s.theme_id WHERE s.partnership_id = p.id),
  r.code, p.status, p.start::text, p."end"::text, p.visibility
FROM partnerships_partnership p
JOIN directory_entity lead ON lead.id = p.lead_id
JOIN framework_partnershiptype t ON t.id = p.type_id
LEFT JOIN framework_region r ON r.id = p.region_id
WHERE p.origin IN (%s, 'seed')
ORDER BY p.key, p.origin
"""

SQLITE_JSONL_FLOOR = SQLITE_FLOOR.replace("SELECT group_concat(k, ';')", "SELECT json_group_array(k)")
POSTGRES_JSONL_FLOOR = POSTGRES_FLOOR
for _alias in ("e", "x", "h"):
    POSTGRES_JSONL_FLOOR = POSTGRES_JSONL_FLOOR.replace(
        f"string_agg({_alias}.key, ';' ORDER BY {_alias}.key COLLATE \"C\")",
        f"coalesce(json_agg({_alias}.key ORDER BY {_alias}.key COLLATE \"C\"), '[]')::text",
    )
assert "group_concat" not in SQLITE_JSONL_FLOOR
assert "string_agg" not in POSTGRES_JSONL_FLOOR
LISTS = (3, 4, 6)
"""Positions of the list cells in a floor row (supporters, partners, themes)."""

HEADER = ["key", "title", "lead", "supporters", "partners", "type", "themes", "region", "status", "start",
          "end", "visibility"]  # fmt: skip
IDENTITY = "SELECT instance_id FROM base_instanceidentity ORDER BY id LIMIT 1"


def cli(env: dict[str, str], *args: str, quiet: bool = True) -> None:
    subprocess.run(
        [sys.executable, "-m", "partnernet.cli", *args],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
        stderr=subprocess.DEVNULL if quiet else None,
    )


def write_floor(rows: Iterable[tuple[Any, ...]], path: Path) -> int:
    """The floor's writer: ``csv.writer`` (``\\n`` line ends), each cell neutralised as FORMATS.md says."""
    count = 0
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(HEADER)
        for row in rows:
            writer.writerow(
                [
                    "" if cell is None else ("'" + cell if cell.startswith(FORMULA_STARTS) else cell)
                    for cell in row
                ]
            )
            count += 1
    return count


def write_jsonl_floor(rows: Iterable[tuple[Any, ...]], path: Path) -> int:
    """The floor's JSON Lines: each list cell's JSON array read by the C parser, empty text as null, the
    document written by the C encoder with the export's options (FORMATS.md)."""
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    loads = json.loads
    count = 0
    with path.open("w", encoding="utf-8", newline="") as stream:
        for row in rows:
            document = dict(zip(HEADER, [cell or None for cell in row], strict=True))
            for index in LISTS:
                document[HEADER[index]] = loads(row[index])
            stream.write(encode(document) + "\n")
            count += 1
    return count


def floor_sqlite(database: Path, path: Path, fmt: str = "csv") -> int:
    conn = sqlite3.connect(database)
    try:
        origin = conn.execute(IDENTITY).fetchone()[0]
        if fmt == "jsonl":
            return write_jsonl_floor(conn.execute(SQLITE_JSONL_FLOOR, (origin,)), path)
        return write_floor(conn.execute(SQLITE_FLOOR, (origin,)), path)
    finally:
        conn.close()


def floor_postgres(url: str, path: Path, fmt: str = "csv") -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        origin = conn.execute(IDENTITY).fetchone()
        assert origin is not None
        with conn.cursor(name="floor") as cursor:
            cursor.itersize = 2000
            if fmt == "jsonl":
                cursor.execute(POSTGRES_JSONL_FLOOR, (origin[0],))
                return write_jsonl_floor(cursor, path)
            cursor.execute(POSTGRES_FLOOR, (origin[0],))
            return write_floor(cursor, path)


def timed(run: Callable[[], object]) -> tuple[float, float]:
    """Wall seconds, and CPU seconds of this process and its children (the machine is shared: under load
    the CPU time is the steadier figure; the database server's own CPU is in neither)."""

    def cpu() -> float:
        own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

    start, start_cpu = time.perf_counter(), cpu()
    run()
    return time.perf_counter() - start, cpu() - start_cpu


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entities", type=int, default=2000)
    parser.add_argument("--partnerships", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--small", action="store_true", help="200 entities, 2,000 partnerships, 2 runs")
    parser.add_argument("--repeat", type=int, help="runs of each side, medians compared (default 3)")
    parser.add_argument("--database-url", help="an empty PostgreSQL database to build and export instead")
    parser.add_argument("--format", choices=["csv", "jsonl"], default="csv", help="the export's format")
    parser.add_argument("--floor-to", type=Path, help=argparse.SUPPRESS)
    parser.add_argument(
        "--data-dir", type=Path, help="keep (or reuse, when it holds one) the SQLite instance"
    )
    args = parser.parse_args()
    if args.floor_to is not None:  # the floor as its own process: no Django, nothing but the statement
        if args.database_url:
            floor_postgres(args.database_url, args.floor_to, args.format)
        else:
            floor_sqlite(args.data_dir / "partnernet.sqlite3", args.floor_to, args.format)
        return
    if args.small:
        args.entities, args.partnerships = 200, 2000
    args.repeat = args.repeat or (2 if args.small else 3)

    work = Path(tempfile.mkdtemp(prefix="pn-bench-export-"))
    data_dir = args.data_dir or work / "data"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["PARTNERNET_DATA_DIR"] = str(data_dir)
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    try:
        reuse = (
            args.data_dir is not None and (data_dir / "partnernet.sqlite3").exists() and not args.database_url
        )
        if not reuse:
            start = time.perf_counter()
            cli(env, "seed")
            cli(env, "generate", "--entities", str(args.entities), "--partnerships", str(args.partnerships),
                "--seed", str(args.seed))  # fmt: skip
            print(f"built the instance in {time.perf_counter() - start:.1f} s", file=sys.stderr)

        compileall.compile_dir(str(Path(__file__).resolve().parents[2] / "src"), quiet=1)
        os.environ.update(env)
        if not args.database_url:
            os.environ.pop("DATABASE_URL", None)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnernet.settings")
        import django

        django.setup()
        from django.core.management import call_command

        fmt = args.format
        ours_file, command_file = work / f"ours.{fmt}", work / f"command.{fmt}"
        floor_file, process_file = work / f"floor.{fmt}", work / f"floor-process.{fmt}"

        def ours() -> None:
            call_command("export", "partnerships", "--format", fmt, "--output", str(ours_file),
                         stderr=io.StringIO())  # fmt: skip

        def command() -> None:
            cli(env, "export", "partnerships", "--format", fmt, "--output", str(command_file))

        def floor() -> None:
            if args.database_url:
                floor_postgres(args.database_url, floor_file, fmt)
            else:
                floor_sqlite(data_dir / "partnernet.sqlite3", floor_file, fmt)

        def floor_process() -> None:
            where = ["--data-dir", str(data_dir)]
            if args.database_url:
                where = ["--database-url", args.database_url]
            floor_command = [sys.executable, __file__, "--format", fmt, "--floor-to", str(process_file)]
            subprocess.run([*floor_command, *where], check=True)

        times: dict[str, list[tuple[float, float]]] = {"ours": [], "command": [], "floor": [], "process": []}
        for _ in range(args.repeat):
            times["floor"].append(timed(floor))
            times["ours"].append(timed(ours))
            times["process"].append(timed(floor_process))
            times["command"].append(timed(command))
        floor_bytes = floor_file.read_bytes()
        assert ours_file.read_bytes() == floor_bytes, "in-process export differs from the floor's file"
        assert command_file.read_bytes() == floor_bytes, "command-line export differs from the floor's file"
        assert process_file.read_bytes() == floor_bytes, "the floor's own process wrote another file"
        rows = floor_bytes.count(b"\n") - 1

        wall = {name: statistics.median(run[0] for run in runs) for name, runs in times.items()}
        cpu = {name: statistics.median(run[1] for run in runs) for name, runs in times.items()}
        engine = "PostgreSQL" if args.database_url else f"SQLite {sqlite3.sqlite_version}"
        rows += fmt == "jsonl"  # no header line
        print(f"{engine}; {fmt}; {rows:,} partnerships, {len(floor_bytes):,} bytes, files byte-identical")
        print(f"{'':40} {'wall (median)':>14} {'CPU (median)':>13}   wall runs")
        for name, label in (
            ("floor", "floor: one SQL statement + its writer"),
            ("ours", "ours: export command, in process"),
            ("process", "floor as a whole process"),
            ("command", "ours: partnernet export (whole CLI)"),
        ):
            runs = ", ".join(f"{run[0]:.2f}" for run in times[name])
            print(f"{label:40} {wall[name]:12.2f} s {cpu[name]:11.2f} s   ({runs})")
        for name, label, base in (
            ("ours", "in process", "floor"),
            ("command", "whole CLI", "floor"),
            ("command", "whole CLI", "process"),
        ):
            print(
                f"ratio {label:10} / {'floor' if base == 'floor' else 'floor process'}: "
                f"wall {wall[name] / wall[base]:5.2f}x, CPU {cpu[name] / cpu[base]:5.2f}x"
            )
        print("load average:", " ".join(f"{value:.2f}" for value in os.getloadavg()))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
