"""The floors of the house, read from the imports (AST), so that a new module keeps them too.

- storage/ imports neither aiogram nor the application (bot, handlers, scheduler);
- bot/services/ imports neither handlers nor scheduler nor aiogram;
- bot/search/ (the engine) and bot/catalog/ are pure libraries: no storage, services or aiogram;
- no handler module imports another handler module (a package's `__init__` gathers its routers);
- only bot/app.py imports handlers and scheduler;
- no import cycles between the project's modules, not even under TYPE_CHECKING.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "handlers", "storage", "scheduler")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            found[_module_name(path)] = path
    return found


MODULES = _modules()


def _imports(path: Path) -> Iterator[str]:
    """Every module name imported by the file, at any depth (also inside functions and
    TYPE_CHECKING blocks); `from a import b` yields `a.b` when that is a module, else `a`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = _module_name(path).split(".")
                if path.name != "__init__.py":
                    base = base[:-1]
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            for alias in node.names:
                full = f"{module}.{alias.name}"
                yield full if full in MODULES else module


def _project_imports(name: str) -> set[str]:
    result = set()
    for imported in _imports(MODULES[name]):
        while imported and imported not in MODULES:
            imported = imported.rpartition(".")[0]
        if imported and imported != name:
            result.add(imported)
    return result


def _top(name: str) -> str:
    return name.split(".")[0]


def _violations(
    inside: str, forbidden: tuple[str, ...], *, allowed: tuple[str, ...] = ()
) -> list[str]:
    problems = []
    for name, path in MODULES.items():
        if not (name == inside or name.startswith(inside + ".")) or name in allowed:
            continue
        for imported in _imports(path):
            if any(imported == f or imported.startswith(f + ".") for f in forbidden):
                problems.append(f"{name} imports {imported}")
    return sorted(set(problems))


@pytest.mark.parametrize(
    ("inside", "forbidden"),
    [
        ("storage", ("aiogram", "bot", "handlers", "scheduler")),
        ("bot.services", ("aiogram", "handlers", "scheduler", "bot.app")),
        ("bot.search", ("aiogram", "storage", "bot.services", "handlers", "scheduler")),
        ("bot.catalog", ("aiogram", "storage", "bot.services", "handlers", "scheduler")),
        ("scheduler", ("handlers",)),
    ],
)
def test_a_floor_imports_nothing_above_it(inside: str, forbidden: tuple[str, ...]) -> None:
    assert _violations(inside, forbidden) == []


def test_only_the_composition_root_imports_handlers_and_scheduler() -> None:
    problems = []
    for name in MODULES:
        if _top(name) in ("handlers", "scheduler") or name == "bot.app":
            continue
        for imported in _project_imports(name):
            if _top(imported) in ("handlers", "scheduler"):
                problems.append(f"{name} imports {imported}")
    assert problems == []


def test_no_handler_module_imports_another_handler_module() -> None:
    problems = []
    for name, path in MODULES.items():
        if _top(name) != "handlers" or path.name == "__init__.py":
            continue
        for imported in _project_imports(name):
            if _top(imported) == "handlers":
                problems.append(f"{name} imports {imported}")
    assert problems == []


def test_a_handler_package_gathers_only_its_own_modules() -> None:
    problems = []
    for name, path in MODULES.items():
        if _top(name) != "handlers" or path.name != "__init__.py" or name == "handlers":
            continue
        for imported in _project_imports(name):
            if _top(imported) == "handlers" and not imported.startswith(name + "."):
                problems.append(f"{name} imports {imported}")
    assert problems == []


def test_there_are_no_import_cycles() -> None:
    graph = {name: _project_imports(name) for name in MODULES}
    # A package's __init__ importing its own submodules is how packages are built, and a
    # submodule importing its package's __init__ for a name would then close a loop Python
    # resolves fine; neither is a cycle between floors. Leave out imports of one's own parent.
    for name, targets in graph.items():
        graph[name] = {t for t in targets if not name.startswith(t + ".")}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                cycles.append([*stack[stack.index(target) :], target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert [" → ".join(cycle) for cycle in cycles] == []


def test_the_rules_see_the_whole_house() -> None:
    """A guard against a walk that finds nothing (and so passes everything)."""
    assert {"bot.app", "storage.repositories", "handlers.events.signup"} <= set(MODULES)
    assert "bot.services.events.registrations" in _project_imports("handlers.events.signup")
