"""Which files `bastion scan` reads, and glob patterns over project-relative paths.

Globs are matched against the path relative to the project root, with `/` separators:
`*` and `?` stay within one path segment, `**` spans any number of segments, `[abc]` is a
character class. A pattern without `/` matches any single segment (`migrations`,
`test_*.py`); a pattern with `/` is anchored at the root (`src/legacy/**`). A pattern that
matches a directory covers everything below it. (Written here rather than taken from
`fnmatch`, whose `*` crosses `/`, or `pathspec`, which would be a dependency for twenty lines.)
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

#: Directories never scanned: version control, caches, build output, dependencies.
SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".bzr",
        "CVS",
        "__pycache__",
        "node_modules",
        "build",
        "dist",
        ".tox",
        ".nox",
        ".eggs",
        "site-packages",
    }
)
DEFAULT_INCLUDE = ("*.py", "*.pyw")


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file to scan: where it is, how reports show it, and its project-relative path."""

    path: Path
    display: str
    relpath: str


@lru_cache(maxsize=512)
def compile_glob(pattern: str, *, below: bool = True) -> re.Pattern[str]:
    """A regular expression for one glob (see the module docstring). With `below`, it also
    matches everything below a matching directory."""
    text = pattern.strip().replace("\\", "/")
    anchored = "/" in text.rstrip("/")
    text = text.strip("/")
    if text.startswith("./"):
        text = text[2:]
    out: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if text.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif text.startswith("**", i):
            out.append(".*")
            i += 2
        elif char == "*":
            out.append("[^/]*")
            i += 1
        elif char == "?":
            out.append("[^/]")
            i += 1
        elif char == "[":
            end = text.find("]", i + 1)
            if end == -1:
                out.append(re.escape(char))
                i += 1
            else:
                body = text[i + 1 : end]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                i = end + 1
        else:
            out.append(re.escape(char))
            i += 1
    body = "".join(out)
    prefix = "" if anchored else "(?:.*/)?"
    suffix = "(?:/.*)?" if below else ""
    return re.compile(f"{prefix}{body}{suffix}", re.DOTALL)


def matches(relpath: str, patterns: Iterable[str]) -> bool:
    """True when `relpath` (or a directory above it) matches one of `patterns`."""
    return any(compile_glob(pattern).fullmatch(relpath) for pattern in patterns)


def entry_matches(relpath: str, patterns: Iterable[str]) -> bool:
    """True when `relpath` itself (not a directory above it) matches one of `patterns`."""
    return any(compile_glob(pattern, below=False).fullmatch(relpath) for pattern in patterns)


def included(relpath: str, patterns: Iterable[str]) -> bool:
    """True when a file matches an include pattern: by name for `*.py`, by path for a
    pattern with a `/` (`src/**/*.py`)."""
    name = relpath.rsplit("/", 1)[-1]
    for pattern in patterns:
        if "/" in pattern.strip("/"):
            if compile_glob(pattern, below=False).fullmatch(relpath):
                return True
        elif compile_glob(pattern, below=False).fullmatch(name):
            return True
    return False


def discover(
    target: Path,
    root: Path,
    *,
    include: Iterable[str] = DEFAULT_INCLUDE,
    exclude: Iterable[str] = (),
    excluded: Iterable[str] = (),
    unreadable: list[tuple[str, str]] | None = None,
) -> list[SourceFile]:
    """The files under `target` to scan, sorted by path.

    `root` is the project root that relative paths (and patterns) are based on. `exclude`
    holds globs, applied to what is found below `target` (so naming an excluded folder or
    file on the command line scans it); `excluded` holds bandit-style exclusions (see
    `bandit_excluded`), applied to whole paths as bandit does. A file named on the command
    line is scanned whatever its name. Directory links are not followed; `SKIP_DIRS` and
    virtual environments (a `pyvenv.cfg`) are skipped. A folder that cannot be listed is
    added to `unreadable` (its shown path and why), never skipped in silence.
    """
    include = tuple(include)
    exclude = tuple(exclude)
    excluded = tuple(excluded)
    try:
        base = target.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        base = target.as_posix()
    base = "" if base == "." else base

    def skipped(rel: str) -> bool:
        return bool(exclude and entry_matches(rel, exclude)) or bandit_excluded(rel, excluded)

    if target.is_file():
        if bandit_excluded(base, excluded):
            return []
        if not looks_like_python(target):
            from bastion.errors import NoInputsError

            raise NoInputsError(
                "not Python source (a .py or .pyw file, or a script with a python shebang); "
                "name a Python file or a folder to scan",
                target,
            )
        return [SourceFile(target, target.as_posix(), base)]
    found: list[SourceFile] = []
    stack: list[tuple[str, str]] = [(os.fspath(target), "")]
    while stack:
        folder, below = stack.pop()
        try:
            with os.scandir(folder) as scan:
                entries = list(scan)
        except OSError as exc:
            if unreadable is not None:
                unreadable.append((_display(folder), exc.strerror or str(exc)))
            continue
        if below and any(entry.name == "pyvenv.cfg" for entry in entries):
            continue  # a virtual environment
        for entry in entries:
            name = entry.name
            inner = f"{below}/{name}" if below else name
            rel = f"{base}/{inner}" if base else inner
            try:
                if entry.is_dir(follow_symlinks=False):
                    if name not in SKIP_DIRS and not skipped(rel):
                        stack.append((entry.path, inner))
                elif entry.is_file() and included(rel, include) and not skipped(rel):
                    found.append(SourceFile(Path(entry.path), _display(entry.path), rel))
            except OSError:
                continue
    found.sort(key=lambda f: f.relpath)
    return found


def looks_like_python(path: Path) -> bool:
    """A `.py`/`.pyw` file, or one whose first line is a shebang naming python."""
    if path.suffix in (".py", ".pyw"):
        return True
    try:
        with path.open("rb") as handle:
            first = handle.readline(200)
    except OSError:
        return True  # let the reader say why it cannot be read
    return first.startswith(b"#!") and b"python" in first


def _display(path: str) -> str:
    path = path.replace(os.sep, "/")
    return path[2:] if path.startswith("./") else path


def bandit_excluded(relpath: str, patterns: Iterable[str]) -> bool:
    """Bandit's `exclude_dirs` semantics: an fnmatch glob on the path as bandit sees it
    (`./src/x.py`), or a plain substring of it."""
    if not patterns:
        return False
    from fnmatch import fnmatch

    dotted = f"./{relpath}"
    for pattern in patterns:
        if not pattern:
            continue
        if fnmatch(dotted, pattern) or fnmatch(relpath, pattern):
            return True
        if pattern in dotted:
            return True
    return False
