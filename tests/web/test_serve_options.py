"""``partnernet serve`` refuses a worker or thread count it cannot use, before starting anything."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.clitools import run_cli


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [("--threads", "0", "not a number of threads"), ("--workers", "x", "not a number of workers")],
)
def test_a_bad_count_is_refused_with_status_2(tmp_path: Path, option: str, value: str, message: str) -> None:
    result = run_cli(tmp_path, "serve", "--port", "18999", option, value, timeout=60)
    assert result.returncode == 2
    assert message in result.stderr
