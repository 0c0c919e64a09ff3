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

Poetry constraints (`^1.2`, `~1.2`, `1.2.*`, `>=1,<2`) are converted to PEP 440 by
`poetry_to_pep440`, written here because `packaging` knows only PEP 440 and poetry-core is too
large a dependency for one small grammar. Poetry's `||` (either range) cannot be one PEP 440
specifier set: such a dependency is read unpinned with a warning.

A dependency is pinned (`version` set) only when its specifier is one exact `==`/`===` version.
Invalid requirements and constraints are InputErrors at their line: the tools that read the
file would refuse it too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from bastion.errors import InputError
from bastion.findings import Diagnostic, Location
from bastion.inventory.lines import TomlText, and_markers, load_toml
from bastion.inventory.model import Dependency, Inventory, normalize_name

_TOKEN = re.compile(r"\s*(\^|~=|~|===|==|!=|>=|<=|>|<|=)?\s*([0-9A-Za-z*][0-9A-Za-z.*+!_-]*)\s*")
_CLAUSE = re.compile(r"^(===|==|!=|>=|<=|~=|>|<)(.+)$")
_NAME_AND_EXTRAS = re.compile(r"\s*[A-Za-z0-9][A-Za-z0-9._-]*\s*(?:\[[^\]]*\])?\s*")


# --- Poetry constraints ----------------------------------------------------------------------


def poetry_to_pep440(constraint: str) -> str:
    """A Poetry version constraint as a PEP 440 specifier string (`""` means any version).

    `^1.2.3` -> `>=1.2.3,<2.0.0`, `^0.2.3` -> `>=0.2.3,<0.3.0`, `~1.2.3` -> `>=1.2.3,<1.3.0`,
    `~1` -> `>=1,<2`, `1.2.*` -> `==1.2.*`, `1.2.3` -> `==1.2.3`, `>= 1.2, < 2` -> `>=1.2,<2`.
    Raises ValueError for what is not a constraint or needs `||`.
    """
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    text = constraint.strip()
    if "|" in text:
        raise ValueError(f"{constraint!r} has alternatives (||), which PEP 440 cannot express")
    parts: list[str] = []
    for raw_clause in text.split(","):
        clause = raw_clause.strip()
        if not clause:
            if text:
                raise ValueError(f"{constraint!r}: empty clause")
            continue
        pos = 0
        while pos < len(clause):
            match = _TOKEN.match(clause, pos)
            if match is None or match.end() == pos:
                raise ValueError(f"{constraint!r} is not a version constraint")
            parts.extend(_poetry_clause(match.group(1), match.group(2), constraint))
            pos = match.end()
    result = ",".join(parts)
    try:
        SpecifierSet(result)
    except InvalidSpecifier:
        raise ValueError(f"{constraint!r} is not a version constraint") from None
    return result


def _poetry_clause(operator: str | None, version: str, original: str) -> list[str]:
    version = re.sub(r"(?<=\.)[xX](?=\.|$)", "*", version)
    if version == "*":
        if operator not in (None, "=", "=="):
            raise ValueError(f"{original!r} is not a version constraint ('*' after {operator})")
        return []
    if operator in (None, "="):
        return [f"=={version}"]
    if operator in ("^", "~"):
        release = _release(version, original)
        if operator == "^":
            bump = next((i for i, n in enumerate(release) if n != 0), len(release) - 1)
        else:
            bump = 0 if len(release) == 1 else 1
        upper = [*release[:bump], release[bump] + 1] + [0] * (len(release) - bump - 1)
        return [f">={version}", "<" + ".".join(map(str, upper))]
    return [f"{operator}{version}"]


def _release(version: str, original: str) -> tuple[int, ...]:
    from packaging.version import InvalidVersion, Version

    try:
        parsed = Version(version)
    except InvalidVersion:
        raise ValueError(f"{original!r}: {version!r} is not a version") from None
    return parsed.release


def poetry_python_marker(constraint: str) -> str | None:
    """Poetry's `python = "^3.8"` on a dependency as a PEP 508 marker (None: any Python)."""
    alternatives: list[str] = []
    for alternative in re.split(r"\s*\|\|?\s*", constraint.strip()):
        specifier = poetry_to_pep440(alternative)
        if not specifier:
            return None
        clauses = []
        for clause in specifier.split(","):
            match = _CLAUSE.match(clause)
            if match is None:  # pragma: no cover - poetry_to_pep440 validated it
                raise ValueError(f"{constraint!r} is not a Python constraint")
            operator, version = match.groups()
            exact = version.rstrip(".*").count(".") >= 2
            variable = "python_full_version" if exact else "python_version"
            clauses.append(f'{variable} {operator} "{version}"')
        alternatives.append(" and ".join(clauses))
    if len(alternatives) == 1:
        return alternatives[0]
    return " or ".join(f"({a})" for a in alternatives)


# --- shared by the readers -------------------------------------------------------------------


def exact_version(specifier: str) -> str | None:
    """The version a specifier pins, when it is one `==X` (no wildcard) or `===X`."""
    clauses = [c.strip() for c in specifier.split(",") if c.strip()]
    if len(clauses) != 1:
        return None
    clause = clauses[0]
    if clause.startswith("==="):
        return clause[3:].strip() or None
    if clause.startswith("==") and "*" not in clause:
        return clause[2:].strip() or None
    return None


def version_from_url(url: str) -> str | None:
    """The version in a wheel or sdist file name at the end of `url`, if it is one."""
    from urllib.parse import unquote, urlsplit

    from packaging.utils import (
        InvalidSdistFilename,
        InvalidWheelFilename,
        parse_sdist_filename,
        parse_wheel_filename,
    )

    filename = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    try:
        if filename.endswith(".whl"):
            return str(parse_wheel_filename(filename)[1])
        if filename.endswith((".tar.gz", ".zip")):
            return str(parse_sdist_filename(filename)[1])
    except (InvalidWheelFilename, InvalidSdistFilename):
        return None
    return None


def pep508_dependency(
    text: str, path: Path, line: int | None, groups: tuple[str, ...] = ()
) -> Dependency:
    """One PEP 508 requirement string as a direct `Dependency` (InputError when invalid)."""
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        requirement = Requirement(text)
    except InvalidRequirement as exc:
        raise InputError(f"invalid requirement {text!r}: {exc}", path, line) from None
    specifier = "" if requirement.url else _written_specifier(text, str(requirement.specifier))
    version = exact_version(specifier)
    if version is None and requirement.url:
        version = version_from_url(requirement.url)
    return Dependency(
        name=normalize_name(requirement.name),
        version=version,
        origin=Location(str(path), line),
        direct=True,
        specifier=specifier,
        markers=str(requirement.marker) if requirement.marker else None,
        extras=tuple(sorted(requirement.extras)),
        groups=groups,
        url=requirement.url or None,
    )


def _written_specifier(text: str, canonical: str) -> str:
    """The specifier in the order the user wrote it (packaging sorts its clauses)."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    body = text.split(";", 1)[0]
    match = _NAME_AND_EXTRAS.match(body)
    written = re.sub(r"\s+", "", body[match.end() :] if match else "")
    if written.startswith("(") and written.endswith(")"):
        written = written[1:-1]
    try:
        if SpecifierSet(written) == SpecifierSet(canonical):
            return written
    except InvalidSpecifier:
        pass
    return canonical


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
        deps += _project_dependencies(project, path, toml)
        declared_main = {d.name for d in deps if not d.groups}
    groups = data.get("dependency-groups")
    if groups is not None:
        deps += _dependency_groups(groups, path, toml)
    tool = data.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    if isinstance(poetry, dict):
        deps += _poetry_dependencies(poetry, path, toml, declared_main, diagnostics)
    return Inventory(dependencies=deps, sources=[str(path)])


def _project_dependencies(project: dict[str, Any], path: Path, toml: TomlText) -> list[Dependency]:
    deps: list[Dependency] = []
    main = project.get("dependencies", [])
    where = toml.key_offset("project", "dependencies")
    deps += _requirement_list(
        main, "[project] dependencies", groups=(), where=where, path=path, toml=toml
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
            requirements, what, groups=group, where=where or inline, path=path, toml=toml
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
        deps.append(pep508_dependency(requirement, path, line, groups))
    return deps


def _dependency_groups(groups: Any, path: Path, toml: TomlText) -> list[Dependency]:
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
            deps.append(pep508_dependency(requirement, path, line, group_names))
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
    if isinstance(spec, str):
        spec = {"version": spec}
    if not isinstance(spec, dict):
        raise InputError(
            f"dependency {name!r}: expected a constraint string or a table", path, line
        )
    url: str | None = None
    version: str | None = None
    specifier = ""
    if isinstance(spec.get("git"), str):
        ref = next((spec[k] for k in ("rev", "tag", "branch") if isinstance(spec.get(k), str)), "")
        url = f"git+{spec['git']}" + (f"@{ref}" if ref else "")
    elif isinstance(spec.get("path"), str):
        url = spec["path"]
    elif isinstance(spec.get("url"), str):
        url = spec["url"]
        version = version_from_url(url)
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
        version = exact_version(specifier)
    python_marker = None
    if isinstance(spec.get("python"), str):
        try:
            python_marker = poetry_python_marker(spec["python"])
        except ValueError as exc:
            raise InputError(f"dependency {name!r}: python {exc}", path, line) from None
    markers = spec.get("markers") if isinstance(spec.get("markers"), str) else None
    if spec.get("optional") is True and extras_of.get(name):
        groups = tuple(sorted(set(groups) | set(extras_of[name])))
    extras = spec.get("extras", [])
    return Dependency(
        name=name,
        version=version,
        origin=origin,
        direct=True,
        specifier=specifier,
        markers=and_markers(markers, python_marker),
        extras=tuple(sorted(e for e in extras if isinstance(e, str)))
        if isinstance(extras, list)
        else (),
        groups=groups,
        url=url,
        editable=spec.get("develop") is True,
    )
