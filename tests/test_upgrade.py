"""Upgrades (docs/DEPLOY.md): ``partnernet migrate`` carries a database of the current release forward.

``tests/fixtures/release-2026-12-03.sqlite3.gz`` is the SQLite database of ``partnernet seed --demo`` made
by main as it was on 2026-12-03 (the release deployed first). Each later release must migrate it forward with
every row kept. When a release ships, add its own database beside it (same command, from that release's
tag) and keep the older ones: an operator may skip releases.
"""

from __future__ import annotations

import gzip
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.clitools import run_cli

pytestmark = pytest.mark.slow

FIXTURES = sorted((Path(__file__).parent / "fixtures").glob("release-*.sqlite3.gz"))
COUNTED = ["directory_entity", "directory_partner", "framework_stewardship", "partnerships_partnership"]


def count_rows(database: Path) -> dict[str, int]:
    with sqlite3.connect(database) as db:
        return {table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in COUNTED}  # noqa: S608


@pytest.mark.parametrize("fixture", FIXTURES, ids=[path.name for path in FIXTURES])
def test_a_release_database_migrates_forward_with_every_row(tmp_path: Path, fixture: Path) -> None:
    database = tmp_path / "partnernet.sqlite3"
    with gzip.open(fixture) as source, database.open("wb") as target:
        shutil.copyfileobj(source, target)
    before = count_rows(database)
    assert before["partnerships_partnership"] > 0

    migrated = run_cli(tmp_path, "migrate", "--no-input", "-v0")
    assert migrated.returncode == 0, migrated.stderr
    plan = run_cli(tmp_path, "showmigrations", "--plan")
    assert "[ ]" not in plan.stdout
    assert count_rows(database) == before
    exported = run_cli(tmp_path, "export", "partnerships", "--format", "jsonl")
    assert exported.returncode == 0, exported.stderr
    assert len(exported.stdout.splitlines()) == before["partnerships_partnership"]
