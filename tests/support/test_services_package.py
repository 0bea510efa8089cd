"""The support services package: its rebalance (numpy, OR-Tools) loads on first use, not with the apps."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.clitools import cli_env

PROBE = """
import sys
import django
django.setup()
print("numpy" in sys.modules, "ortools" in sys.modules)
from partnernet.support import services
print(services.rebalance_requests.__module__, services.RebalanceReport.__name__)
print("numpy" in sys.modules, "ortools" in sys.modules)
"""


def test_apps_load_without_the_solver_and_the_rebalance_still_imports(tmp_path: Path) -> None:
    env = cli_env(tmp_path) | {"DJANGO_SETTINGS_MODULE": "partnernet.settings", "PARTNERNET_NO_WRITE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:3] == [
        "False False",
        "partnernet.support.services.rebalance RebalanceReport",
        "True True",
    ]


def test_an_unknown_name_is_still_an_attribute_error() -> None:
    from partnernet.support import services

    with pytest.raises(AttributeError, match="no_such_use_case"):
        services.no_such_use_case  # noqa: B018
