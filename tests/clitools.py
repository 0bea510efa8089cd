"""Running the real ``partnernet`` command in a subprocess, against its own throwaway data folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def cli_env(data_dir: Path, database_url: str | None = None) -> dict[str, str]:
    """The environment of an instance on ``data_dir``: its SQLite file there, or ``database_url``."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["PARTNERNET_DATA_DIR"] = str(data_dir)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def run_cli(
    data_dir: Path, *args: str, timeout: float = 300, database_url: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "partnernet.cli", *args],
        env=cli_env(data_dir, database_url),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
