"""Benchmark: three instances in a chain, A → B → C, and what reaches C.

Records do not relay: an instance serves only its own records (a peer's page about another origin's record
is refused as ``foreign_record``), so C, pulling only B, never holds A's records. This measures that and
the way a movement connects many instances instead — every instance pulls every instance it wants records
from (a full mesh of `federation add`; a hub that everyone trusts does not relay either).

1. Seed A, B and C (SQLite, each its own folder, key and database); `partnernet generate` on A and on B
   (--records records each, about).
2. Chain: B trusts A, C trusts B. Time B's sync of A, then C's sync of B; count A's records on C (0).
3. Mesh: C also trusts A; time C's sync of A; count A's records on C.
4. Incremental along the mesh: change --changes partnerships on A, time B's and C's syncs of A.

Usage: python benchmarks/federation/chain.py --records 10000 --changes 1000
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sync import cli, fingerprint, serve, timed  # type: ignore[import-not-found]


def trust(who: Path, port: int, other_port: int) -> None:
    url = f"http://127.0.0.1:{other_port}"
    cli(who, port, "federation", "add", url, "--fingerprint", fingerprint(other_port))


def held_from(data_dir: Path, port: int, origin: str) -> int:
    code = (
        "from partnernet.federation.models import ForeignRecord as F\n"
        f"print(F.objects.filter(origin={origin!r}, deleted=False).count())\n"
    )
    return int(cli(data_dir, port, "shell", "-v", "0", "-c", code).strip())


def instance_of(port: int) -> str:
    import httpx

    return str(httpx.get(f"http://127.0.0.1:{port}/.well-known/partnernet", timeout=5).json()["instance"])


def sync(data_dir: Path, port: int, other_port: int) -> tuple[float, int]:
    seconds, out = timed(data_dir, port, "federation", "sync", f"http://127.0.0.1:{other_port}", "--json")
    report = json.loads(out)["peers"][0]
    return seconds, int(report["created"]) + int(report["updated"])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=10_000, help="records made on A and on B (about)")
    parser.add_argument("--changes", type=int, default=1_000, help="changes on A for the incremental sync")
    args = parser.parse_args()
    entities = max(50, args.records // 50)
    partnerships = max(100, int((args.records - entities * 4.1) / 0.8))
    base = Path(tempfile.mkdtemp(prefix="pn-bench-chain-"))
    ports = {"a": 18741, "b": 18742, "c": 18743}
    folders = {name: base / name for name in ports}
    for name, folder in folders.items():
        folder.mkdir()
        cli(folder, ports[name], "seed")
    for name, seed in (("a", "7"), ("b", "8")):
        print(f"generating on {name.upper()} …", file=sys.stderr)
        generate = [
            "generate",
            "--entities",
            str(entities),
            "--partnerships",
            str(partnerships),
            "--seed",
            seed,
        ]
        cli(folders[name], ports[name], *generate)
    servers: list[subprocess.Popen[bytes]] = [serve(folders[name], ports[name]) for name in ("a", "b", "c")]
    a, b, c = folders["a"], folders["b"], folders["c"]
    pa, pb, pc = ports["a"], ports["b"], ports["c"]
    try:
        origin_a = instance_of(pa)
        trust(b, pb, pa)
        trust(c, pc, pb)
        b_of_a, b_records = sync(b, pb, pa)
        c_of_b, c_records = sync(c, pc, pb)
        relayed = held_from(c, pc, origin_a)
        trust(c, pc, pa)
        c_of_a, c_direct = sync(c, pc, pa)
        direct = held_from(c, pc, origin_a)
        change_code = (
            "from partnernet.partnerships.models import Partnership as P\n"
            "from partnernet.base.identity import instance_id\n"
            "shared = P.objects.filter(origin=instance_id(), visibility='public')\n"
            f"for row in list(shared[:{args.changes}]):\n"
            "    row.title = row.title + ' (changed)'\n"
            "    row.save()\n"
        )
        cli(a, pa, "shell", "-v", "0", "-c", change_code)
        start = time.perf_counter()
        b_again, b_changed = sync(b, pb, pa)
        c_again, c_changed = sync(c, pc, pa)
        both = time.perf_counter() - start
    finally:
        for server in servers:
            server.terminate()
            server.wait()
    lines = [
        f"chain  B pulls A: {b_records:>7} records in {b_of_a:7.1f} s = {b_records / b_of_a:6.0f} records/s",
        f"chain  C pulls B: {c_records:>7} records in {c_of_b:7.1f} s = {c_records / c_of_b:6.0f} records/s",
        f"A's records on C through B (relay): {relayed}",
        f"mesh   C pulls A: {c_direct:>7} records in {c_of_a:7.1f} s; A's records on C now: {direct}",
        f"incremental ({args.changes} changes on A): B {b_changed} in {b_again:.1f} s, "
        f"C {c_changed} in {c_again:.1f} s, both {both:.1f} s",
    ]
    print("\n".join(lines))
    print(f"data: {base}", file=sys.stderr)


if __name__ == "__main__":
    main()
