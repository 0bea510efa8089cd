"""Clear failures of the command line (issue 21): one line and status 1 when the database cannot serve,
status 2 without a traceback for a wrong argument, nothing written by ``--help``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.clitools import cli_env, run_cli

pytestmark = pytest.mark.slow


def one_clear_line(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize(
    "args", [("serve", "--help"), ("export", "--help"), ("worker", "--help"), ("help",), ("--help",)]
)
def test_help_writes_nothing_into_the_data_folder(tmp_path: Path, args: tuple[str, ...]) -> None:
    data = tmp_path / "data"
    result = run_cli(data, *args)
    assert result.returncode == 0, result.stderr
    assert not data.exists() or list(data.iterdir()) == []


@pytest.mark.parametrize(
    "verb", [("import", "entities", "x.csv"), ("route", "--type", "glam", "--region", "150"), ("serve",)]
)
def test_a_never_migrated_folder_is_one_line_and_exit_1(tmp_path: Path, verb: tuple[str, ...]) -> None:
    result = run_cli(tmp_path, *verb, timeout=60)
    assert result.returncode == 1
    assert "not migrated" in one_clear_line(result)
    assert "partnernet migrate" in result.stderr


def test_an_unreachable_database_is_one_line_and_exit_1(tmp_path: Path) -> None:
    env = {**cli_env(tmp_path), "DATABASE_URL": "postgres://nobody@127.0.0.1:9/nowhere"}
    result = subprocess.run(
        [sys.executable, "-m", "partnernet.cli", "export", "entities"],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    line = one_clear_line(result)
    assert "cannot reach" in line
    assert "nowhere" in line
    assert result.stdout == ""


@pytest.mark.parametrize("args", [("serve", "--port", "99999"), ("serve", "--port", "eighty"), ("route",)])
def test_argument_errors_exit_2_without_a_traceback(tmp_path: Path, args: tuple[str, ...]) -> None:
    result = run_cli(tmp_path, *args, timeout=60)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "error:" in result.stderr


def test_the_preflight_is_skipped_by_the_verbs_that_migrate(tmp_path: Path) -> None:
    from partnernet.cli import PREFLIGHT

    assert {"migrate", "seed", "demo", "restore"} & PREFLIGHT == set()
    assert {"serve", "import", "export", "route", "worker", "backup"} <= PREFLIGHT
    assert os.environ.get("PARTNERNET_NO_WRITE") is None
