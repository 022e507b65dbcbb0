"""The layers of DESIGN.md run one way: read from the source's imports (also those inside
functions, which hide a dependency but do not remove it)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"


def _module_name(path: Path) -> str:
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Return each app module → the app modules it imports (anywhere in the file)."""
    graph: dict[str, set[str]] = {}
    for path in APP.rglob("*.py"):
        name = _module_name(path)
        found: set[str] = set()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for block in ast.walk(tree):  # imports only type checkers read are not dependencies
            if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test):
                block.body = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name.startswith("app"))
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                if node.module.startswith("app"):
                    found.add(node.module)
                    # ``from app.services import search``: the submodule is what is used.
                    found.update(f"{node.module}.{a.name}" for a in node.names)
        graph[name] = found
    return {name: {m for m in deps if m in graph and m != name} for name, deps in graph.items()}


GRAPH = _imports()


def _package(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 else module


FORBIDDEN = {
    "app.web": {"app.api"},
    "app.api": {"app.web"},
    "app.schemas": {"app.services", "app.web", "app.api"},
    "app.services": {"app.web", "app.api"},
    "app.models": {"app.services", "app.web", "app.api", "app.search", "app.schemas"},
    "app.search": {"app.services", "app.web", "app.api", "app.schemas"},
}
"""Package → packages it must never import."""


@pytest.mark.parametrize("package", FORBIDDEN)
def test_a_layer_does_not_import_the_layers_above_or_beside_it(package: str) -> None:
    wrong = sorted(
        f"{module} imports {dep}"
        for module, deps in GRAPH.items()
        if _package(module) == package
        for dep in deps
        if _package(dep) in FORBIDDEN[package]
    )
    assert wrong == []


def test_the_search_package_is_entered_only_through_its_facade() -> None:
    """Outside app/search, modules import ``app.search`` itself, never one of its modules."""
    wrong = sorted(
        f"{module} imports {dep}"
        for module, deps in GRAPH.items()
        if not module.startswith("app.search")
        for dep in deps
        if dep.startswith("app.search.")
    )
    assert wrong == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return one cycle per strongly connected group of modules (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for dep in sorted(graph[node]):
            if dep not in index:
                visit(dep)
                low[node] = min(low[node], low[dep])
            elif dep in on_stack:
                low[node] = min(low[node], index[dep])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def _without_packages(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """Leave out the edges to and from a package's ``__init__`` that only gather its parts
    (``app`` → ``app.api``, ``app.api`` → ``app.api.solutions``): wiring, not dependencies."""
    packages = {m for m in graph if (APP.parent / m.replace(".", "/") / "__init__.py").exists()}
    return {
        module: {d for d in deps if not (module in packages and d.startswith(f"{module}."))}
        for module, deps in graph.items()
    }


@pytest.mark.parametrize(
    "package", ["app.services", "app.models", "app.search", "app.schemas", "app.web", "app.api"]
)
def test_no_modules_of_a_layer_import_each_other_in_a_circle(package: str) -> None:
    graph = _without_packages(GRAPH)
    inside = {
        m: {d for d in deps if _package(d) == package}
        for m, deps in graph.items()
        if _package(m) == package
    }
    assert _cycles(inside) == []


def test_the_command_line_modules_do_not_import_each_other_in_a_circle() -> None:
    cli = {m for m in GRAPH if m.endswith("cli") or m.endswith(".cli")}
    assert _cycles({m: GRAPH[m] & cli for m in cli}) == []
