"""``partnernet proposal list [--open] [--json]`` (FORMATS.md) and ``proposal close-due``."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from partnernet.framework.services import close_proposal
from tests.clitools import run_cli
from tests.framework.agreement import after_closing, entity_with_admin, take_up, vote


def _run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("proposal", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_list_json_has_tallies_and_open_filters() -> None:
    user, entity = entity_with_admin()
    closed = take_up(user, entity)
    vote(closed, "support", "support", "support")
    close_proposal(closed.pk, now=after_closing(closed))
    still_open = take_up(user, entity, theme="science")
    vote(still_open, "oppose")
    everything = json.loads(_run("list", "--json")[0])["proposals"]
    by_key = {row["key"]: row for row in everything}
    assert by_key[closed.key]["outcome"] == "accepted"
    assert by_key[closed.key]["tally"] == {"support": 3, "oppose": 0, "abstain": 0}
    assert by_key[still_open.key]["tally"] == {"support": 0, "oppose": 1, "abstain": 0}
    only_open = json.loads(_run("list", "--open", "--json")[0])["proposals"]
    assert [row["key"] for row in only_open] == [still_open.key]
    text, _ = _run("list", "--open")
    assert still_open.key in text
    assert "+0 -1 =0" in text


@pytest.mark.django_db
def test_close_due_decides_past_proposals_only_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.utils import timezone

    user, entity = entity_with_admin()
    proposal = take_up(user, entity)
    monkeypatch.setattr(timezone, "now", lambda: after_closing(proposal))
    assert json.loads(_run("close-due", "--json")[0]) == {
        "closed": [{"proposal": proposal.key, "outcome": "rejected"}]
    }
    assert json.loads(_run("close-due", "--json")[0]) == {"closed": []}


def test_unknown_action_exits_2(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "proposal", "lst")
    assert result.returncode == 2
    assert "invalid choice: 'lst'" in result.stderr
    assert result.stdout == ""
    assert "proposal list [--open] [--json]" in run_cli(tmp_path, "--help").stdout
