"""What runs at every start of an interpreter, read as `site` would read it, never run.

`site` processes each site-packages directory in order: every `*.pth` file in it, sorted by
name; a line starting with `import` (then a space or a tab) is executed, any other line that
is not a comment names a directory to add to `sys.path` (relative to the site directory).
Then it imports `sitecustomize` and, with the user site enabled, `usercustomize`, from
wherever they are first found on `sys.path`. This module reads the same files in the same
order and reports the executable lines (with file and line) and the customize modules, and
which installed distribution's RECORD owns each file (an owned file came with a package; an
unowned one was put there some other way).

Known benign `.pth` files, rated low when their owner is the expected one (documented in the
rule): setuptools' `distutils-precedence.pth`, editable-install finders
(`__editable__.*.pth`, owned by the project installed in editable mode), namespace-package
shims (`*-nspkg.pth`), coverage's subprocess hook, pywin32's bootstrap, and virtualenv's
`_virtualenv.pth` (written by virtualenv, which records no RECORD for it).
"""

from __future__ import annotations

import csv
import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path

#: (name pattern, the distribution expected to own it; None: owned by any distribution, or
#: by none for virtualenv's own file).
BENIGN_PTH: tuple[tuple[str, str | None], ...] = (
    ("distutils-precedence.pth", "setuptools"),
    ("__editable__.*.pth", None),
    ("*-nspkg.pth", None),
    ("a1_coverage.pth", "coverage"),
    ("coverage.pth", "coverage"),
    ("pywin32.pth", "pywin32"),
    ("_virtualenv.pth", None),
)
MAX_PTH_BYTES = 1024 * 1024


@dataclass(frozen=True, slots=True)
class CodeLine:
    """An executable line of a `.pth` file."""

    path: Path
    line: int
    code: str
    owner: str | None
    benign: bool


@dataclass(frozen=True, slots=True)
class PthFile:
    path: Path
    owner: str | None
    code: tuple[CodeLine, ...]
    added: tuple[Path, ...]
    """The directories its path lines add to sys.path (those that exist, as site adds)."""


def owners(site: Path) -> dict[str, str]:
    """File path (normalized, absolute) -> the distribution whose RECORD lists it."""
    found: dict[str, str] = {}
    try:
        entries = sorted(site.iterdir())
    except OSError:
        return found
    for entry in entries:
        if not entry.name.endswith(".dist-info"):
            continue
        name = entry.name[: -len(".dist-info")].rpartition("-")[0] or entry.name
        try:
            with open(entry / "RECORD", encoding="utf-8", newline="") as handle:
                rows = list(csv.reader(handle))
        except (OSError, UnicodeDecodeError, csv.Error):
            continue
        for row in rows:
            if row and row[0]:
                found[os.path.normpath(os.path.join(site, row[0]))] = name
    return found


def read_pth_files(
    site: Path, owned: dict[str, str], venv_made_by_virtualenv: bool
) -> list[PthFile]:
    """The `.pth` files of one site directory, in the order site reads them."""
    try:
        names = sorted(p.name for p in site.iterdir() if p.name.endswith(".pth"))
    except OSError:
        return []
    found = []
    for name in names:
        path = site / name
        owner = owned.get(os.path.normpath(str(path)))
        benign = benign_file(name, owner, venv_made_by_virtualenv)
        try:
            with open(path, "rb") as handle:
                raw = handle.read(MAX_PTH_BYTES)
        except OSError:
            continue
        text = raw.decode("utf-8", errors="replace")
        code: list[CodeLine] = []
        added: list[Path] = []
        for number, line in enumerate(text.splitlines(), 1):
            if line.startswith("#") or not line.strip():
                continue
            if line.startswith(("import ", "import\t")):
                code.append(CodeLine(path, number, line.rstrip(), owner, benign))
                continue
            directory = Path(os.path.normpath(os.path.join(site, line.rstrip())))
            if directory.is_dir():
                added.append(directory)
        found.append(PthFile(path, owner, tuple(code), tuple(added)))
    return found


def benign_file(name: str, owner: str | None, made_by_virtualenv: bool) -> bool:
    from bastion.inventory.model import normalize_name

    if owner is not None and owner.startswith("python3-"):
        owner = owner.removeprefix("python3-")  # the Debian package of a distribution

    for pattern, expected in BENIGN_PTH:
        if not fnmatch.fnmatchcase(name, pattern):
            continue
        if pattern == "_virtualenv.pth":
            return made_by_virtualenv
        if expected is None:
            return owner is not None
        return owner is not None and normalize_name(owner) == expected
    return False


def customize_modules(path: list[Path]) -> list[tuple[str, Path]]:
    """(`sitecustomize` or `usercustomize`, where) for the first of each found on `path`."""
    found = []
    for module in ("sitecustomize", "usercustomize"):
        for directory in path:
            hit = next(
                (
                    candidate
                    for candidate in (
                        directory / f"{module}.py",
                        directory / module / "__init__.py",
                        directory / f"{module}.pyc",
                    )
                    if candidate.is_file()
                ),
                None,
            )
            if hit is not None:
                found.append((module, hit))
                break
    return found


DPKG_INFO = Path("/var/lib/dpkg/info")


def system_owners(paths: list[Path], info: Path = DPKG_INFO) -> dict[Path, str]:
    """Which Debian package installed each of `paths` (from dpkg's file lists), for files
    no RECORD lists: a distribution's Python puts its own `.pth` and `sitecustomize` there.
    Read only when there is such a file; an empty answer elsewhere."""
    wanted = {os.path.normpath(str(p)): p for p in paths}
    found: dict[Path, str] = {}
    if not wanted or not info.is_dir():
        return found
    for listing in sorted(info.glob("*.list")):
        try:
            text = listing.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if not any(name in text for name in wanted):
            continue
        lines = set(text.splitlines())
        for name, path in wanted.items():
            if name in lines and path not in found:
                found[path] = listing.stem.split(":", 1)[0]
    return found
