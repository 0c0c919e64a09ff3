"""What the TOML and JSON readers share: loading with clear errors, and finding lines.

`tomllib` and `json` give values but no positions, and every `Dependency` must name the line
that declared it. Re-parsing with a position-aware TOML library would cost far more than the
parse itself on a large lock, so these helpers make one regex pass over the text instead and
map entries to lines in order (an array of tables keeps its order in the parsed data).

Group convention shared by every reader: `Dependency.groups` is empty for what the project
needs at run time (its main dependencies, Poetry's `main`, Pipfile's `default`); otherwise it
names the dependency groups or extras that pull the package in (`dev`, `docs`, `socks` ...).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from bastion.documents import parse_toml, read_text
from bastion.errors import InputError
from bastion.findings import Diagnostic, Location
from bastion.inventory.model import Dependency, Inventory

MAIN_GROUPS = frozenset({"main", "default"})
"""Group names that mean the project's run-time dependencies."""

_HEADER_OR_NAME = re.compile(
    r"^[ \t]*(\[\[?)[ \t]*([^\]\n]*?)[ \t]*\]\]?|^[ \t]*[\"']?name[\"']?[ \t]*=", re.MULTILINE
)
_HEADER = re.compile(r"^[ \t]*\[\[?([^\]\n]*)\]\]?[ \t]*(?:#.*)?$", re.MULTILINE)


def load_toml(path: Path) -> tuple[dict[str, Any], str]:
    """Parse a TOML file within bounds (`bastion.documents`); the data and the text."""
    text = read_text(path)
    return parse_toml(text, path), text


class LineIndex:
    """Offsets in a text to 1-based line numbers (built once, then a bisect per lookup)."""

    def __init__(self, text: str) -> None:
        self._starts = [0, *(m.end() for m in re.finditer("\n", text))]

    def line(self, offset: int) -> int:
        return bisect_right(self._starts, offset)


def array_entry_lines(text: str, table: str) -> list[int]:
    """For each `[[table]]` entry in file order, the line of its `name = ...` key.

    An entry without a `name` key directly under its header gets the header's line. One pass
    over the text, counting newlines between matches, so a 3,000-entry lock costs a few ms.
    """
    lines: list[int] = []
    line, last = 1, 0
    inside = False  # directly in a [[table]] entry, before any other header
    for match in _HEADER_OR_NAME.finditer(text):
        line += text.count("\n", last, match.start())
        last = match.start()
        if match.group(1) is not None:
            inside = match.group(1) == "[[" and _plain_key(match.group(2)) == table
            if inside:
                lines.append(line)
        elif inside:
            lines[-1] = line
            inside = False
    return lines


def entry_lines(text: str, table: str, count: int) -> list[int | None]:
    """`array_entry_lines`, or no lines at all when the text does not match the parsed data
    (an inline array of tables, a header inside a multi-line string): better no line than a
    wrong one."""
    lines = array_entry_lines(text, table)
    if len(lines) != count:
        return [None] * count
    return list(lines)


def top_level_key_line(text: str, key: str) -> int | None:
    """The line of `key = ...` before the first table header, where tomllib put the key."""
    pattern = re.compile(rf"^[ \t]*[\"']?{re.escape(key)}[\"']?[ \t]*=", re.MULTILINE)
    header = _HEADER.search(text)
    end = header.start() if header else len(text)
    match = pattern.search(text, 0, end)
    return text.count("\n", 0, match.start()) + 1 if match else None


class TomlText:
    """Where tables, keys and string values sit in a hand-written TOML file (pyproject.toml,
    Pipfile). Only standard headers and `key = value` lines are understood; anything else
    yields no line rather than a wrong one."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._index = LineIndex(text)
        self._headers: list[tuple[str, int, int]] = [
            (_plain_key(m.group(1)), m.start(), m.end()) for m in _HEADER.finditer(text)
        ]

    def line(self, offset: int | None) -> int | None:
        return None if offset is None else self._index.line(offset)

    def table(self, name: str) -> tuple[int, int] | None:
        """The body of `[name]` (from after its header to the next header)."""
        for i, (header, _start, end) in enumerate(self._headers):
            if header == name:
                nxt = self._headers[i + 1][1] if i + 1 < len(self._headers) else len(self.text)
                return end, nxt
        return None

    def header_offset(self, name: str) -> int | None:
        for header, start, _end in self._headers:
            if header == name:
                return start
        return None

    def key_offset(self, table: str, key: str) -> int | None:
        """Where `key = ` starts in the body of `[table]` (`""` is the top level)."""
        if table:
            span = self.table(table)
        else:
            span = (0, self._headers[0][1] if self._headers else len(self.text))
        if span is None:
            return None
        pattern = re.compile(rf"^[ \t]*[\"']?{re.escape(key)}[\"']?[ \t]*=", re.MULTILINE)
        match = pattern.search(self.text, *span)
        return match.start() if match else None

    def find(self, needle: str, start: int) -> int | None:
        """The next quoted occurrence of the string `needle` from `start`."""
        for quote in ('"', "'"):
            at = self.text.find(f"{quote}{needle}{quote}", start)
            if at >= 0:
                return at
        return None


def _plain_key(header: str) -> str:
    """`tool.poetry.group."dev".dependencies` -> `tool.poetry.group.dev.dependencies`."""
    return ".".join(part.strip().strip("\"'") for part in header.split("."))


def format_hashes(hashes: Iterable[str | None]) -> tuple[str, ...]:
    """`algorithm:hexdigest` strings, deduplicated, in order; `sha256=hex` is accepted too."""
    seen: dict[str, None] = {}
    for value in hashes:
        if not value:
            continue
        algorithm, sep, digest = value.replace("=", ":", 1).partition(":")
        if sep and digest:
            seen[f"{algorithm.strip().lower()}:{digest.strip().lower()}"] = None
    return tuple(seen)


def hash_table(hashes: Mapping[str, Any] | None) -> list[str]:
    """`{sha256 = "hex"}` (pylock, pip's report) as `sha256:hex` strings."""
    if not hashes:
        return []
    return [f"{alg}:{digest}" for alg, digest in hashes.items() if isinstance(digest, str)]


def group_tuple(groups: Iterable[str]) -> tuple[str, ...]:
    """Apply the group convention: () when any group is a main one, else the sorted names."""
    names = set(groups)
    if not names or names & MAIN_GROUPS or "" in names:
        return ()
    return tuple(sorted(names))


def or_markers(markers: Iterable[str | None]) -> str | None:
    """One marker true where any of `markers` is; None (always) when one of them is None."""
    unique: dict[str, None] = {}
    for marker in markers:
        if not marker:
            return None
        unique[marker.strip()] = None
    if not unique:
        return None
    if len(unique) == 1:
        return next(iter(unique))
    return " or ".join(f"({m})" for m in unique)


def and_markers(*markers: str | None) -> str | None:
    """Both conditions; None when neither has one."""
    present = [m.strip() for m in markers if m and m.strip()]
    if not present:
        return None
    if len(present) == 1:
        return present[0]
    return " and ".join(f"({m})" for m in present)


def declared_groups(dependencies: Iterable[Dependency]) -> dict[str, tuple[str, ...]]:
    """Normalized name -> groups (by the convention above) of what a manifest declares."""
    found: dict[str, set[str]] = {}
    for dependency in dependencies:
        found.setdefault(dependency.name, set()).update(dependency.groups or ("",))
    return {name: group_tuple(groups) for name, groups in found.items()}


def read_manifest(
    path: Path | None,
    read: Callable[[Path], Inventory],
    diagnostics: list[Diagnostic],
) -> tuple[dict[str, tuple[str, ...]] | None, list[str]]:
    """What the manifest beside a lock declares (name -> groups) and the files read for it.

    None when there is no manifest, it declares nothing, or it cannot be read (a warning
    then: the lock itself is still good, only direct/transitive is unknown).
    """
    if path is None or not path.is_file():
        return None, []
    try:
        inventory = read(path)
    except InputError as exc:
        diagnostics.append(
            Diagnostic(
                f"cannot tell direct from transitive dependencies: {exc.reason}",
                Location(exc.path or str(path), exc.line),
            )
        )
        return None, []
    if not inventory.dependencies:
        return None, []
    return declared_groups(inventory.dependencies), inventory.sources
