"""PEP 751 lock files (`pylock.toml`, `pylock.<name>.toml`), read with `packaging.pylock`.

`packaging` validates the file and gives typed packages; this module adds only what it
cannot: line numbers (tomllib keeps none), the `lock-version` check done first so that the
error can name its line, its warnings turned into diagnostics, and which packages are direct.

PEP 751 records no direct/transitive distinction. The manifest beside the lock decides: the
`pyproject.toml` when it declares dependencies, else `requirements.in` (what `pip lock -r`
reads); without one, every package counts as direct. Groups come from the package's marker
(`'dev' in dependency_groups`, `'socks' in extras`), else, for a direct package, from the
manifest. Hashes: every `hashes` table of the wheels, the sdist and the archive.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from bastion.errors import InputError
from bastion.findings import Diagnostic, Location
from bastion.inventory.lines import (
    entry_lines,
    format_hashes,
    group_tuple,
    hash_table,
    load_toml,
    read_manifest,
    top_level_key_line,
)
from bastion.inventory.model import Dependency, Inventory, normalize_name

if TYPE_CHECKING:
    from packaging.pylock import Package

_GROUP_MARKER = r"""['"]([^'"]+)['"]\s+in\s+(dependency_groups|extras)\b"""


def is_pylock_name(path: Path) -> bool:
    """`pylock.toml` or `pylock.<name>.toml`, as PEP 751 names them."""
    from packaging.pylock import is_valid_pylock_path

    return is_valid_pylock_path(path)


def read_pylock(
    path: Path,
    diagnostics: list[Diagnostic] | None = None,
    *,
    manifest: Path | None = None,
) -> Inventory:
    """Every package in a PEP 751 lock file."""
    from packaging.pylock import Pylock, PylockUnsupportedVersionError, PylockValidationError
    from packaging.version import InvalidVersion, Version

    diagnostics = diagnostics if diagnostics is not None else []
    data, text = load_toml(path)
    lock_version = data.get("lock-version")
    version_line = top_level_key_line(text, "lock-version")
    try:
        supported = isinstance(lock_version, str) and Version(lock_version).major == 1
    except (InvalidVersion, ValueError):  # ValueError: a number over the digit limit
        supported = False
    if not supported:
        raise InputError(
            f"unsupported pylock lock-version {lock_version!r} (bastion reads 1.x)",
            path,
            version_line,
        )
    raw = data.get("packages")
    count = len(raw) if isinstance(raw, list) else 0
    lines = entry_lines(text, "packages", count)
    try:
        with _warnings_as_diagnostics(diagnostics, Location(str(path), version_line)):
            lock = Pylock.from_dict(data)
    except PylockUnsupportedVersionError as exc:  # pragma: no cover - checked above
        raise InputError(str(exc), path, version_line) from None
    except PylockValidationError as exc:
        raise InputError(f"not a valid pylock file: {exc}", path, _error_line(exc, lines)) from None
    except ValueError as exc:  # a version number over the digit limit, deep in packaging
        reason = str(exc).split(";")[0]
        raise InputError(f"not a valid pylock file: {reason}", path) from None
    declared, manifest_sources = _manifest(path, manifest, diagnostics)
    deps = [
        _dependency(package, Location(str(path), line), declared)
        for package, line in zip(lock.packages, lines, strict=True)
    ]
    return Inventory(dependencies=deps, sources=[str(path), *manifest_sources])


def _manifest(
    path: Path, manifest: Path | None, diagnostics: list[Diagnostic]
) -> tuple[dict[str, tuple[str, ...]] | None, list[str]]:
    from bastion.inventory.pyproject import read_pyproject

    if manifest is not None:
        return read_manifest(manifest, _reader_for(manifest, diagnostics), diagnostics)
    declared, sources = read_manifest(
        path.parent / "pyproject.toml", lambda p: read_pyproject(p, diagnostics), diagnostics
    )
    if declared is None:
        candidate = path.parent / "requirements.in"
        declared, sources = read_manifest(
            candidate, _reader_for(candidate, diagnostics), diagnostics
        )
    return declared, sources


def _reader_for(manifest: Path, diagnostics: list[Diagnostic]) -> Callable[[Path], Inventory]:
    if manifest.name.endswith(".toml"):
        from bastion.inventory.pyproject import read_pyproject

        return lambda p: read_pyproject(p, diagnostics)

    def read(p: Path) -> Inventory:
        from bastion.inventory.requirements import read_requirements

        inventory: Inventory = read_requirements(p, diagnostics)
        return inventory

    return read


def _dependency(
    package: Package, origin: Location, declared: dict[str, tuple[str, ...]] | None
) -> Dependency:
    import re

    name = normalize_name(package.name)
    marker = str(package.marker) if package.marker else None
    marker_groups = [m.group(1) for m in re.finditer(_GROUP_MARKER, marker or "")]
    if marker_groups:
        groups = group_tuple(normalize_name(g) for g in marker_groups)
    elif declared is not None and name in declared:
        groups = declared[name]
    else:
        groups = ()
    hashes: list[str] = []
    for wheel in package.wheels or ():
        hashes += hash_table(wheel.hashes)
    for archive in (package.sdist, package.archive):
        if archive is not None:
            hashes += hash_table(archive.hashes)
    return Dependency(
        name=name,
        version=str(package.version) if package.version is not None else None,
        origin=origin,
        direct=declared is None or name in declared,
        hashes=format_hashes(hashes),
        markers=marker,
        groups=groups,
        url=_url(package),
        editable=bool(package.directory and package.directory.editable),
    )


def _url(package: Package) -> str | None:
    if package.vcs is not None:
        where = package.vcs.url or package.vcs.path or ""
        return f"{package.vcs.type}+{where}@{package.vcs.commit_id}"
    if package.directory is not None:
        return package.directory.path
    if package.archive is not None:
        return package.archive.url or package.archive.path
    return None


def _error_line(exc: Exception, lines: list[int | None]) -> int | None:
    """`packages[3].wheels[0]` in packaging's error context -> the line of packages[3]."""
    import re

    context = getattr(exc, "context", None) or ""
    match = re.match(r"packages\[(\d+)\]", context)
    if match and int(match.group(1)) < len(lines):
        return lines[int(match.group(1))]
    return None


@contextmanager
def _warnings_as_diagnostics(diagnostics: list[Diagnostic], where: Location) -> Iterator[None]:
    """packaging logs some warnings (a newer minor lock-version): report them as diagnostics
    instead of letting logging print them."""

    class Collect(logging.Filter):
        def filter(self, record: logging.LogRecord) -> bool:
            diagnostics.append(Diagnostic(record.getMessage(), where))
            return False

    logger = logging.getLogger("packaging.pylock")
    collector = Collect()
    logger.addFilter(collector)
    try:
        yield
    finally:
        logger.removeFilter(collector)
