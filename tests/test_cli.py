"""The command-line contract of FORMATS.md, through the real command in a subprocess."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.clitools import run_cli

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def instance(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("instance")
    result = run_cli(data_dir, "seed", "--demo")
    assert result.returncode == 0, result.stderr
    return data_dir


def test_help_lists_every_verb(instance: Path) -> None:
    result = run_cli(instance, "--help")
    for verb in ("demo", "serve", "seed", "import", "export", "generate"):
        assert f"  {verb}" in result.stdout


def test_import_with_bad_lines_exits_2_and_prints_file_line_field(instance: Path) -> None:
    bad = instance / "bad.csv"
    bad.write_text(
        "key,name,kind,country,regions,founded\n"
        "good-one,Good One,chapter,SE,154,2010\n"
        "bad-kind,Bad Kind,club,SE,,2010\n"
        "good-two,Good Two,user_group,GH,011,\n"
        "bad-region,Bad Region,chapter,,999,\n"
        "bad-year,Bad Year,chapter,,,20x0\n"
        "bad-country,Bad Country,chapter,XX,,\n"
    )
    result = run_cli(instance, "import", "entities", str(bad))
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.startswith(str(bad))]
    assert [line.split(": field ")[0] for line in lines] == [f"{bad}:{n}" for n in (3, 5, 6, 7)]
    assert [line.split("'")[1] for line in lines] == ["kind", "regions", "founded", "country"]
    assert result.stdout == ""
    listed = run_cli(instance, "export", "entities")
    assert "good-one" not in listed.stdout


def test_export_writes_only_rows_to_stdout_and_round_trips(instance: Path) -> None:
    exported = run_cli(instance, "export", "partnerships", "--format", "jsonl")
    assert exported.returncode == 0
    rows = [json.loads(line) for line in exported.stdout.splitlines()]
    assert len(rows) == 58
    assert [row["key"] for row in rows] == sorted(row["key"] for row in rows)
    path = instance / "p.jsonl"
    path.write_text(exported.stdout)
    imported = run_cli(instance, "import", "partnerships", str(path), "--json")
    assert json.loads(imported.stdout) == {
        "kind": "partnerships",
        "created": 0,
        "updated": 0,
        "unchanged": 58,
    }


def test_export_to_a_file_reports_on_stderr(instance: Path) -> None:
    target = instance / "entities.csv"
    result = run_cli(instance, "export", "entities", "--output", str(target))
    assert result.returncode == 0
    assert result.stdout == ""
    assert "wrote 207 entities" in result.stderr
    assert target.read_text().startswith("key,name,kind,country,regions,languages,legal_identity,wikidata")


def test_generate_adds_rows_and_reports_counts_as_json(instance: Path) -> None:
    result = run_cli(
        instance, "generate", "--entities", "50", "--partnerships", "200", "--seed", "9", "--json"
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "entities": 50, "partners": 150, "stewardships": 5, "partnerships": 200, "requests": 25,
        "needs": 2, "pledges": 1,
    }  # fmt: skip
    again = run_cli(instance, "generate", "--entities", "50", "--partnerships", "200", "--seed", "9")
    assert again.returncode == 2
    assert "--seed 9" in again.stderr


def test_seed_twice_reports_nothing_changed(instance: Path) -> None:
    result = run_cli(instance, "seed", "--demo", "--json")
    assert json.loads(result.stdout) == {"created": {}, "updated": {}}


def test_other_verbs_are_handed_to_django(instance: Path) -> None:
    result = run_cli(instance, "showmigrations", "directory")
    assert result.returncode == 0
    assert "[X] 0001_initial" in result.stdout


def test_importing_bad_needs_exits_2_with_file_line_field_and_writes_nothing(instance: Path) -> None:
    bad = instance / "needs.csv"
    bad.write_text(
        "key,entity,kind,title,amount,unit,currency\n"
        "ok-need,wikimedia-sweden,funding,Hosting,100,money,EUR\n"
        "negative,wikimedia-sweden,funding,Hosting,-100,money,EUR\n"
        "no-such-money,wikimedia-sweden,funding,Hosting,100,money,XYZ\n"
    )
    result = run_cli(instance, "import", "needs", str(bad))
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.startswith(str(bad))]
    assert [line.split(": field ")[0] for line in lines] == [f"{bad}:3", f"{bad}:4"]
    assert [line.split("'")[1] for line in lines] == ["amount", "currency"]
    exported = run_cli(instance, "export", "needs")
    assert "ok-need" not in exported.stdout


def test_every_unchecked_verb_accepts_skip_checks() -> None:
    """The entry point adds ``--skip-checks`` to these verbs; a command that opts out of system checks
    itself has no such option and would refuse every call."""
    from django.core.management import get_commands, load_command_class

    from partnernet.cli import UNCHECKED, VERBS

    commands = get_commands()
    refusing = [
        verb
        for verb in sorted(UNCHECKED)
        if not load_command_class(commands[VERBS[verb]], VERBS[verb]).requires_system_checks
    ]
    assert refusing == []
