"""A local project folder's name, version and dependencies, read only from files that are data.

A requirement can name a folder (`-e .`, `./pkg`, `pkg @ file:///...`). Its name and version
come from static metadata: `[project]` of `pyproject.toml` (unless the version is `dynamic`),
else `[tool.poetry]`, else `[metadata]` of `setup.cfg`. Its own dependencies are what the
project would install: `[project] dependencies` and the optional dependencies of the extras
asked for (or Poetry's tables), else `install_requires` and `extras_require` of `setup.cfg`.
bastion never runs `setup.py` or a build backend to learn them: what only a build can say
(`dynamic` dependencies, a `setup.py` without `setup.cfg`) stays unknown, with a warning.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bastion.findings import Diagnostic
    from bastion.inventory.model import Dependency

# Used through `re`'s cache, not compiled at import: most runs read no local project.
_PROJECT_NAME = r"(?i)^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$"


def static_metadata(directory: Path) -> tuple[str | None, str | None]:
    """(name, version) of the project in `directory`; None for what its data does not say."""
    import tomllib

    try:
        data = tomllib.loads((directory / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        data = {}  # tomllib.TOMLDecodeError is a ValueError; a missing file is the common case
    project = data.get("project")
    if isinstance(project, dict) and is_project_name(project.get("name")):
        version = project.get("version")
        dynamic = project.get("dynamic")
        if isinstance(dynamic, list) and "version" in dynamic:
            version = None
        return project["name"], _valid_version(version)
    tool = data.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    if isinstance(poetry, dict) and is_project_name(poetry.get("name")):
        return poetry["name"], _valid_version(poetry.get("version"))
    return _setup_cfg_metadata(directory / "setup.cfg")


def is_project_name(value: object) -> bool:
    """A valid distribution name (PEP 508's `identifier`)."""
    return isinstance(value, str) and re.match(_PROJECT_NAME, value) is not None


def _setup_cfg_metadata(path: Path) -> tuple[str | None, str | None]:
    import configparser

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, configparser.Error):
        return None, None
    name = parser.get("metadata", "name", fallback="").strip()
    version = parser.get("metadata", "version", fallback=None)
    return (name if is_project_name(name) else None), _valid_version(version)


def _valid_version(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    from packaging.version import InvalidVersion, Version

    try:
        Version(value)
    except (InvalidVersion, ValueError):
        return None
    return value.strip()


def static_dependencies(
    directory: Path, extras: tuple[str, ...], diagnostics: list[Diagnostic]
) -> list[Dependency]:
    """What the local project in `directory` declares it needs (main dependencies and those
    of `extras`), each with its own origin line; [] when its data says nothing."""
    from dataclasses import replace

    from bastion.errors import InputError
    from bastion.findings import Diagnostic, Location
    from bastion.inventory.pyproject import project_tables, read_pyproject

    pyproject = directory / "pyproject.toml"
    if pyproject.is_file():
        try:
            tables = project_tables(pyproject)
        except InputError as exc:
            diagnostics.append(Diagnostic(f"its dependencies are not read: {exc.reason}"))
            return []
        if "project" in tables or "poetry" in tables:
            if _dynamic_dependencies(pyproject):
                diagnostics.append(
                    Diagnostic(
                        "its dependencies are dynamic (computed by its build backend): not "
                        "read, as bastion never runs a build",
                        Location(str(pyproject)),
                    )
                )
            inventory = read_pyproject(pyproject, diagnostics)
            wanted = set(extras)
            return [
                replace(d, direct=True)
                for d in inventory.dependencies
                if not d.groups or wanted & set(d.groups)
            ]
    return _setup_cfg_dependencies(directory / "setup.cfg", extras, diagnostics)


def _dynamic_dependencies(pyproject: Path) -> bool:
    from bastion.documents import parse_toml, read_text

    project = parse_toml(read_text(pyproject), pyproject).get("project")
    dynamic = project.get("dynamic") if isinstance(project, dict) else None
    return isinstance(dynamic, list) and "dependencies" in dynamic


def _setup_cfg_dependencies(
    path: Path, extras: tuple[str, ...], diagnostics: list[Diagnostic]
) -> list[Dependency]:
    """`[options] install_requires` and the `[options.extras_require]` of `extras`."""
    import configparser

    from bastion.findings import Diagnostic, Location
    from bastion.inventory import pep508
    from bastion.inventory.model import normalize_name

    parser = configparser.ConfigParser(interpolation=None)
    try:
        text = path.read_text(encoding="utf-8")
        parser.read_string(text)
    except (OSError, UnicodeDecodeError, configparser.Error):
        return []
    lines = text.splitlines()
    wanted = [("install_requires", parser.get("options", "install_requires", fallback=""))]
    if parser.has_section("options.extras_require"):
        for extra, value in parser.items("options.extras_require"):
            if normalize_name(extra) in extras:
                wanted.append((extra, value))
    found: list[Dependency] = []
    for key, value in wanted:
        for requirement in (r.strip() for r in value.splitlines()):
            if not requirement or requirement.startswith("#"):
                continue
            line = next((n for n, t in enumerate(lines, 1) if requirement in t), None)
            origin = Location(str(path), line)

            def warn(message: str, origin: Location = origin) -> None:
                diagnostics.append(Diagnostic(message, origin))

            group = () if key == "install_requires" else (normalize_name(key),)
            found.append(pep508.dependency(requirement, origin, warn=warn, groups=group))
    return found
