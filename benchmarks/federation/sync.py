"""Benchmark: federation sync between two local instances against a plain export/import of the same rows.

1. Seed two fresh SQLite instances A and B (each its own data folder, key and database) and a third, C, for
   the baseline. On A run `partnernet generate` sized so its feed holds about --records records (entities,
   partners, stewardships, partnerships; private partnerships never leave and are not counted).
2. Serve A with `partnernet serve`; A trusts B as a movement peer and B trusts A (`federation add`).
3. Initial sync: time `partnernet federation sync` on B (verify every signature, apply every page).
4. Incremental sync: change --changes partnerships on A (one save each, captured as signed activities), then
   time the next sync on B.
5. Baseline, same run: time `partnernet export KIND --format jsonl` on A plus `partnernet import KIND` on C
   for the same kinds; for the incremental figure, time importing the same number of changed rows into C.
6. Print records, seconds, records/s and the ratio (sync time / export+import time).

Usage: python benchmarks/federation/sync.py --records 100000 --changes 1000
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

KINDS = ("entities", "partners", "stewardships", "partnerships")


def env(data_dir: Path, port: int) -> dict[str, str]:
    values = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    values["PARTNERNET_DATA_DIR"] = str(data_dir)
    values["PARTNERNET_BASE_URL"] = f"http://127.0.0.1:{port}"
    values["PARTNERNET_FEDERATION_TIMEOUT"] = "120"
    return values


def cli(data_dir: Path, port: int, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "partnernet.cli", *args],
        env=env(data_dir, port),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"partnernet {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


def timed(data_dir: Path, port: int, *args: str) -> tuple[float, str]:
    start = time.perf_counter()
    out = cli(data_dir, port, *args)
    return time.perf_counter() - start, out


def serve(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    return serve_env(env(data_dir, port), port)


def serve_env(values: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    """``partnernet serve`` with the environment ``values``, once it answers its well-known document."""
    process = subprocess.Popen(
        [sys.executable, "-m", "partnernet.cli", "serve", "--port", str(port)],
        env=values,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(300):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/.well-known/partnernet", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"the instance on port {port} did not start")


def fingerprint(port: int) -> str:
    return str(httpx.get(f"http://127.0.0.1:{port}/.well-known/partnernet", timeout=5).json()["fingerprint"])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=100_000, help="feed records to sync (about)")
    parser.add_argument("--changes", type=int, default=1_000, help="changes for the incremental sync")
    parser.add_argument("--port", type=int, default=18731, help="A serves on PORT, B on PORT+1, C PORT+2")
    args = parser.parse_args()
    entities = max(50, args.records // 50)
    # generate makes about 3 partners per entity and 1 stewardship per 10 entities; ~20% partnerships private.
    partnerships = max(100, int((args.records - entities * 4.1) / 0.8))

    base = Path(tempfile.mkdtemp(prefix="pn-bench-federation-"))
    a, b, c = base / "a", base / "b", base / "c"
    port_a, port_b, port_c = args.port, args.port + 1, args.port + 2
    for folder, port in ((a, port_a), (b, port_b), (c, port_c)):
        folder.mkdir()
        cli(folder, port, "seed")
    print(f"generating {entities} entities and {partnerships} partnerships on A …", file=sys.stderr)
    cli(
        a, port_a, "generate", "--entities", str(entities), "--partnerships", str(partnerships), "--seed", "7"
    )
    server = serve(a, port_a)
    try:
        b_server = serve(b, port_b)
        try:
            cli(
                b,
                port_b,
                "federation",
                "add",
                f"http://127.0.0.1:{port_a}",
                "--fingerprint",
                fingerprint(port_a),
            )
            trust_b = [
                "federation",
                "add",
                f"http://127.0.0.1:{port_b}",
                "--fingerprint",
                fingerprint(port_b),
            ]
            cli(a, port_a, *trust_b, "--movement")
        finally:
            b_server.terminate()
            b_server.wait()

        initial_seconds, out = timed(b, port_b, "federation", "sync", "--json")
        report = json.loads(out)["peers"][0]
        initial_records = report["created"] + report["updated"]

        change_code = (
            "from partnernet.partnerships.models import Partnership as P\n"
            "from partnernet.base.identity import instance_id\n"
            "shared = P.objects.filter(origin=instance_id()).exclude(visibility='private')\n"
            f"rows = list(shared[:{args.changes}])\n"
            "for row in rows:\n"
            "    row.title = row.title + ' (changed)'\n"
            "    row.save()\n"
        )
        cli(a, port_a, "shell", "-v", "0", "-c", change_code)
        incremental_seconds, out = timed(b, port_b, "federation", "sync", "--json")
        incremental = json.loads(out)["peers"][0]
        incremental_records = incremental["created"] + incremental["updated"]
    finally:
        server.terminate()
        server.wait()

    export_seconds = import_seconds = 0.0
    baseline_rows = 0
    changed_file = base / "changed.jsonl"
    for kind in KINDS:
        target = base / f"{kind}.jsonl"
        seconds, _ = timed(a, port_a, "export", kind, "--format", "jsonl", "--output", str(target))
        export_seconds += seconds
        rows = target.read_text().splitlines()
        if kind == "partnerships":
            rows = [line for line in rows if json.loads(line).get("visibility") != "private"]
            target.write_text("\n".join(rows) + "\n")
            changed = [json.loads(line) for line in rows[: args.changes]]
            for row in changed:
                row["title"] = row["title"] + " (edited)"
            changed_file.write_text("".join(json.dumps(row) + "\n" for row in changed))
        baseline_rows += len(rows)
        seconds, _ = timed(c, port_c, "import", kind, str(target))
        import_seconds += seconds
    baseline_incremental, _ = timed(c, port_c, "import", "partnerships", str(changed_file))

    baseline_seconds = export_seconds + import_seconds
    initial_rate = initial_records / initial_seconds
    baseline_rate = baseline_rows / baseline_seconds
    lines = [
        f"initial sync:      {initial_records:>7} records in {initial_seconds:7.1f} s = "
        f"{initial_rate:8.0f} records/s",
        f"export + import:   {baseline_rows:>7} rows    in {baseline_seconds:7.1f} s = "
        f"{baseline_rate:8.0f} rows/s (export {export_seconds:.1f} s, import {import_seconds:.1f} s)",
        f"ratio (time per record, sync / export+import): {baseline_rate / initial_rate:.2f}",
        f"incremental sync:  {incremental_records:>7} records in {incremental_seconds:7.1f} s = "
        f"{incremental_records / incremental_seconds:8.0f} records/s",
        f"import of changes: {args.changes:>7} rows    in {baseline_incremental:7.1f} s = "
        f"{args.changes / baseline_incremental:8.0f} rows/s",
        "ratio (incremental sync / import of the same changes): "
        f"{incremental_seconds / baseline_incremental:.2f}",
    ]
    print("\n".join(lines))
    print(f"data: {base}", file=sys.stderr)


if __name__ == "__main__":
    main()
