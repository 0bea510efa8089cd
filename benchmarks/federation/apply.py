"""Benchmark: applying a peer's feed against a raw insert of the rows it writes, in the same run.

Issue 20, item 1 (bulk writes: federation apply). `benchmarks/federation/sync.py` times a whole sync over
HTTP against export + import; this one isolates what the receiving instance does with the pages.

1. Instance A (SQLite) runs `partnernet generate`; instance B (SQLite, or PostgreSQL with
   --database-url) is seeded. Each trusts the other (`federation add`; A gives B the movement scope).
2. Recording (not timed): B runs the real `sync_peer` inside a transaction that is rolled back, through an
   HTTP transport that keeps every answer A gave (the well-known document and each feed page). A is then
   stopped: what follows involves no network and no work of A's.
3. Ours: in a process of B's, `sync_peer` runs again, answered from the recording by URL. This is the
   whole code path of a pull: the identity check, parsing, verifying every page and item signature,
   planning, writing the rows, the registry tally, the version rows, the cursor. Process start-up and
   Django set-up are outside the timer; the floor runs in a process of its own too.
4. Floor: the rows B's database gained or changed (found by comparing every table with a copy taken
   before the pull, outside the timer) written into that copy without the ORM: `executemany` in 5,000-row
   batches in one transaction on SQLite, `COPY` on PostgreSQL. Verification is part of the work: a pull
   that skips it would be unsafe, so the floor parses each recorded page with the C `json` module and
   checks the items digest, the page signature and every item signature with the raw Ed25519 library,
   each page's items across as many threads as the pull uses.
   It does not map documents to rows (it is handed them), so the ratio also carries that cost.
5. Check that every table of both databases holds the same rows; print rows, seconds, the ratio and the
   pull's peak resident memory (polled while it runs, apart from the recording it is answered from).

Usage:
  python benchmarks/federation/apply.py [--partnerships 50000] [--entities 2000]
  python benchmarks/federation/apply.py --small                    # 5,000 partnerships, under a minute
  python benchmarks/federation/apply.py --small --profile apply.prof  # where our pull's time goes
  python benchmarks/federation/apply.py --database-url postgres://postgres@127.0.0.1:5432/pn_bench_apply
"""

from __future__ import annotations

import argparse
import base64
import cProfile
import hashlib
import json
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "exchange"))
from import_rows import (
    BATCH,
    ED25519_THREADS,
    Database,
    environment,
    in_threads,
    quoted,
    recreate,
    run,
    with_floor_copy,
)
from sync import fingerprint, serve_env

PAGE_PURPOSE = b"partnernet-feed-page-v1"
ITEM_PURPOSE = b"partnernet-activity-v1"
SKIPPED = ("django_session", "sqlite_sequence", "sqlite_stat1", "sqlite_stat4")
"""Tables neither side writes in the pull (and SQLite's own bookkeeping, which the engine keeps)."""
TRIGGERED = ("partnerships_search", "partnerships_search_sampled", "library_search")
"""Search indexes kept by the database's own triggers on both sides: compared, never written by the floor."""


def canonical(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def resident_mib() -> float:
    """This process's resident memory now (Linux's ``/proc/self/statm``), in MiB."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class PeakMemory:
    """The highest resident memory seen while the block runs, polled every 50 ms. The process's own peak
    (rusage) would also count loading the recording, which grows with the feed; this counts the pull."""

    def __enter__(self) -> PeakMemory:
        self.before = self.peak = resident_mib()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()
        return self

    def _poll(self) -> None:
        while not self._done.wait(0.05):
            self.peak = max(self.peak, resident_mib())

    def __exit__(self, *_: object) -> None:
        self._done.set()
        self._thread.join()
        self.peak = max(self.peak, resident_mib())


def drive(mode: str, recording: Path, profile: Path | None = None) -> None:
    """Run inside B's environment: record A's answers (rolled back) or replay them (timed); the report and
    the timing go to stdout as one JSON line. With ``profile``, the replay runs under cProfile (its time
    then includes the profiler's overhead) and the statistics are saved there."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnernet.settings")
    django.setup()
    import httpx
    from django.db import transaction

    from partnernet.federation.models import Peer
    from partnernet.federation.pull import sync_peer

    peer = Peer.objects.get()
    if mode == "record":
        answers: dict[str, tuple[int, list[tuple[str, str]], bytes]] = {}
        real = httpx.HTTPTransport()

        def keep(request: httpx.Request) -> httpx.Response:
            response = real.handle_request(request)
            body = response.read()
            headers = [(k, v) for k, v in response.headers.items() if k.lower() != "content-encoding"]
            answers[str(request.url)] = (response.status_code, headers, body)
            return httpx.Response(response.status_code, headers=headers, content=body)

        with transaction.atomic():
            report = sync_peer(peer, client=httpx.Client(transport=httpx.MockTransport(keep)))
            transaction.set_rollback(True)
        recording.write_bytes(pickle.dumps(answers))
        print(json.dumps({"report": report.as_dict(), "answers": len(answers)}))
        return
    answers = pickle.loads(recording.read_bytes())  # noqa: S301 - our own file, written above

    def replay(request: httpx.Request) -> httpx.Response:
        status, headers, body = answers[str(request.url)]
        return httpx.Response(status, headers=headers, content=body)

    client = httpx.Client(transport=httpx.MockTransport(replay))
    profiler = cProfile.Profile() if profile else None
    cpu = time.process_time()
    start = time.perf_counter()
    if profiler:
        profiler.enable()
    with PeakMemory() as memory:
        report = sync_peer(peer, client=client)
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu
    if profiler:
        profiler.dump_stats(profile)
    print(
        json.dumps(
            {
                "report": report.as_dict(),
                "seconds": seconds,
                "cpu": cpu,
                "memory": {"before": memory.before, "peak": memory.peak},
            }
        )
    )


def driven(env: dict[str, str], mode: str, recording: Path, profile: Path | None = None) -> dict[str, Any]:
    profiled = ["--profile", str(profile)] if profile else []
    result = subprocess.run(
        [sys.executable, __file__, "--drive", mode, "--recording", str(recording), *profiled],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"{mode} failed:\n{result.stderr[-3000:]}")
    answer: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    if not answer["report"]["ok"]:
        raise SystemExit(f"{mode}: the pull failed: {answer['report']['error']}")
    return answer


class Snapshot:
    """Every row of every table, by table, keyed by ``id`` where the table has one (else by the whole row);
    SQLite values as stored, PostgreSQL rows in COPY's text form (so COPY can write them back unchanged)."""

    def __init__(self, db: Database):
        self.db = db
        self.tables: dict[str, tuple[list[str], dict[Any, Any]]] = {}
        for table in self.names():
            columns = db.columns(table)
            self.tables[table] = (columns, dict(self.read(table, columns)))

    def names(self) -> list[str]:
        if self.db.sqlite is not None:
            found = self.db.rows("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name")
            virtual = [name for name, sql in found if (sql or "").upper().startswith("CREATE VIRTUAL")]
            shadow = {
                name
                for name, _ in found
                if name not in virtual and any(name.startswith(f"{v}_") for v in virtual)
            }
            return [name for name, _ in found if name not in shadow and name not in SKIPPED]
        found = self.db.rows(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
            "AND table_type = 'BASE TABLE' ORDER BY table_name"
        )
        return [name for (name,) in found if name not in SKIPPED]

    def read(self, table: str, columns: list[str]) -> Iterator[tuple[Any, Any]]:
        """(key, row) pairs: the key is ``id``, else SQLite's rowid, else (PostgreSQL) the row itself."""
        keyed = "id" in columns
        if self.db.sqlite is not None:
            sql = f"SELECT rowid, {quoted(columns)} FROM {table} ORDER BY rowid"  # noqa: S608
            for row in self.db.rows(sql):
                yield (row[1 + columns.index("id")] if keyed else row[0]), row[1:]
            return
        import psycopg

        with psycopg.connect(self.db.url) as conn, conn.cursor() as cursor:
            select = f"SELECT {quoted(columns)} FROM {table}"  # noqa: S608
            with cursor.copy(f"COPY ({select}) TO STDOUT") as copy:
                text = b"".join(bytes(block) for block in copy)
        first = columns.index("id") if keyed else None
        for line in text.splitlines():
            yield (line.split(b"\t")[first] if first is not None else line), line + b"\n"


Changes = dict[str, tuple[list[str], list[Any], list[Any]]]
"""By table: its columns, the rows a pull added and the rows it changed."""


def changes(before: Snapshot, after: Snapshot) -> Changes:
    """By table: the rows the pull added and the rows it changed (it deletes none on a first pull)."""
    found = {}
    for table, (columns, rows) in after.tables.items():
        old = before.tables.get(table, (columns, {}))[1]
        added = [row for key, row in rows.items() if key not in old]
        changed = [row for key, row in rows.items() if key in old and old[key] != row]
        gone = [key for key in old if key not in rows]
        assert not gone, f"{table}: the pull deleted rows {gone[:3]}"
        if (added or changed) and table not in TRIGGERED:
            found[table] = (columns, added, changed)
    return found


def verify_pages(answers: dict[str, tuple[int, list[tuple[str, str]], bytes]], public_key: bytes) -> int:
    """What any safe pull must do with the pages: parse, check the digest and every signature."""
    key = Ed25519PublicKey.from_public_bytes(public_key)
    items = 0

    def check(signed: list[tuple[bytes, bytes]]) -> list[None]:
        return [key.verify(signature, message) for signature, message in signed]

    with ThreadPoolExecutor(ED25519_THREADS) as threads:
        for url, (_, _, body) in answers.items():
            if "/federation/feed" not in url:
                continue
            page = json.loads(body)
            ordered = page.pop("orderedItems")
            assert hashlib.sha256(canonical(ordered)).hexdigest() == page["itemsDigest"]
            signature = page.pop("signature")
            key.verify(base64.b64decode(signature["value"]), PAGE_PURPOSE + b"\n" + canonical(page))
            signed = []
            for item in ordered:
                signature = item.pop("signature")
                signed.append((base64.b64decode(signature["value"]), ITEM_PURPOSE + b"\n" + canonical(item)))
            in_threads(threads, check, signed)  # the page's item signatures, across as many threads as ours
            items += len(signed)
    return items


def floor_sqlite(target: Path, found: Changes, verify: Any) -> float:
    conn = Database(sqlite=target).connect()
    start = time.perf_counter()
    verify()
    conn.execute("BEGIN IMMEDIATE")
    for table, (names, added, changed) in found.items():
        marks = ", ".join("?" for _ in names)
        insert = f"INSERT INTO {table} ({quoted(names)}) VALUES ({marks})"  # noqa: S608
        for first in range(0, len(added), BATCH):
            conn.executemany(insert, added[first : first + BATCH])
        if changed:
            update = f"REPLACE INTO {table} ({quoted(names)}) VALUES ({marks})"  # noqa: S608
            conn.executemany(update, changed)
    conn.execute("COMMIT")
    seconds = time.perf_counter() - start
    conn.close()
    return seconds


def floor_postgres(url: str, found: Changes, verify: Any) -> float:
    """COPY for the added rows; the few changed rows (the peer's cursor, counters) are replaced by id."""
    import psycopg

    with psycopg.connect(url) as conn:
        start = time.perf_counter()
        verify()
        with conn.transaction(), conn.cursor() as cursor:
            for table, (names, added, changed) in found.items():
                if changed:
                    at = names.index("id")
                    ids = [row.split(b"\t")[at].decode() for row in changed]
                    cursor.execute(f"DELETE FROM {table} WHERE id::text = ANY(%s)", (ids,))  # noqa: S608
                with cursor.copy(f"COPY {table} ({quoted(names)}) FROM STDIN") as copy:
                    for row in (*added, *changed):
                        copy.write(row)
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
    parser.add_argument("--database-url", help="B on PostgreSQL; its database and NAME_floor are recreated")
    parser.add_argument("--port", type=int, default=18_741, help="A serves on PORT, B on PORT+1")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (printed)")
    parser.add_argument("--profile", type=Path, help="run our pull under cProfile, statistics to this file")
    parser.add_argument("--drive", choices=("record", "replay"), help=argparse.SUPPRESS)
    parser.add_argument("--recording", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.drive:
        drive(args.drive, args.recording, args.profile)
        return
    if args.small:
        args.partnerships, args.entities = 5000, 500
    work = Path(tempfile.mkdtemp(prefix="pn-bench-apply-"))
    try:
        url = args.database_url
        a_env = environment(work / "a", None)
        a_env["PARTNERNET_BASE_URL"] = f"http://127.0.0.1:{args.port}"
        b_env = environment(work / "b", url)
        b_env["PARTNERNET_BASE_URL"] = f"http://127.0.0.1:{args.port + 1}"
        if url:
            recreate(url, urlsplit(url).path.lstrip("/"))
        run(a_env, "seed")
        run(b_env, "seed")
        run(a_env, "generate", "--entities", str(args.entities), "--partnerships", str(args.partnerships),
            "--seed", str(args.seed))  # fmt: skip
        a_server = serve_env(a_env, args.port)
        try:
            b_server = serve_env(b_env, args.port + 1)
            try:
                a_print, b_print = fingerprint(args.port), fingerprint(args.port + 1)
                run(b_env, "federation", "add", f"http://127.0.0.1:{args.port}", "--fingerprint", a_print)
                run(a_env, "federation", "add", f"http://127.0.0.1:{args.port + 1}", "--fingerprint", b_print,
                    "--movement")  # fmt: skip
            finally:
                b_server.terminate()
                b_server.wait()
            recording = work / "answers.pickle"
            recorded = driven(b_env, "record", recording)
        finally:
            a_server.terminate()
            a_server.wait()

        ours, floor = with_floor_copy(work, work / "b", url)
        before = Snapshot(floor)

        replayed = driven(b_env, "replay", recording, args.profile)
        report = replayed["report"]
        assert report["created"] == recorded["report"]["created"], (report, recorded["report"])

        found = changes(before, Snapshot(ours))
        answers = pickle.loads(recording.read_bytes())  # noqa: S301 - written by this run
        well_known = next(body for u, (_, _, body) in answers.items() if "well-known" in u)
        public_key = base64.b64decode(json.loads(well_known)["public_key"])
        verified: list[int] = []

        def verify() -> None:
            verified.append(verify_pages(answers, public_key))

        if floor.url is not None:
            floor_seconds = floor_postgres(floor.url, found, verify)
        else:
            assert floor.sqlite is not None
            floor_seconds = floor_sqlite(floor.sqlite, found, verify)

        ours_after, floor_after = Snapshot(ours), Snapshot(floor)
        for table, (_, rows) in ours_after.tables.items():
            theirs = floor_after.tables[table][1]
            assert sorted(map(repr, rows.values())) == sorted(map(repr, theirs.values())), f"{table} differs"

        written = sum(len(added) + len(changed) for _, added, changed in found.values())
        engine = "PostgreSQL COPY" if url else "SQLite executemany"
        applied = report["created"] + report["updated"]
        print(f"partnerships generated on A: {args.partnerships:,}; feed items verified: {verified[0]:,}; "
              f"records applied: {applied:,}; rows written: {written:,}")  # fmt: skip
        print("  " + ", ".join(f"{t} {len(a) + len(c):,}" for t, (_, a, c) in found.items()))
        seconds = replayed["seconds"]
        memory = replayed["memory"]
        print(f"sync_peer (replayed) : {seconds:8.2f} s  {written / seconds:10,.0f} rows/s  "
              f"CPU {replayed['cpu']:.1f} s  resident {memory['before']:.0f} MiB before the pull, "
              f"{memory['peak']:.0f} MiB at its peak")  # fmt: skip
        print(f"raw {engine:<17}: {floor_seconds:8.2f} s  {written / floor_seconds:10,.0f} rows/s "
              "(parsing and verifying every signature included)")  # fmt: skip
        print(f"ratio (ours / raw)   : {seconds / floor_seconds:8.2f}x")
        if args.keep:
            print(f"kept {work}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
