"""The layout rules of STYLE.md and docs/ARCHITECTURE.md, enforced on the code's own imports.

- The pure core never imports the framework or an app.
- Packages import only downwards through a declared layering that names every package, so the app layer
  has no import cycle; the same order is ``INSTALLED_APPS``'s.
- Exchange's import/export and federation's feed, pull and apply know record kinds only through
  ``base.registry``: they import no domain app.
- No module is much longer than STYLE.md's ~400 lines (split by idea when it holds several).

Imports are read from the source (``ast``), every import counted wherever it is written (inside functions
too), migrations and tests left out: migrations are generated history, tests may reach anywhere.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

import partnernet

PACKAGE = Path(partnernet.__file__).parent
CORE = PACKAGE / "core"

LAYERS: list[tuple[str, ...]] = [
    ("core",),
    ("audit",),
    ("i18n",),
    ("base",),
    ("notifications",),
    ("directory",),
    ("accounts",),
    ("framework",),
    ("partnerships",),
    ("support",),
    ("impact",),
    ("sustainability",),
    ("analytics", "library"),
    ("federation", "exchange"),
    ("api", "web"),
]
"""Lowest first. A package may import packages of lower layers only; packages of one layer are independent
of each other. Keep docs/ARCHITECTURE.md in step."""

SHELL = {"settings", "urls", "wsgi", "cli", "locale"}
"""The project's shell: settings, the URL map, the WSGI and command-line entry points. They sit above
every layer (they assemble it), and nothing but the server runner imports them."""

DOMAIN_APPS = {
    "directory", "accounts", "framework", "partnerships", "support", "impact", "sustainability", "analytics",
    "library",
}  # fmt: skip

REGISTRY_ONLY = {
    "exchange": {"services.py", "selectors.py", "planner.py", "management/commands/import_rows.py",
                 "management/commands/export.py"},
    "federation": {"apply.py", "outbox.py", "pull.py", "registry.py", "signals.py", "models.py", "keys.py",
                   "client.py", "tasks.py", "peering.py"},
}  # fmt: skip
"""Modules that handle every record kind through ``base.registry`` and may import no domain app. The rest
of these packages are loaders of domain rows (seed, demo, generate) and cross-instance support
(``federation/delivery.py``), which sit above the apps for that reason."""

MAX_LINES = 450
"""STYLE.md's "~400 lines": a little over is one idea told fully; far over is two ideas."""


def _modules() -> Iterator[Path]:
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" not in path.relative_to(PACKAGE).parts:
            yield path


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def _package_of(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def _package_imports() -> dict[str, dict[str, set[str]]]:
    """package -> imported package -> the modules (relative paths) that import it."""
    found: dict[str, dict[str, set[str]]] = {}
    for path in _modules():
        source = _package_of(path)
        for name in _imports(path):
            parts = name.split(".")
            if parts[0] != "partnernet" or len(parts) < 2 or parts[1] == source:
                continue
            found.setdefault(source, {}).setdefault(parts[1], set()).add(str(path.relative_to(PACKAGE)))
    return found


def _layer_of() -> dict[str, int]:
    return {package: level for level, packages in enumerate(LAYERS) for package in packages}


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


def test_the_layering_names_every_package() -> None:
    packages = {path.name for path in PACKAGE.iterdir() if (path / "__init__.py").exists()}
    declared = set(_layer_of())
    assert packages - declared - SHELL == set(), "declare the new package's layer in LAYERS"
    assert declared - packages == set(), "LAYERS names a package that does not exist"


def test_packages_import_only_lower_layers() -> None:
    layer = _layer_of()
    upward = sorted(
        f"{source} -> {target} ({', '.join(sorted(modules))})"
        for source, targets in _package_imports().items()
        if source in layer
        for target, modules in targets.items()
        if target in layer and layer[target] >= layer[source]
    )
    assert upward == []


def test_nothing_imports_the_shell_but_the_server_runner() -> None:
    allowed = {("web", "wsgi")}
    offenders = sorted(
        f"{source} -> {target}"
        for source, targets in _package_imports().items()
        if source not in SHELL
        for target in targets
        if target in SHELL and (source, target) not in allowed
    )
    assert offenders == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle_and_only_cycles() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_between_packages() -> None:
    graph = {source: set(targets) for source, targets in _package_imports().items()}
    assert _cycles(graph) == []


def test_exchange_and_federation_know_kinds_only_through_the_registry() -> None:
    offenders = []
    for package, modules in REGISTRY_ONLY.items():
        for relative in sorted(modules):
            path = PACKAGE / package / relative
            assert path.exists(), f"{package}/{relative} is listed but missing"
            offenders += [
                f"{package}/{relative} imports {name}"
                for name in _imports(path)
                if name.startswith("partnernet.") and name.split(".")[1] in DOMAIN_APPS
            ]
    assert offenders == []


def test_installed_apps_follow_the_layers() -> None:
    ours = [app.split(".")[1] for app in settings.INSTALLED_APPS if app.startswith("partnernet.")]
    layer = _layer_of()
    assert [layer[app] for app in ours] == sorted(layer[app] for app in ours)


def test_no_module_is_far_longer_than_one_idea() -> None:
    long = sorted(
        f"{path.relative_to(PACKAGE)}: {lines}"
        for path in _modules()
        if (lines := len(path.read_text().splitlines())) > MAX_LINES
        and path.name not in ("demo.py",)  # data tables of demo rows, not code
    )
    assert long == []
