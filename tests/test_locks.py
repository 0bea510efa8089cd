"""The runtime lock (``scripts/demo``, deployments) is the development lock's runtime part, pin for pin."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def pins(name: str) -> dict[str, str]:
    lines = (ROOT / name).read_text().splitlines()
    found = {}
    for line in lines:
        if line.strip() and not line.startswith("#"):
            package, version = line.strip().split("==")
            found[package.lower().replace("_", "-")] = version
    return found


def test_every_runtime_pin_is_the_development_pin() -> None:
    runtime, development = pins("requirements-runtime.lock"), pins("requirements.lock")
    assert {name: development.get(name) for name in runtime} == runtime


def test_the_runtime_lock_has_the_dependencies_and_no_development_tool() -> None:
    runtime = pins("requirements-runtime.lock")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for requirement in project["dependencies"]:
        name = requirement.split("[")[0].split(">")[0].split("<")[0].split("=")[0].strip()
        assert name.lower().replace("_", "-") in runtime, name
    for tool in project["optional-dependencies"]["dev"]:
        name = tool.split(">")[0].split("=")[0].strip().lower().replace("_", "-")
        assert name not in runtime, name
