"""A local project folder's name and version, read only from files that are data.

A requirement can name a folder (`-e .`, `./pkg`, `pkg @ file:///...`). Its name and version
come from static metadata: `[project]` of `pyproject.toml` (unless the version is `dynamic`),
else `[tool.poetry]`, else `[metadata]` of `setup.cfg`. bastion never runs `setup.py` or a
build backend to learn them: what only a build can say stays unknown.
"""

from __future__ import annotations

import re
from pathlib import Path

_PROJECT_NAME = re.compile(r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", re.IGNORECASE)


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
    return isinstance(value, str) and _PROJECT_NAME.match(value) is not None


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
