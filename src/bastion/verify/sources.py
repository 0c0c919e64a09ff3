"""Where the project's packages come from: pip's and uv's configuration, read as they read it.

pip reads, each overriding the one before (pip's "Configuration" documentation): the global
files (`pip/pip.conf` under each `XDG_CONFIG_DIRS` folder, default `/etc/xdg`, then
`/etc/pip.conf`), the user's (`~/.pip/pip.conf`, then `pip/pip.conf` under
`XDG_CONFIG_HOME`, default `~/.config`; skipped when `PIP_CONFIG_FILE` names a file that
exists), the environment's (`pip.conf` in the project's venv), then the file
`PIP_CONFIG_FILE` names (`os.devnull` loads nothing at all), and finally `PIP_*` variables.
In a file, `[install]` overrides `[global]` for `pip install`; keys are case-insensitive and
`_` is `-`. uv reads `uv.toml` or `[tool.uv]` of the project, the user's
`uv/uv.toml` under `XDG_CONFIG_HOME`, the system's under `XDG_CONFIG_DIRS` and `/etc/uv`,
the file `UV_CONFIG_FILE` names (none with `UV_NO_CONFIG`), and `UV_*` variables. Every
`--index-url`-like option of the project's requirements files counts too.

What comes out is a flat list of `Setting`s (tool, key, value, file and line), the keys in
one spelling for both tools, for the V6xx rules to judge.

Why pip.conf is read by hand: `configparser` gives values but no line numbers, and every
finding must name its line. The format pip accepts is small: `[section]`, `key = value` or
`key: value`, indented continuation lines (how a list of extra index URLs is written),
comments on lines of their own. Nothing is interpolated (pip uses `RawConfigParser`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bastion.findings import Diagnostic, Location
from bastion.inventory.model import IndexOption

#: Keys that matter to package sources, in one spelling for pip and uv.
KEYS = frozenset(
    {
        "index-url",
        "extra-index-url",
        "find-links",
        "no-index",
        "trusted-host",
        "require-hashes",
        "require-virtualenv",
        "index-strategy",
        "index",
    }
)

#: pip's `PIP_*` variables for those keys (a list variable holds space-separated values).
PIP_VARIABLES = {
    "PIP_INDEX_URL": "index-url",
    "PIP_EXTRA_INDEX_URL": "extra-index-url",
    "PIP_FIND_LINKS": "find-links",
    "PIP_NO_INDEX": "no-index",
    "PIP_TRUSTED_HOST": "trusted-host",
    "PIP_REQUIRE_HASHES": "require-hashes",
    "PIP_REQUIRE_VIRTUALENV": "require-virtualenv",
}
UV_VARIABLES = {
    "UV_INDEX_URL": "index-url",
    "UV_DEFAULT_INDEX": "index-url",
    "UV_EXTRA_INDEX_URL": "extra-index-url",
    "UV_INDEX": "extra-index-url",
    "UV_FIND_LINKS": "find-links",
    "UV_NO_INDEX": "no-index",
    "UV_INSECURE_HOST": "trusted-host",
    "UV_INDEX_STRATEGY": "index-strategy",
    "UV_REQUIRE_HASHES": "require-hashes",
}
_LIST_KEYS = frozenset({"extra-index-url", "find-links", "trusted-host"})
_TRUE = frozenset({"1", "true", "yes", "on", "y", "t"})


@dataclass(frozen=True, slots=True)
class Setting:
    """One package-source setting: which tool reads it, where, and what it says.

    `tool` is `pip`, `uv` or `requirements` (an option line of a requirements file, which
    pip obeys); `section` is pip's (`global`, `install`) or uv's (`pip` for `[tool.uv.pip]`).
    `location.path` is a file, or `$NAME` for an environment variable.
    """

    tool: str
    key: str
    value: str
    location: Location
    section: str = ""

    @property
    def flag(self) -> bool:
        """The value as a boolean, as pip and uv read one."""
        return self.value.strip().lower() in _TRUE


@dataclass(slots=True)
class Places:
    """Where configuration lives on this machine: the environment and the system root.

    Tests give their own (`environ`, `home`, `etc`); a run uses `Places.here()`.
    """

    environ: Mapping[str, str]
    home: Path
    etc: Path = Path("/etc")
    venvs: tuple[Path, ...] = ()

    @classmethod
    def here(cls, project: Path) -> Places:
        venvs = [project / name for name in (".venv", "venv")]
        active = os.environ.get("VIRTUAL_ENV")
        if active:
            venvs.append(Path(active))
        return cls(environ=os.environ, home=Path.home(), venvs=tuple(venvs))

    def xdg_config_home(self) -> Path:
        value = self.environ.get("XDG_CONFIG_HOME")
        return Path(value) if value else self.home / ".config"

    def xdg_config_dirs(self) -> list[Path]:
        value = self.environ.get("XDG_CONFIG_DIRS") or str(self.etc / "xdg")
        return [Path(part) for part in value.split(os.pathsep) if part]


@dataclass(slots=True)
class PackageSources:
    """Every package-source setting found, in the order the tools apply them, and which
    configuration files were read (for the report's status line)."""

    settings: list[Setting] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def of(self, tool: str, key: str) -> list[Setting]:
        return [s for s in self.settings if s.tool == tool and s.key == key]

    def pip_value(self, key: str) -> Setting | None:
        """What `pip install` uses for `key`: a `PIP_*` variable, else the last `[install]`
        value of any file, else the last `[global]` one (pip orders by section first)."""
        found = self.of("pip", key)
        variables = [s for s in found if s.location.path.startswith("$")]
        install = [s for s in found if s.section == "install"]
        chosen = variables or install or found
        return chosen[-1] if chosen else None


def read_sources(
    project: Path,
    places: Places,
    options: list[IndexOption],
    diagnostics: list[Diagnostic],
) -> PackageSources:
    """pip's and uv's settings for `project` (a folder), plus the inputs' own options."""
    found = PackageSources()
    for path in _pip_files(places):
        found.settings.extend(_read_pip_file(path, found, diagnostics))
    found.settings.extend(_variables(places.environ, PIP_VARIABLES, "pip"))
    for path, table in _uv_files(project, places):
        found.settings.extend(_read_uv_file(path, table, found, diagnostics))
    found.settings.extend(_variables(places.environ, UV_VARIABLES, "uv"))
    for option in options:
        key = option.option.lstrip("-")
        if key in KEYS and option.origin is not None:
            found.settings.append(
                Setting("requirements", key, option.value or "true", option.origin)
            )
    return found


# --- pip ------------------------------------------------------------------------------


def _pip_files(places: Places) -> Iterator[Path]:
    named = places.environ.get("PIP_CONFIG_FILE")
    if named == os.devnull:
        return
    for folder in places.xdg_config_dirs():
        yield folder / "pip" / "pip.conf"
    yield places.etc / "pip.conf"
    if not (named and Path(named).exists()):
        yield places.home / ".pip" / "pip.conf"
        yield places.xdg_config_home() / "pip" / "pip.conf"
    for venv in places.venvs:
        yield venv / "pip.conf"
    if named:
        yield Path(named)


_SECTION = re.compile(r"^\[([^\]]+)\]\s*$")
_KEY_VALUE = re.compile(r"^([^=:\s][^=:]*?)\s*[=:]\s*(.*)$")


def _read_pip_file(
    path: Path, found: PackageSources, diagnostics: list[Diagnostic]
) -> Iterator[Setting]:
    """The settings of one pip.conf, each at the line of its key (continuation lines of a
    list each at their own line)."""
    text = _read_config(path, diagnostics)
    if text is None:
        return
    found.files.append(str(path))
    section = ""
    key: str | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", ";")):
            continue
        if raw[:1] in (" ", "\t") and key is not None:
            if key in KEYS and section in ("global", "install"):
                for value in stripped.split():
                    yield Setting("pip", key, value, Location(str(path), number), section)
            continue
        header = _SECTION.match(stripped)
        if header:
            section, key = header.group(1).strip().lower(), None
            continue
        pair = _KEY_VALUE.match(stripped)
        if pair is None:
            key = None
            continue
        key = pair.group(1).strip().lower().replace("_", "-")
        if key not in KEYS or section not in ("global", "install"):
            continue
        value = pair.group(2).strip()
        where = Location(str(path), number)
        if key in _LIST_KEYS:
            for item in value.split():
                yield Setting("pip", key, item, where, section)
        elif value:
            yield Setting("pip", key, value, where, section)


def _read_config(path: Path, diagnostics: list[Diagnostic]) -> str | None:
    from bastion.documents import read_text
    from bastion.errors import InputError

    try:
        if not path.is_file():
            return None
        return read_text(path)
    except InputError as exc:
        diagnostics.append(Diagnostic(f"not read: {exc.reason}", Location(str(path))))
    except OSError as exc:
        diagnostics.append(Diagnostic(f"not read: {exc.strerror}", Location(str(path))))
    return None


def _variables(
    environ: Mapping[str, str], names: Mapping[str, str], tool: str
) -> Iterator[Setting]:
    for variable, key in names.items():
        value = environ.get(variable)
        if not value:
            continue
        where = Location(f"${variable}")
        if key in _LIST_KEYS:
            for item in value.split():
                yield Setting(tool, key, item, where)
        else:
            yield Setting(tool, key, value.strip(), where)


# --- uv -------------------------------------------------------------------------------


def _uv_files(project: Path, places: Places) -> Iterator[tuple[Path, str]]:
    """(file, table) pairs: a uv.toml's keys are at its top level, pyproject.toml's under
    `tool.uv`. uv reads the project's uv.toml instead of its [tool.uv] when both exist."""
    if places.environ.get("UV_NO_CONFIG"):
        return
    named = places.environ.get("UV_CONFIG_FILE")
    if named:
        yield Path(named), ""
        return
    for folder in [*reversed(places.xdg_config_dirs()), places.etc]:
        yield folder / "uv" / "uv.toml", ""
    yield places.xdg_config_home() / "uv" / "uv.toml", ""
    if (project / "uv.toml").is_file():
        yield project / "uv.toml", ""
    else:
        yield project / "pyproject.toml", "tool.uv"


def _read_uv_file(
    path: Path, table: str, found: PackageSources, diagnostics: list[Diagnostic]
) -> Iterator[Setting]:
    from bastion.documents import parse_toml
    from bastion.errors import InputError
    from bastion.inventory.lines import TomlText

    text = _read_config(path, diagnostics)
    if text is None:
        return
    try:
        data: Any = parse_toml(text, path)
    except InputError as exc:
        diagnostics.append(Diagnostic(f"not read: {exc.reason}", Location(str(path), exc.line)))
        return
    for part in table.split(".") if table else ():
        data = data.get(part) if isinstance(data, dict) else None
    if not isinstance(data, dict):
        return
    found.files.append(str(path))
    where_text = TomlText(text)

    def line_of(section: str, key: str, value: str | None = None) -> Location:
        name = ".".join(p for p in (table, section) if p)
        offset = where_text.key_offset(name, key)
        if value is not None and offset is not None:
            offset = where_text.find(value, offset) or offset
        return Location(str(path), where_text.line(offset))

    for section, body in (("", data), ("pip", data.get("pip"))):
        if not isinstance(body, dict):
            continue
        for key in ("index-url", "index-strategy", "no-index", "require-hashes"):
            value = body.get(key)
            if isinstance(value, str | bool):
                text_value = value if isinstance(value, str) else str(value).lower()
                yield Setting("uv", key, text_value, line_of(section, key), section)
        for key in ("extra-index-url", "find-links", "allow-insecure-host"):
            values = body.get(key)
            values = [values] if isinstance(values, str) else values
            if not isinstance(values, list):
                continue
            canonical = "trusted-host" if key == "allow-insecure-host" else key
            for value in values:
                if isinstance(value, str):
                    yield Setting("uv", canonical, value, line_of(section, key, value), section)
    indexes = data.get("index")
    if isinstance(indexes, list):
        name = ".".join(p for p in (table, "index") if p)
        start = where_text.header_offset(name) or 0
        for entry in indexes:
            if not isinstance(entry, dict) or not isinstance(entry.get("url"), str):
                continue
            url = entry["url"]
            offset = where_text.find(url, start)
            key = "index-url" if entry.get("default") is True else "index"
            section = "explicit" if entry.get("explicit") is True else ""
            yield Setting("uv", key, url, Location(str(path), where_text.line(offset)), section)
