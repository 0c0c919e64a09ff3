"""No import cycles in bastion: every import, at module level or inside a function, counts.

A cycle means two modules each need the other, which is code in the wrong place (a value type
beside the code that makes it, an interface that imports its implementations). Imports under
`if TYPE_CHECKING:` count too: they are the same dependency, only deferred for type checkers.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path, modules: set[str]) -> set[str]:
    """The bastion modules `path` imports anywhere (a `from package import name` that names a
    submodule counts as importing the submodule)."""
    own = module_name(path)
    package = own if path.name == "__init__.py" else own.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            if name in modules:
                found.add(name)
    found.discard(own)
    # `import bastion.a.b` imports the packages on the way; those edges are not design choices.
    return {name for name in found if not own.startswith(name + ".")}


def import_graph() -> dict[str, set[str]]:
    paths = sorted(SRC.joinpath("bastion").rglob("*.py"))
    modules = {module_name(path) for path in paths}
    return {module_name(path): imported_modules(path, modules) for path in paths}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected component of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
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


def test_the_package_has_no_import_cycle() -> None:
    assert cycles(import_graph()) == []


def test_the_walk_sees_imports_inside_functions() -> None:
    graph = {"a": {"b"}, "b": {"a"}, "c": set()}
    assert cycles(graph) == [["a", "b"]]
    here = import_graph()
    # `cli.main` imports `bastion.errors` inside a function only.
    assert "bastion.errors" in here["bastion.cli"]


def test_no_command_module_imports_another() -> None:
    """Commands are built from the check registry; `common` is their shared machinery."""
    graph = import_graph()
    commands = {name for name in graph if name.startswith("bastion.commands.")}
    shared = {"bastion.commands.common"}
    for name in commands - shared:
        assert graph[name] & (commands - shared - {name}) == set(), name
    assert graph["bastion.commands.common"] & commands == set()
