"""Load test: the real ``partnernet serve`` (gunicorn, gthread) under ``wrk``, page by page.

Builds an instance (or reuses one), starts ``partnernet serve`` on it as the operator would, and drives it
with ``wrk`` from a second process, one target at a time, at 16 and then 64 connections. Each target rotates
over at least 100 distinct URLs (a wrk Lua script walks a list of paths, each wrk thread from its own
starting point), so nothing is measured on one warm row:

* ``home``: ``/`` (the page has no parameters: a dummy ``_=N`` parameter makes the 100 URLs distinct; there
  is no URL-keyed cache, so it changes nothing but the log);
* ``registry first``: ``/partnerships/``, the first page in each of the five sort orders (dummy-padded);
* ``registry filtered``: ``/partnerships/?type=…&status=…&region=…`` over a seeded sample of the product;
* ``registry search``: ``/partnerships/?q=WORD`` over words of the public titles and descriptions, spread
  across the frequency ranking (common and rare words alike), and pairs of them where there are few words;
* ``entity page``: ``/directory/entities/KEY/``;
* ``matrix``: ``/matrix/?level=…&theme=…&map=…``;
* ``analytics``: ``/analytics/?level=…`` (dummy-padded);
* ``api list``: ``/api/v1/partnerships`` first pages, unfiltered and filtered by type, status and region;
* ``api next``: the following pages, by the ``next`` cursors the API handed out (walked before the run);
* ``openapi``: ``/api/v1/openapi.json`` (dummy-padded);
* ``healthz``: ``/healthz``, the small-JSON ceiling (a few one-row queries, a small JSON answer; padded).

Every request is anonymous (public rows). Before the load, ten URLs of each target (three with ``--small``)
are fetched once and must answer 200, which also warms the server up. Per target and connection count it
prints requests/s, p50 and p99 (wrk's own histogram, 30 s timeout; a run's p99 cannot exceed its length) and
errors (socket errors and non-2xx/3xx answers), then checks the
targets: at least 100 requests/s on demo data, p99 under 500 ms at 16 connections.

Data (built in ``--data-dir`` when it holds none yet, reused otherwise; a temporary folder by default):

* default: ``partnernet seed`` then ``partnernet generate --entities E --partnerships P --seed 1`` with
  P = ``--partnerships`` (100,000) and E = P / 50;
* ``--small``: the demo data (``partnernet seed --demo``, 58 partnerships, 207 entities) and 1 s per run:
  about 80 s on the shared 2-core machine at load average 7 to 8 once ``--data-dir`` holds the instance (the
  server's start, the cursor walk, 22 one-second runs and the drains between them; under a minute on a quiet
  machine is likely but was not seen); the first run seeds the instance (about 50 s more).

``--database-url postgres://…`` serves (and builds into) that database instead of SQLite; the data folder
still holds the secret and federation keys and the static files. Run from the repository root::

    PYTHONPATH=src .venv/bin/python benchmarks/web/load.py --small
    PYTHONPATH=src .venv/bin/python benchmarks/web/load.py --data-dir /work/bench-data/load-100k
    PYTHONPATH=src .venv/bin/python benchmarks/web/load.py --data-dir /work/bench-data/load-100k-pg \\
        --database-url postgres://USER@127.0.0.1/partnernet_load

The machine running the server also runs wrk (two threads): on a small machine the figures are a floor.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import httpx

SRC = Path(__file__).resolve().parents[2] / "src"
MARKER = "load-benchmark.json"
"""Written in the data folder once the instance is built: what it holds, so a later run can reuse it."""
MINIMUM_URLS = 100
DEMO_RPS_TARGET = 100.0
P99_TARGET_MS = 500.0

LUA = r"""
local paths = {}
local next_index = 0

function init(args)
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
  -- each thread starts somewhere else in the list, so the threads do not ask for the same page at once
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16) % 100000)
  next_index = math.random(#paths) - 1
end

function request()
  next_index = next_index % #paths + 1
  return wrk.format("GET", paths[next_index])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d, "p50_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


@dataclass(frozen=True)
class Target:
    name: str
    paths: list[str]
    natural: int
    """How many of the paths differ in more than the dummy parameter."""


@dataclass(frozen=True)
class Measure:
    target: str
    connections: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int


def instance_env(data_dir: Path, database_url: str | None, port: int) -> dict[str, str]:
    values = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    values["PARTNERNET_DATA_DIR"] = str(data_dir)
    values["PARTNERNET_BASE_URL"] = f"http://127.0.0.1:{port}"
    values["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), values.get("PYTHONPATH")]))
    if database_url:
        values["DATABASE_URL"] = database_url
    return values


def cli(env: dict[str, str], *args: str) -> None:
    started = time.perf_counter()
    print(f"partnernet {' '.join(args)} …", file=sys.stderr, flush=True)
    result = subprocess.run(
        [sys.executable, "-m", "partnernet.cli", *args], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"partnernet {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    print(f"  done in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)


def build(data_dir: Path, env: dict[str, str], wanted: dict[str, object]) -> None:
    """Seed (and generate) into ``data_dir`` unless a previous run left the same instance there."""
    marker = data_dir / MARKER
    if marker.exists():
        found = json.loads(marker.read_text())
        if found != wanted:
            raise SystemExit(f"{data_dir} holds another instance ({found}); pick another --data-dir")
        print(f"reusing the instance in {data_dir}: {found}", file=sys.stderr)
        return
    data_dir.mkdir(parents=True, exist_ok=True)
    if wanted["small"]:
        cli(env, "seed", "--demo")
    else:
        cli(env, "seed")
        cli(
            env,
            "generate",
            "--entities",
            str(wanted["entities"]),
            "--partnerships",
            str(wanted["partnerships"]),
            "--seed",
            "1",
        )
    marker.write_text(json.dumps(wanted))


def padded(paths: Iterable[str], minimum: int = MINIMUM_URLS) -> tuple[list[str], int]:
    """At least ``minimum`` distinct paths: the given ones, then again with a dummy ``_=N`` parameter."""
    natural = list(dict.fromkeys(paths))
    if not natural:
        raise SystemExit("no URL for a target: is the instance empty?")
    result = list(natural)
    for number, path in enumerate(itertools.cycle(natural)):
        if len(result) >= minimum:
            break
        result.append(f"{path}{'&' if '?' in path else '?'}_={number}")
    return result, len(natural)


def query(path: str, **params: str | None) -> str:
    given = {key: value for key, value in params.items() if value}
    return f"{path}?{urlencode(given)}" if given else path


def vocabulary(env: dict[str, str]) -> dict[str, list[str]]:
    """Keys, codes and words of the instance, read with the ORM in a child process (before the server)."""
    code = """
import json, re
from collections import Counter
import django
django.setup()
from django.contrib.auth.models import AnonymousUser
from partnernet.directory.models import Entity
from partnernet.framework.models import PartnershipType, Region, Theme
from partnernet.partnerships.rules import visible_partnerships
public = visible_partnerships(AnonymousUser())
words = Counter()
for title, description in public.order_by("pk").values_list("title", "description")[:5000]:
    words.update({w.lower() for w in re.findall(r"[^\\W\\d_]{4,}", f"{title} {description or ''}")})
print(json.dumps({
    "types": list(PartnershipType.objects.order_by("key").values_list("key", flat=True)),
    "themes": list(Theme.objects.order_by("key").values_list("key", flat=True)),
    "regions": list(Region.objects.filter(level__in=["region", "subregion"]).order_by("code")
                    .values_list("code", flat=True)),
    "countries": list(Region.objects.filter(level="country").order_by("code").values_list("code", flat=True)),
    "entities": list(Entity.objects.order_by("pk").values_list("key", flat=True)[:400]),
    "words": [word for word, _ in words.most_common()],
}))
"""
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "partnernet.settings"},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"reading the instance's vocabulary failed:\n{result.stderr[-3000:]}")
    loaded: dict[str, list[str]] = json.loads(result.stdout)
    return loaded


def spread(items: list[str], count: int) -> list[str]:
    """``count`` items evenly spaced over ``items`` (all of them when there are fewer)."""
    if len(items) <= count:
        return list(items)
    step = len(items) / count
    return [items[int(i * step)] for i in range(count)]


def searches(ranked: list[str], rng: random.Random, count: int = 150) -> list[str]:
    """Words spread over the frequency ranking; where the titles use few words (generated data), pairs of
    them too (every word must match), so the searches differ."""
    chosen = spread(ranked, count)
    pairs = [f"{a} {b}" for a, b in itertools.combinations(ranked[:40], 2)]
    rng.shuffle(pairs)
    return chosen + pairs[: max(0, count - len(chosen))]


def cursor_pages(base: str, first_pages: list[str], wanted: int) -> list[str]:
    """Follow ``next`` links from each first page in turn until ``wanted`` distinct next pages are known."""
    found: list[str] = []
    with httpx.Client(base_url=base, timeout=60) as session:
        for first in first_pages:
            path: str | None = first
            while path and len(found) < wanted:
                answer = session.get(path)
                answer.raise_for_status()
                following = answer.json().get("next")
                if not following:
                    break
                parts = urlsplit(following)
                path = f"{parts.path}?{parts.query}" if parts.query else parts.path
                found.append(path)
            if len(found) >= wanted:
                break
    return found


def targets(words: dict[str, list[str]], base: str, seed: int) -> list[Target]:
    rng = random.Random(seed)
    types, themes, regions = words["types"], words["themes"], words["regions"]
    statuses = ["active", "concluded", "prospect", "negotiating", "paused"]
    combos = list(itertools.product(types, statuses, regions + spread(words["countries"], 40)))
    rng.shuffle(combos)
    sorts = ["", "-start", "start", "title", "-title"]
    levels = ["subregion", "region"]
    api_filters = list(itertools.product([None, *types], [None, *statuses], [None, *regions]))
    rng.shuffle(api_filters)
    api_first = [
        query("/api/v1/partnerships", type=t, status=s, region=r) for t, s, r in api_filters[:MINIMUM_URLS]
    ]
    walks = [query("/api/v1/partnerships", limit=str(limit)) for limit in (50, 20, 10, 5, 2, 1)]
    made = {
        "home": padded(["/"]),
        "registry first": padded(query("/partnerships/", sort=sort) for sort in sorts),
        "registry filtered": padded(
            query("/partnerships/", type=t, status=s, region=r) for t, s, r in combos[:150]
        ),
        "registry search": padded(query("/partnerships/", q=text) for text in searches(words["words"], rng)),
        "entity page": padded(f"/directory/entities/{key}/" for key in spread(words["entities"], 150)),
        "matrix": padded(
            query("/matrix/", level=level, theme=theme, map=mapped)
            for level, theme, mapped in itertools.product(levels, [None, *themes], types[:5])
        ),
        "analytics": padded(query("/analytics/", level=level) for level in levels),
        "api list": padded(["/api/v1/partnerships", *api_first]),
        "api next": padded(cursor_pages(base, walks, 120)),
        "openapi": padded(["/api/v1/openapi.json"]),
        "healthz": padded(["/healthz"]),
    }
    return [Target(name, paths, natural) for name, (paths, natural) in made.items()]


def start_server(
    env: dict[str, str], port: int, workers: int, threads: int, log: Path
) -> subprocess.Popen[bytes]:
    with log.open("wb") as sink:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "partnernet.cli",
                "serve",
                "--port",
                str(port),
                "--workers",
                str(workers),
                "--threads",
                str(threads),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=sink,
        )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"partnernet serve exited with {server.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    server.terminate()
    raise SystemExit("partnernet serve did not answer /healthz within 3 minutes")


def check(base: str, chosen: list[Target], per_target: int) -> None:
    """Fetch ``per_target`` URLs of each target once: each must answer 200 (and this warms the server up)."""
    with httpx.Client(base_url=base, timeout=120) as session:
        for target in chosen:
            for path in spread(target.paths, per_target):
                answer = session.get(path)
                if answer.status_code != 200:
                    raise SystemExit(f"{target.name}: {path} answered {answer.status_code}")


def drain(base: str) -> None:
    """Wait until the requests wrk left queued at the server are answered, so the next run starts clean.

    wrk stops counting at the deadline, but up to one request per connection is still queued at gunicorn; a
    ``/healthz`` answered behind them, then a fast one, means the queue is empty.
    """
    with httpx.Client(base_url=base, timeout=120) as session:
        for _ in range(20):
            started = time.perf_counter()
            session.get("/healthz")
            if time.perf_counter() - started < 0.2:
                return
            time.sleep(0.2)


def run_wrk(base: str, target: Target, connections: int, seconds: int, threads: int, work: Path) -> Measure:
    paths_file = work / (re.sub(r"\W+", "-", target.name) + ".txt")
    paths_file.write_text("\n".join(target.paths) + "\n")
    script = work / "rotate.lua"
    command = [
        "wrk",
        f"-t{min(threads, connections)}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "30s",
        "-s",
        str(script),
        base,
        "--",
        str(paths_file),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    line = next((row for row in result.stdout.splitlines() if row.startswith("RESULT ")), None)
    if result.returncode != 0 or line is None:
        raise SystemExit(f"wrk failed on {target.name}:\n{result.stdout}\n{result.stderr}")
    figures = json.loads(line.removeprefix("RESULT "))
    errors = sum(figures[k] for k in ("connect", "read", "write", "status", "timeout"))
    duration = figures["duration_us"] / 1e6
    return Measure(
        target=target.name,
        connections=connections,
        requests_per_second=figures["requests"] / duration,
        p50_ms=figures["p50_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000,
        errors=errors,
        requests=figures["requests"],
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--small", action="store_true", help="demo data (seed --demo), 1 s per run")
    parser.add_argument("--partnerships", type=int, default=100_000, help="partnerships to generate")
    parser.add_argument("--entities", type=int, help="entities to generate (default partnerships / 50)")
    parser.add_argument("--data-dir", type=Path, help="instance folder, built when empty, reused otherwise")
    parser.add_argument(
        "--database-url", help="serve from this database (e.g. postgres://…) instead of SQLite"
    )
    parser.add_argument("--connections", type=int, nargs="+", default=[16, 64])
    parser.add_argument("--seconds", type=int, help="whole seconds per wrk run (default 10, --small 1)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (serve's default: 2)")
    parser.add_argument(
        "--threads", type=int, default=4, help="threads per gunicorn worker (serve's default: 4)"
    )
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--port", type=int, default=18_790)
    parser.add_argument("--only", nargs="+", help="measure only these targets (names as printed)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    seconds = args.seconds or (1 if args.small else 10)
    entities = args.entities or max(200, args.partnerships // 50)
    wanted: dict[str, object] = (
        {"small": True}
        if args.small
        else {"small": False, "entities": entities, "partnerships": args.partnerships}
    )
    wanted["database"] = "url" if args.database_url else "sqlite"

    scratch = Path(tempfile.mkdtemp(prefix="pn-load-"))
    data_dir = args.data_dir or scratch / "data"
    env = instance_env(data_dir, args.database_url, args.port)
    base = f"http://127.0.0.1:{args.port}"
    try:
        build(data_dir, env, wanted)
        words = vocabulary(env)
        (scratch / "rotate.lua").write_text(LUA)
        # The instance's cache (settings.CACHES) outlives the server; a run starts without it, as a server
        # started afresh on a new instance would, so no earlier run's counts are read.
        shutil.rmtree(data_dir / "cache", ignore_errors=True)
        server = start_server(env, args.port, args.workers, args.threads, scratch / "server.log")
        try:
            chosen = [t for t in targets(words, base, seed=1) if not args.only or t.name in args.only]
            check(base, chosen, 3 if args.small else 10)
            drain(base)
            print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
            served = f"partnernet serve --workers {args.workers} --threads {args.threads} (gthread)"
            print(f"instance: {wanted}; {served}")
            print(f"wrk: {args.wrk_threads} threads, {seconds} s per run, load average {_load()} before")
            print("| target | URLs (distinct) | connections | requests/s | p50 ms | p99 ms | errors |")
            print("|---|---:|---:|---:|---:|---:|---:|")
            measures: list[Measure] = []
            for connections in args.connections:
                for target in chosen:
                    measure = run_wrk(base, target, connections, seconds, args.wrk_threads, scratch)
                    drain(base)
                    measures.append(measure)
                    print(
                        f"| {target.name} | {len(target.paths)} ({target.natural}) | {connections} | "
                        f"{measure.requests_per_second:.1f} | {measure.p50_ms:.1f} | {measure.p99_ms:.1f} | "
                        f"{measure.errors} |",
                        flush=True,
                    )
            print(f"load average after: {_load()}")
            verdict(measures, small=args.small)
        finally:
            server.terminate()
            server.wait(timeout=60)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def verdict(measures: list[Measure], *, small: bool) -> None:
    slow = [m for m in measures if m.connections == 16 and m.p99_ms >= P99_TARGET_MS]
    errors = [m for m in measures if m.errors]
    print(f"p99 < {P99_TARGET_MS:.0f} ms at 16 connections: " + _names(slow, "met by every target"))
    if small:
        low = [m for m in measures if m.connections == 16 and m.requests_per_second < DEMO_RPS_TARGET]
        print(f">= {DEMO_RPS_TARGET:.0f} requests/s on demo data (16 connections): " + _names(low, "met"))
    print("errors: " + _names(errors, "none"))


def _names(measures: list[Measure], ok: str) -> str:
    if not measures:
        return ok
    return "NOT met by " + ", ".join(f"{m.target} ({m.connections})" for m in measures)


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


if __name__ == "__main__":
    main()
