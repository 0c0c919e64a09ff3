"""Dependencies declared in `pyproject.toml`: PEP 621, PEP 735 groups and Poetry's tables.

- `[project] dependencies` are the main dependencies (groups `()`); each
  `[project.optional-dependencies]` extra is a group named after the extra.
- `[dependency-groups]` (PEP 735): each group's requirements, with `{include-group = "..."}`
  expanded, so a requirement carries every group that includes it. An include cycle or an
  include of a group that does not exist is an InputError at the include's line.
- Poetry: `[tool.poetry.dependencies]` (main; `python` is the interpreter, not a package),
  `[tool.poetry.dev-dependencies]` (group `dev`), `[tool.poetry.group.<g>.dependencies]`
  (group `g`); optional ones get the groups of the `[tool.poetry.extras]` that list them.
  When `[project] dependencies` is present too (Poetry 2), a Poetry main entry for a name the
  project table already declares only adds detail Poetry uses, so it is not read twice.

Requirement strings go through `pep508` (the path every reader shares); Poetry constraints
through `poetry_constraints` (`||` alternatives are read unpinned, with a warning).
Invalid requirements and constraints are InputErrors at their line: the tools that read the
file would refuse it too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from bastion import shape
from bastion.errors import InputError
from bastion.findings import Diagnostic, Location
from bastion.inventory import pep508
from bastion.inventory.lines import TomlText, and_markers, load_toml
from bastion.inventory.model import Dependency, Inventory, normalize_name
from bastion.inventory.poetry_constraints import poetry_python_marker, poetry_to_pep440

#: What a Poetry dependency's values must look like (`bastion.shape`), when present.
POETRY_DEPENDENCY: shape.Schema = {
    "version": str,
    "git": str,
    "rev": str,
    "tag": str,
    "branch": str,
    "path": str,
    "url": str,
    "python": str,
    "markers": str,
    "optional": bool,
    "extras": [str],
    "develop": bool,
}


# --- the reader ------------------------------------------------------------------------------


def project_tables(path: Path) -> frozenset[str]:
    """Which dependency tables a pyproject.toml has: `project`, `dependency-groups`, `poetry`."""
    data, _text = load_toml(path)
    found = set()
    if isinstance(data.get("project"), dict):
        found.add("project")
    if isinstance(data.get("dependency-groups"), dict):
        found.add("dependency-groups")
    tool = data.get("tool")
    if isinstance(tool, dict) and isinstance(tool.get("poetry"), dict):
        poetry = tool["poetry"]
        if any(k in poetry for k in ("dependencies", "dev-dependencies", "group")):
            found.add("poetry")
    return frozenset(found)


def read_pyproject(path: Path, diagnostics: list[Diagnostic] | None = None) -> Inventory:
    """Every dependency `pyproject.toml` declares, main, optional, grouped and Poetry's."""
    diagnostics = diagnostics if diagnostics is not None else []
    data, text = load_toml(path)
    toml = TomlText(text)
    deps: list[Dependency] = []
    project = data.get("project")
    declared_main: set[str] = set()
    if isinstance(project, dict):
        deps += _project_dependencies(project, path, toml, diagnostics)
        declared_main = {d.name for d in deps if not d.groups}
    groups = data.get("dependency-groups")
    if groups is not None:
        deps += _dependency_groups(groups, path, toml, diagnostics)
    tool = data.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    if isinstance(poetry, dict):
        deps += _poetry_dependencies(poetry, path, toml, declared_main, diagnostics)
    return Inventory(dependencies=deps, sources=[str(path)])


def _project_dependencies(
    project: dict[str, Any], path: Path, toml: TomlText, diagnostics: list[Diagnostic]
) -> list[Dependency]:
    deps: list[Dependency] = []
    main = project.get("dependencies", [])
    where = toml.key_offset("project", "dependencies")
    deps += _requirement_list(
        main,
        "[project] dependencies",
        groups=(),
        where=where,
        path=path,
        toml=toml,
        diagnostics=diagnostics,
    )
    optional = project.get("optional-dependencies", {})
    if not isinstance(optional, dict):
        line = toml.line(toml.key_offset("project", "optional-dependencies"))
        raise InputError("[project] optional-dependencies must be a table", path, line)
    inline = toml.key_offset("project", "optional-dependencies")
    for extra, requirements in optional.items():
        where = toml.key_offset("project.optional-dependencies", extra)
        group = (normalize_name(extra),)
        what = f"[project.optional-dependencies] {extra}"
        deps += _requirement_list(
            requirements,
            what,
            groups=group,
            where=where or inline,
            path=path,
            toml=toml,
            diagnostics=diagnostics,
        )
    return deps


def _requirement_list(
    value: Any,
    what: str,
    *,
    groups: tuple[str, ...],
    where: int | None,
    path: Path,
    toml: TomlText,
    diagnostics: list[Diagnostic],
) -> list[Dependency]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"{what} must be a list of strings", path, toml.line(where))
    deps = []
    cursor = where or 0
    for requirement in value:
        found = toml.find(requirement, cursor) if where is not None else None
        if found is not None:
            cursor = found + len(requirement)
        line = toml.line(found if found is not None else where)
        deps.append(_requirement(requirement, Location(str(path), line), groups, diagnostics))
    return deps


def _requirement(
    text: str, origin: Location, groups: tuple[str, ...], diagnostics: list[Diagnostic]
) -> Dependency:
    def warn(message: str) -> None:
        diagnostics.append(Diagnostic(message, origin))

    return pep508.dependency(text, origin, warn=warn, groups=groups)


def _dependency_groups(
    groups: Any, path: Path, toml: TomlText, diagnostics: list[Diagnostic]
) -> list[Dependency]:
    """PEP 735 groups, includes expanded; every requirement lists each group containing it."""
    if not isinstance(groups, dict):
        line = toml.line(toml.key_offset("", "dependency-groups"))
        raise InputError("[dependency-groups] must be a table", path, line)
    own: dict[str, list[tuple[str, int | None]]] = {}
    includes: dict[str, list[tuple[str, int | None]]] = {}
    for raw_name, entries in groups.items():
        name = normalize_name(raw_name)
        where = toml.key_offset("dependency-groups", raw_name)
        if not isinstance(entries, list):
            raise InputError(
                f"dependency group {raw_name!r} must be a list", path, toml.line(where)
            )
        own[name], includes[name] = [], []
        cursor = where or 0
        for entry in entries:
            needle = entry if isinstance(entry, str) else _include_target(entry)
            found = toml.find(needle, cursor) if needle is not None and where is not None else None
            if found is not None:
                cursor = found + len(needle or "")
            line = toml.line(found if found is not None else where)
            if isinstance(entry, str):
                own[name].append((entry, line))
            elif needle is not None:
                includes[name].append((normalize_name(needle), line))
            else:
                raise InputError(
                    f"dependency group {raw_name!r}: expected a requirement string or "
                    '{include-group = "..."}',
                    path,
                    line,
                )
    containers: dict[str, set[str]] = {name: {name} for name in own}
    for name in own:
        for reached in _included(name, includes, [name], path):
            containers[reached].add(name)
    deps = []
    for name, requirements in own.items():
        group_names = tuple(sorted(containers[name]))
        for requirement, line in requirements:
            origin = Location(str(path), line)
            deps.append(_requirement(requirement, origin, group_names, diagnostics))
    return deps


def _include_target(entry: Any) -> str | None:
    if isinstance(entry, dict) and set(entry) == {"include-group"}:
        target = entry["include-group"]
        return target if isinstance(target, str) else None
    return None


def _included(
    name: str, includes: dict[str, list[tuple[str, int | None]]], stack: list[str], path: Path
) -> set[str]:
    """Every group `name` includes, directly or not; a cycle is an InputError at its include."""
    reached: set[str] = set()
    for target, line in includes[name]:
        if target not in includes:
            raise InputError(f"include-group {target!r} names no dependency group", path, line)
        if target in stack:
            cycle = " -> ".join([*stack[stack.index(target) :], target])
            raise InputError(f"dependency groups include each other: {cycle}", path, line)
        reached.add(target)
        reached |= _included(target, includes, [*stack, target], path)
    return reached


def _poetry_dependencies(
    poetry: dict[str, Any],
    path: Path,
    toml: TomlText,
    declared_main: set[str],
    diagnostics: list[Diagnostic],
) -> list[Dependency]:
    extras_of: dict[str, set[str]] = {}
    extras = poetry.get("extras", {})
    if isinstance(extras, dict):
        for extra, names in extras.items():
            for name in names if isinstance(names, list) else []:
                if isinstance(name, str):
                    extras_of.setdefault(normalize_name(name), set()).add(normalize_name(extra))
    tables: list[tuple[str, Any, str]] = [
        ("tool.poetry.dependencies", poetry.get("dependencies"), "main"),
        ("tool.poetry.dev-dependencies", poetry.get("dev-dependencies"), "dev"),
    ]
    group_tables = poetry.get("group", {})
    if isinstance(group_tables, dict):
        for group, body in group_tables.items():
            table = body.get("dependencies") if isinstance(body, dict) else None
            tables.append((f"tool.poetry.group.{group}.dependencies", table, group))
    deps: list[Dependency] = []
    for table_name, table, group in tables:
        if table is None:
            continue
        if not isinstance(table, dict):
            line = toml.line(toml.header_offset(table_name))
            raise InputError(f"[{table_name}] must be a table", path, line)
        for raw_name, spec in table.items():
            name = normalize_name(raw_name)
            if name == "python" or (group == "main" and name in declared_main):
                continue
            offset = toml.key_offset(table_name, raw_name)
            if offset is None:
                offset = toml.header_offset(f"{table_name}.{raw_name}")
            line = toml.line(offset)
            groups = () if group == "main" else (group,)
            for entry in spec if isinstance(spec, list) else [spec]:
                deps.append(
                    _poetry_entry(
                        name,
                        entry,
                        groups=groups,
                        extras_of=extras_of,
                        origin=Location(str(path), line),
                        diagnostics=diagnostics,
                    )
                )
    return deps


def _poetry_entry(
    name: str,
    spec: Any,
    *,
    groups: tuple[str, ...],
    extras_of: Mapping[str, Iterable[str]],
    origin: Location,
    diagnostics: list[Diagnostic],
) -> Dependency:
    path, line = origin.path, origin.line

    def warn(message: str) -> None:
        diagnostics.append(Diagnostic(message, origin))

    if isinstance(spec, str):
        spec = {"version": spec}
    if not isinstance(spec, dict):
        raise InputError(
            f"dependency {name!r}: expected a constraint string or a table", path, line
        )
    shape.check_input(spec, POETRY_DEPENDENCY, f"dependency {name!r}", path, line)
    url: str | None = None
    specifier = ""
    if isinstance(spec.get("git"), str):
        ref = next((spec[k] for k in ("rev", "tag", "branch") if isinstance(spec.get(k), str)), "")
        url = f"git+{spec['git']}" + (f"@{ref}" if ref else "")
    elif isinstance(spec.get("path"), str):
        url = spec["path"]
    elif isinstance(spec.get("url"), str):
        url = spec["url"]
    constraint = spec.get("version")
    if url is None and constraint is not None:
        if not isinstance(constraint, str):
            raise InputError(f"dependency {name!r}: version must be a string", path, line)
        try:
            specifier = poetry_to_pep440(constraint)
        except ValueError as exc:
            if "||" not in constraint and "|" not in constraint:
                raise InputError(f"dependency {name!r}: {exc}", path, line) from None
            diagnostics.append(
                Diagnostic(
                    f"{name}: Poetry constraint {constraint!r} has alternatives (||) that one "
                    "PEP 440 specifier cannot express; read as unpinned",
                    origin,
                )
            )
    python_marker = None
    if isinstance(spec.get("python"), str):
        try:
            python_marker = poetry_python_marker(spec["python"])
        except ValueError as exc:
            raise InputError(f"dependency {name!r}: python {exc}", path, line) from None
    if spec.get("optional") is True and extras_of.get(name):
        groups = tuple(sorted(set(groups) | set(extras_of[name])))
    return pep508.table_dependency(
        name,
        origin,
        warn=warn,
        specifier=specifier,
        markers=and_markers(spec.get("markers"), python_marker),
        extras=spec.get("extras") or (),
        groups=groups,
        url=url,
        editable=spec.get("develop") is True,
    )
