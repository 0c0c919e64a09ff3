"""The text of a requirements file as pip reads it: decoding, logical lines, where a line is.

pip's `req_file.py` step by step (it has no public API, see `requirements`):
- bytes are decoded by BOM (UTF-8/16/32), else a PEP 263 `# -*- coding: x -*-` in the first
  two lines, else UTF-8; lines are split with `str.splitlines` (CRLF included);
- a line ending in `\\` continues on the next one (the joined line keeps the number of its
  first line) unless it is a comment; `#` at the start of a line or after whitespace starts a
  comment (so `#egg=` in a URL is kept); `${VAR}` (upper case, digits, `_`) is replaced by the
  environment variable when it is set and not empty;
- a line splits at the first space-separated token starting with `-`: before it is the
  requirement, after it the options.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from bastion.errors import InputError
from bastion.findings import Diagnostic, Location
from bastion.inventory.model import Dependency

_COMMENT = re.compile(r"(^|\s+)#.*$")

# The patterns not needed line after line in common files are used through `re`'s functions,
# which compile a pattern on its first use and cache it: compiling them all at import cost
# 0.8 ms of every run, and most runs need none of them.
_ENV_VAR = r"(?P<var>\$\{(?P<name>[A-Z0-9_]+)\})"
_PEP263 = rb"coding[:=]\s*([-\w.]+)"
_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)


class Line:
    """Where a logical line is: for origins, messages and local paths.

    A plain class, not a dataclass: one is built per line, and nothing compares them.
    """

    __slots__ = ("also", "diagnostics", "folder", "location")

    def __init__(self, location: Location, folder: Path, diagnostics: list[Diagnostic]) -> None:
        self.location = location
        self.folder = folder
        self.diagnostics = diagnostics
        self.also: Sequence[Dependency] = ()
        """What the line declares besides its requirement (a local project's dependencies)."""

    def error(self, message: str) -> InputError:
        return InputError(message, self.location.path, self.location.line)

    def warn(self, message: str) -> None:
        self.diagnostics.append(Diagnostic(message, self.location))

    def find(self, text: str) -> list[Path]:
        """Where a local path exists: from the current directory (as pip sees it), then from
        the requirements file's folder (bastion is often run from elsewhere)."""
        found: list[Path] = []
        for candidate in (Path(text), self.folder / text):
            try:
                if candidate.exists() and not any(candidate.samefile(f) for f in found):
                    found.append(candidate)
            except (OSError, ValueError):
                continue
        return found


def decode(data: bytes, path: Path) -> str:
    """pip's decoding: a BOM, else a PEP 263 coding comment in two lines, else UTF-8."""
    encoding = "utf-8"
    for bom, name in _BOMS:
        if data.startswith(bom):
            data, encoding = data[len(bom) :], name
            break
    else:
        for head in data.split(b"\n", 2)[:2]:
            match = re.search(_PEP263, head) if head[:1] == b"#" else None
            if match:
                encoding = match.group(1).decode("ascii")
                break
    try:
        return data.decode(encoding)
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r} in the coding comment", path, 1) from None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1 if encoding == "utf-8" else None
        raise InputError(f"not valid {encoding} text: {exc.reason}", path, line) from None
    except ValueError as exc:
        raise InputError(f"cannot decode as {encoding}: {exc}", path) from None


def logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """pip's preprocess(): join `\\` continuations, drop comments and blanks, expand ${VAR}."""
    parts: list[str] = []
    first = 0
    for number, raw in enumerate(text.splitlines(), 1):
        is_comment = raw.lstrip()[:1] == "#"
        if not is_comment and raw.endswith("\\"):
            if not parts:
                first = number
            parts.append(raw.strip("\\"))
            continue
        if parts:
            parts.append(" " + raw if is_comment else raw)
            line = _clean("".join(parts))
            parts = []
            if line:
                yield first, line
        elif not is_comment:
            line = _clean(raw)
            if line:
                yield number, line
    if parts:
        line = _clean("".join(parts))
        if line:
            yield first, line


def _clean(line: str) -> str:
    if "#" in line:
        line = _COMMENT.sub("", line)
    line = line.strip()
    if "${" in line:
        for var, name in re.findall(_ENV_VAR, line):
            value = os.environ.get(name)
            if value:
                line = line.replace(var, value)
    return line


_VIA_FIRST = re.compile(r"^\s+#\s+via(?:\s+(?P<name>\S.*))?$")
_VIA_MORE = re.compile(r"^\s+#\s{2,}(?P<name>\S.*)$")


def via_comments(text: str) -> dict[int, tuple[str, ...]]:
    """pip-compile's and uv's `# via` comments: requirement line -> what is listed under it
    (package names, `-r requirements.in`, the project's own name)."""
    found: dict[int, list[str]] = {}
    requirement: int | None = None
    listing = False
    for number, raw in enumerate(text.splitlines(), 1):
        if raw[:1] not in ("", " ", "\t", "#"):
            requirement, listing = number, False
            continue
        first = _VIA_FIRST.match(raw)
        if first is not None and requirement is not None:
            listing = True
            name = first.group("name")
            found.setdefault(requirement, [])
            if name:
                found[requirement].append(name.strip())
            continue
        more = _VIA_MORE.match(raw) if listing and requirement is not None else None
        if more is not None and requirement is not None:
            found[requirement].append(more.group("name").strip())
        elif raw.strip():
            listing = raw.lstrip().startswith("#") and listing
    return {line: tuple(n for n in names if not n.startswith("(")) for line, names in found.items()}


def split_args_options(line: str) -> tuple[str, str]:
    """pip's break_args_options: options start at the first ` `-separated token with `-`."""
    if line.startswith("-"):
        return "", line
    cut = line.find(" -")
    if cut < 0:
        return line, ""
    return line[:cut], line[cut + 1 :]
