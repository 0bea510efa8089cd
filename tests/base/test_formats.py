"""CSV cells a spreadsheet would run as formulas are neutralised on the way out and restored on the way in."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from partnernet.base.formats import RowWriter, csv_text, neutralise, read_rows, unneutralise

HOSTILE = ['=HYPERLINK("http://evil.example","x")', "+1", "-2", "@SUM(A1)", "\tx", "\rx", "'quoted"]


@pytest.mark.parametrize("cell", HOSTILE)
def test_each_formula_start_gets_one_quote_and_comes_back(cell: str) -> None:
    assert neutralise(cell) == "'" + cell
    assert unneutralise(neutralise(cell)) == cell


@pytest.mark.parametrize("cell", ["", "Museum", "a=b", " =x", "Q42", "2025-03-01"])
def test_harmless_cells_are_left_alone(cell: str) -> None:
    assert neutralise(cell) == cell


def test_csv_round_trip_is_identical_and_jsonl_is_untouched(tmp_path: Path) -> None:
    fields = ["key", "name"]
    rows = [{"key": f"k{i}", "name": value} for i, value in enumerate(HOSTILE)]
    out = io.StringIO()
    RowWriter(out, "csv", fields).write_all(rows)
    text = out.getvalue()
    for start in ("=", "+", "@"):
        assert f",{start}" not in text
    path = tmp_path / "rows.csv"
    path.write_text(text, encoding="utf-8", newline="")
    _, read, problems = read_rows(path, "csv", fields)
    assert problems == []
    assert [row.values for row in read] == rows
    again = io.StringIO()
    RowWriter(again, "csv", fields).write_all(row.values for row in read)
    assert again.getvalue() == text
    jsonl = io.StringIO()
    RowWriter(jsonl, "jsonl", fields).write_all(rows)
    assert '"name":"=HYPERLINK' in jsonl.getvalue()


def test_downloads_made_in_memory_are_neutralised_too() -> None:
    assert csv_text(["name"], [{"name": "=1+1"}]) == "name\n'=1+1\n"
