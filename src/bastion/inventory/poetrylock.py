"""Dependencies locked in `poetry.lock` (`[metadata] lock-version` 1.x and 2.x).

- Groups: Poetry 2.x writes `groups = ["main", "dev"]` on every package, 1.x a `category`
  (`main` or `dev`); both follow the shared convention (`()` when `main` is among them).
- Markers: a string, or (2.x) a table of one marker per group, which are or-ed.
- Hashes: the package's `files` (1.2+), or `[metadata.files]` (1.0/1.1), or the oldest
  `[metadata.hashes]` of bare sha256 digests.
- Direct: the lock does not say which packages the project names itself; the
  `pyproject.toml` beside it does. Without one, every package counts as direct.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from bastion import shape
from bastion.errors import InputError
from bastion.findings import Diagnostic, Location
from bastion.inventory.lines import (
    entry_lines,
    format_hashes,
    group_tuple,
    load_toml,
    or_markers,
    read_manifest,
)
from bastion.inventory.model import Dependency, Inventory, normalize_name

SUPPORTED_MAJORS = ("1", "2")

#: What every value the reader uses must look like (`bastion.shape`).
PACKAGE: shape.Schema = {
    "name": str,
    "version": str,
    "groups": [str],
    "category": str,
    "files": [{"file": str, "hash": str}],
    "source": {"type": str, "url": str, "reference": str, "resolved_reference": str},
    "markers": (str, {"*": str}),
    "develop": bool,
}
METADATA: shape.Schema = {
    "lock-version": str,
    "files": {"*": [{"file": str, "hash": str}]},
    "hashes": {"*": [str]},
}
_LOCK_VERSION = re.compile(r"^[ \t]*lock-version[ \t]*=", re.MULTILINE)


def read_poetry_lock(
    path: Path,
    diagnostics: list[Diagnostic] | None = None,
    *,
    manifest: Path | None = None,
) -> Inventory:
    """Every package in a poetry.lock; `manifest` defaults to the pyproject.toml beside it."""
    from bastion.inventory.pyproject import read_pyproject

    diagnostics = diagnostics if diagnostics is not None else []
    data, text = load_toml(path)
    metadata = data.get("metadata", {})
    if not isinstance(metadata, dict):
        raise InputError("[metadata] must be a table", path)
    lock_version = metadata.get("lock-version", "1.0")
    if not isinstance(lock_version, str) or lock_version.split(".")[0] not in SUPPORTED_MAJORS:
        match = _LOCK_VERSION.search(text)
        line = text.count("\n", 0, match.start()) + 1 if match else None
        raise InputError(
            f"unsupported poetry.lock lock-version {lock_version!r} (bastion reads 1.x and 2.x)",
            path,
            line,
        )
    manifest = manifest if manifest is not None else path.parent / "pyproject.toml"
    declared, manifest_sources = read_manifest(
        manifest, lambda p: read_pyproject(p, diagnostics), diagnostics
    )
    raw = data.get("package", [])
    if not isinstance(raw, list):
        raise InputError("`package` must be an array of tables", path)
    shape.check_input(metadata, METADATA, "metadata", path, _header_line(text, "metadata"))
    old_files = _metadata_hashes(metadata)
    deps = []
    lines = entry_lines(text, "package", len(raw))
    requesters = _requesters(raw)
    for index, (entry, line) in enumerate(zip(raw, lines, strict=True)):
        origin = Location(str(path), line)
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            diagnostics.append(Diagnostic("skipped a package without a name", origin))
            continue
        shape.check_input(entry, PACKAGE, f"package[{index}]", path, line)
        dependency = _dependency(entry, origin, declared, old_files)
        via = requesters.get(dependency.name, set()) - {dependency.name}
        deps.append(replace(dependency, via=tuple(sorted(via))) if via else dependency)
    return Inventory(dependencies=deps, sources=[str(path), *manifest_sources])


def _dependency(
    entry: dict[str, Any],
    origin: Location,
    declared: dict[str, tuple[str, ...]] | None,
    old_files: dict[str, list[str]],
) -> Dependency:
    name = normalize_name(entry["name"])
    groups = entry.get("groups")
    if not isinstance(groups, list):
        category = entry.get("category")
        groups = [category] if isinstance(category, str) else ["main"]
    hashes = [f.get("hash") for f in entry.get("files", []) if isinstance(f, dict)]
    raw_source = entry.get("source")
    source: dict[str, Any] = raw_source if isinstance(raw_source, dict) else {}
    version = entry.get("version")
    return Dependency(
        name=name,
        version=version if isinstance(version, str) and version else None,
        origin=origin,
        direct=declared is None or name in declared,
        hashes=format_hashes([*hashes, *old_files.get(name, [])]),
        markers=_markers(entry.get("markers")),
        groups=group_tuple(g for g in groups if isinstance(g, str)),
        url=_source_url(source),
        editable=entry.get("develop") is True,
    )


def _markers(value: Any) -> str | None:
    if isinstance(value, str):
        return value or None
    if isinstance(value, dict) and value:
        return or_markers(v if isinstance(v, str) else None for v in value.values())
    return None


def _metadata_hashes(metadata: dict[str, Any]) -> dict[str, list[str]]:
    """Hashes kept under `[metadata]` by lock-version 1.0/1.1 and older locks."""
    found: dict[str, list[str]] = {}
    files = metadata.get("files")
    if isinstance(files, dict):
        for name, entries in files.items():
            if isinstance(entries, list):
                found[normalize_name(name)] = [
                    e["hash"]
                    for e in entries
                    if isinstance(e, dict) and isinstance(e.get("hash"), str)
                ]
    hashes = metadata.get("hashes")
    if isinstance(hashes, dict):
        for name, digests in hashes.items():
            if isinstance(digests, list):
                found.setdefault(normalize_name(name), []).extend(
                    f"sha256:{d}" for d in digests if isinstance(d, str) and ":" not in d
                )
    return found


def _source_url(source: dict[str, Any]) -> str | None:
    """Where a package not from an index came from (`legacy` sources are indexes)."""
    kind, url = source.get("type"), source.get("url")
    if not isinstance(url, str) or kind in (None, "legacy"):
        return None
    if kind == "git":
        ref = source.get("resolved_reference") or source.get("reference")
        return f"git+{url}" + (f"@{ref}" if isinstance(ref, str) and ref else "")
    return url


def _requesters(packages: list[Any]) -> dict[str, set[str]]:
    """Name -> the names of the packages whose `[package.dependencies]` list it."""
    found: dict[str, set[str]] = {}
    for entry in packages:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            continue
        needs = entry.get("dependencies")
        for name in needs if isinstance(needs, dict) else ():
            found.setdefault(normalize_name(name), set()).add(normalize_name(entry["name"]))
    return found


def _header_line(text: str, table: str) -> int | None:
    match = re.search(rf"^\[{re.escape(table)}\]", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None
