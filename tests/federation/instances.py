"""Real Partnernet instances for federation tests: each its own data folder, SQLite database, key and
gunicorn server on a loopback port, driven through the real command line and HTTP."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.clitools import cli_env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Instance:
    name: str
    data_dir: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        env = cli_env(self.data_dir)
        env["PARTNERNET_BASE_URL"] = self.base_url
        env["PARTNERNET_FEDERATION_TIMEOUT"] = "30"
        env["PARTNERNET_LOG_LEVEL"] = "WARNING"
        return env

    def cli(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "partnernet.cli", *args],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def ok(self, *args: str) -> str:
        result = self.cli(*args)
        assert result.returncode == 0, f"{self.name} {' '.join(args)}: {result.stderr}"
        return result.stdout

    def python(self, code: str) -> str:
        """Run Django code in this instance (``partnernet shell -c``) and return what it printed."""
        return self.ok("shell", "--verbosity", "0", "-c", code)

    def start(self) -> None:
        log = (self.data_dir / "server.log").open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "partnernet.cli", "serve", "--port", str(self.port), "--workers", "1"],
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.base_url + "/.well-known/partnernet", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not start: {(self.data_dir / 'server.log').read_text()[-2000:]}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
            self.process = None

    def well_known(self) -> dict[str, Any]:
        return dict(httpx.get(self.base_url + "/.well-known/partnernet", timeout=5).json())

    @property
    def fingerprint(self) -> str:
        return str(self.well_known()["fingerprint"])

    @property
    def instance_id(self) -> str:
        return str(self.well_known()["instance"])

    def trust(self, other: Instance, *, movement: bool = False) -> None:
        args = ["federation", "add", other.base_url, "--fingerprint", other.fingerprint]
        self.ok(*args, *(["--movement"] if movement else []))

    def sync(self, other: Instance | None = None) -> dict[str, Any]:
        args = ["federation", "sync", *([other.base_url] if other else []), "--json"]
        result = self.cli(*args)
        assert result.returncode in (0, 1), result.stderr
        document: dict[str, Any] = json.loads(result.stdout)
        document["stderr"] = result.stderr
        document["returncode"] = result.returncode
        return document

    def import_rows(self, kind: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
        path = self.data_dir / f"{kind}-{time.monotonic_ns()}.jsonl"
        path.write_text("".join(json.dumps(row) + "\n" for row in rows))
        return dict(json.loads(self.ok("import", kind, str(path), "--json")))

    def export(self, kind: str, origin: str = "all") -> list[dict[str, Any]]:
        out = self.ok("export", kind, "--format", "jsonl", "--origin", origin)
        return [json.loads(line) for line in out.splitlines()]

    def keys(self, kind: str, origin: str) -> set[str]:
        """Keys of rows of ``kind`` held here whose origin is ``origin``."""
        model = {
            "entities": "directory.models import Entity as M",
            "partners": "directory.models import Partner as M",
            "stewardships": "framework.models import Stewardship as M",
            "partnerships": "partnerships.models import Partnership as M",
            "requests": "support.models import SupportRequest as M",
            "outcomes": "impact.models import Outcome as M",
        }[kind]
        keys = f"M.objects.filter(origin={origin!r}).values_list('key', flat=True)"
        code = f"from partnernet.{model}; print('\\n'.join({keys}))"
        return {line for line in self.python(code).splitlines() if line}


def make_instance(name: str, base: Path) -> Instance:
    data_dir = base / name
    data_dir.mkdir(parents=True, exist_ok=True)
    instance = Instance(name, data_dir)
    result = instance.cli("seed")
    assert result.returncode == 0, result.stderr
    os.chmod(data_dir, 0o700)
    return instance
