"""Settings: every option has a CLI flag and a `[tool.bastion]` key, declared once here.

An `Option` declares both. A command lists the options it takes; `add_options` puts them on
its argparse parser (default None, so "not given" is visible) and `resolve` merges, in order
of precedence: the flag, the key in `[tool.bastion]` (or `[tool.bastion.<section>]`), the
option's default. Values from the file are checked against the same type and choices as flags.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bastion.errors import InputError
from bastion.findings import Diagnostic, Location


# Not frozen, no `__eq__`: nothing hashes or compares options, and each method a dataclass
# generates costs start-up time (frozen ones the most).
@dataclass(slots=True, eq=False)
class Option:
    """One setting: its config key (`fail-on`), its flags and how to read it."""

    key: str
    flags: tuple[str, ...]
    help: str
    kind: type = str
    default: Any = None
    choices: tuple[str, ...] | None = None
    multiple: bool = False
    section: str = ""
    metavar: str | None = None
    in_config: bool = True
    """False when the config key is read elsewhere, in its own shape (`ignore`: tables)."""

    @property
    def dest(self) -> str:
        prefix = f"{self.section}_" if self.section else ""
        return prefix + self.key.replace("-", "_")


# No `__eq__`: nothing compares these, and each generated method costs start-up time.
@dataclass(slots=True, eq=False)
class Settings:
    """Resolved settings of one run, plus the raw `[tool.bastion]` table for sub-tables."""

    values: dict[str, Any] = field(default_factory=dict)
    table: dict[str, Any] = field(default_factory=dict)
    config_path: Path | None = None

    def __getitem__(self, dest: str) -> Any:
        return self.values[dest]

    def get(self, dest: str, default: Any = None) -> Any:
        value = self.values.get(dest)
        return default if value is None else value


def add_options(parser: argparse.ArgumentParser, options: Iterable[Option]) -> None:
    """Add each option's flags to `parser`, with default None so resolve() sees what was given."""
    for option in options:
        kwargs: dict[str, Any] = {"dest": option.dest, "default": None, "help": option.help}
        if option.kind is bool:
            kwargs["action"] = argparse.BooleanOptionalAction
        else:
            if option.multiple:
                kwargs["action"] = "append"
            if option.choices:
                kwargs["choices"] = option.choices
            if option.kind is int:
                kwargs["type"] = int
            if option.metavar:
                kwargs["metavar"] = option.metavar
        parser.add_argument(*option.flags, **kwargs)


def find_config(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above `start` (a file or a directory)."""
    here = start if start.is_dir() else start.parent
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def read_tool_table(path: Path) -> dict[str, Any]:
    """The `[tool.bastion]` table of a pyproject.toml, or {} when it has none."""
    from bastion.documents import parse_toml, read_text

    text = read_text(path)
    if "bastion" not in text:
        return {}  # most projects: no need to parse the file here at all
    data = parse_toml(text, path)
    tool = data.get("tool", {})
    table = tool.get("bastion", {}) if isinstance(tool, dict) else {}
    if not isinstance(table, dict):
        raise InputError("[tool.bastion] must be a table", path, key_line(path, "bastion"))
    return table


def resolve(
    args: argparse.Namespace,
    options: Sequence[Option],
    table: Mapping[str, Any],
    config_path: Path | None,
) -> dict[str, Any]:
    """Merge flags, config keys and defaults for `options`."""
    values: dict[str, Any] = {}
    for option in options:
        given = getattr(args, option.dest, None)
        if given is not None:
            values[option.dest] = given
            continue
        section = table.get(option.section, {}) if option.section else table
        if option.in_config and isinstance(section, Mapping) and option.key in section:
            values[option.dest] = _check_value(option, section[option.key], config_path)
        else:
            values[option.dest] = option.default
    return values


def unknown_keys(table: Mapping[str, Any], known: Iterable[str], path: Path) -> list[Diagnostic]:
    """A warning for each key of `[tool.bastion]` that no option reads (a typo such as
    `fail_on` would otherwise be ignored in silence), with the closest known key."""
    names = sorted(known)
    warnings = []
    for key in table:
        if key in names:
            continue
        import difflib

        close = difflib.get_close_matches(key.replace("_", "-"), names, n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        warnings.append(
            Diagnostic(
                f"[tool.bastion] {key}: unknown key, ignored{hint}",
                Location(str(path), key_line(path, key)),
            )
        )
    return warnings


def _check_value(option: Option, value: Any, path: Path | None) -> Any:
    def bad(reason: str) -> InputError:
        where = f"[tool.bastion{'.' + option.section if option.section else ''}] {option.key}"
        line = key_line(path, option.key) if path else None
        return InputError(f"{where}: {reason}", path, line)

    if option.multiple:
        if not isinstance(value, list):
            raise bad("expected a list")
        items = value
    else:
        items = [value]
    for item in items:
        if option.kind is bool and not isinstance(item, bool):
            raise bad("expected true or false")
        if option.kind is int and (isinstance(item, bool) or not isinstance(item, int)):
            raise bad("expected a whole number")
        if option.kind is str and not isinstance(item, str):
            raise bad("expected a string")
        if option.choices and item not in option.choices:
            raise bad(f"expected one of {', '.join(option.choices)}, got {item!r}")
    return value


def key_line(path: Path | None, key: str) -> int | None:
    """The first line of `path` that assigns `key` (tomllib gives no positions)."""
    if path is None:
        return None
    pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=|^\s*\[+[^\]]*\b{re.escape(key)}\b")
    try:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                return number
    except (OSError, UnicodeDecodeError):
        return None
    return None
