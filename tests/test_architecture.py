"""The layout rule of STYLE.md, enforced: the pure core never imports the framework."""

import ast
from pathlib import Path

import partnernet

CORE = Path(partnernet.__file__).parent / "core"


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def test_core_imports_no_framework_and_no_app() -> None:
    offenders = {
        str(path.relative_to(CORE)): name
        for path in CORE.rglob("*.py")
        for name in _imports(path)
        if name.split(".")[0] in ("django", "ninja", "allauth", "rules")
        or (name.startswith("partnernet.") and not name.startswith("partnernet.core"))
    }
    assert any(CORE.rglob("*.py"))
    assert offenders == {}
