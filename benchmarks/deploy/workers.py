"""How many gunicorn workers ``partnernet serve`` should run: throughput and latency per worker count.

Starts ``partnernet serve --workers N`` (gthread, 4 threads each) on a copy of a seeded data folder, warms it
up, then has C concurrent clients fetch a mix of pages and API reads for a fixed time, and prints one
Markdown row per worker count. Usage (a migrated, seeded data folder, e.g. after ``partnernet seed --demo``):

    .venv/bin/python benchmarks/deploy/workers.py DATA_DIR [--workers 1 2 3 4] [--clients 8] [--seconds 20]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

PATHS = ["/", "/partnerships/", "/api/v1/entities?limit=50", "/api/v1/partnerships?limit=50", "/healthz"]


def wait_ready(base: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code in (200, 503):
                return
        except httpx.HTTPError:
            time.sleep(0.5)
    raise RuntimeError("the server did not start")


def load(base: str, clients: int, seconds: float) -> tuple[int, list[float], int]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(index: int) -> None:
        nonlocal errors
        with httpx.Client(base_url=base, timeout=30) as session:
            n = index
            while time.monotonic() < stop:
                path = PATHS[n % len(PATHS)]
                n += 1
                started = time.perf_counter()
                try:
                    ok = session.get(path).status_code < 500
                except httpx.HTTPError:
                    ok = False
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    errors += 0 if ok else 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies), latencies, errors


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 3, 4])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f}; {args.clients} clients, {args.seconds:.0f} s each")
    print("| workers x threads | requests/s | median ms | p95 ms | errors |")
    print("|---|---:|---:|---:|---:|")
    for workers in args.workers:
        with tempfile.TemporaryDirectory() as work:
            data = Path(work) / "data"
            shutil.copytree(args.data_dir, data)
            env = {**os.environ, "PARTNERNET_DATA_DIR": str(data)}
            env.pop("DATABASE_URL", None)
            server = subprocess.Popen(
                [sys.executable, "-m", "partnernet.cli", "serve", "--port", str(args.port),
                 "--workers", str(workers)],
                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            base = f"http://127.0.0.1:{args.port}"
            try:
                wait_ready(base)
                load(base, args.clients, 3)  # warm-up: imports, caches, first queries
                count, latencies, errors = load(base, args.clients, args.seconds)
            finally:
                server.terminate()
                server.wait(timeout=30)
        ordered = sorted(latencies)
        p95 = ordered[int(len(ordered) * 0.95) - 1] if ordered else 0.0
        print(
            f"| {workers} x 4 | {count / args.seconds:.1f} | {statistics.median(ordered) * 1000:.0f} | "
            f"{p95 * 1000:.0f} | {errors} |"
        )


if __name__ == "__main__":
    main()
