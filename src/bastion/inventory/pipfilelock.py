"""Pipenv's `Pipfile.lock` (JSON, `_meta.pipfile-spec` 6) and the `Pipfile` it locks (TOML).

The lock's `default` section is the main dependencies; `develop` is group `dev`; any other
top-level section is a Pipfile category of the same name. A package locked in several
sections at one version is one dependency with the groups of all of them. `version` is
`==x`; hashes and markers are kept. Direct: the packages the `Pipfile` beside the lock names
(without one, every package counts as direct).

`read_pipfile` reads the Pipfile alone: `[packages]` (main), `[dev-packages]` (`dev`) and
other categories; values are PEP 440 specifiers or `*`, or tables with `version`, `extras`,
`markers`, marker variables (`sys_platform = "== 'linux'"`), `git`/`ref`, `path`, `file`,
`editable`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from bastion import shape
from bastion.documents import parse_json, read_text
from bastion.errors import InputError
from bastion.findings import Diagnostic, Location
from bastion.inventory import pep508
from bastion.inventory.lines import (
    TomlText,
    and_markers,
    format_hashes,
    group_tuple,
    load_toml,
    read_manifest,
)
from bastion.inventory.model import Dependency, Inventory, normalize_name

SUPPORTED_SPECS = (6,)

_MARKER_KEYS = (
    "os_name",
    "sys_platform",
    "platform_machine",
    "platform_python_implementation",
    "platform_release",
    "platform_system",
    "platform_version",
    "python_version",
    "python_full_version",
    "implementation_name",
    "implementation_version",
)

#: What every value the readers use must look like (`bastion.shape`).
LOCK_ENTRY: shape.Schema = {
    "version": str,
    "hashes": [str],
    "markers": str,
    "extras": [str],
    "git": str,
    "ref": str,
    "file": str,
    "path": str,
    "editable": bool,
}
PIPFILE_ENTRY: shape.Schema = (
    str,
    {
        "version": str,
        "extras": [str],
        "markers": str,
        "git": str,
        "ref": str,
        "file": str,
        "path": str,
        "editable": bool,
        **dict.fromkeys(_MARKER_KEYS, str),
    },
)
_LOCK_GROUPS = {"default": "", "develop": "dev"}
_PIPFILE_GROUPS = {"packages": "", "dev-packages": "dev"}
_PIPFILE_RESERVED = frozenset({"source", "requires", "scripts", "pipenv"})


def read_pipfile_lock(
    path: Path,
    diagnostics: list[Diagnostic] | None = None,
    *,
    manifest: Path | None = None,
) -> Inventory:
    """Every package in a Pipfile.lock; `manifest` defaults to the Pipfile beside it."""
    diagnostics = diagnostics if diagnostics is not None else []
    text = read_text(path)
    data = parse_json(text, path)
    meta = data.get("_meta") if isinstance(data, dict) else None
    if not isinstance(meta, dict):
        raise InputError("not a Pipfile.lock: no _meta section", path, 1)
    spec = meta.get("pipfile-spec")
    if spec not in SUPPORTED_SPECS or isinstance(spec, bool):
        raise InputError(
            f"unsupported pipfile-spec {spec!r} (bastion reads pipfile-spec 6)",
            path,
            _json_key_line(text, "pipfile-spec", 0),
        )
    manifest = manifest if manifest is not None else path.parent / "Pipfile"
    declared, manifest_sources = read_manifest(
        manifest, lambda p: read_pipfile(p, diagnostics), diagnostics
    )
    merged: dict[tuple[str, str | None], tuple[Dependency, set[str]]] = {}
    for section, entries in data.items():
        if section == "_meta" or not isinstance(entries, dict):
            continue
        group = _LOCK_GROUPS.get(section, section)
        start = _json_key_offset(text, section, 0) or 0
        for raw_name, entry in entries.items():
            offset = _json_key_offset(text, raw_name, start)
            if offset is not None:
                start = offset
            line = text.count("\n", 0, offset) + 1 if offset is not None else None
            origin = Location(str(path), line)
            if not isinstance(entry, dict):
                diagnostics.append(Diagnostic(f"skipped {raw_name!r}: not an object", origin))
                continue
            shape.check_input(entry, LOCK_ENTRY, f"{section}.{raw_name}", path, line)
            dependency = _lock_dependency(normalize_name(raw_name), entry, origin, declared)
            key = (dependency.name, dependency.version)
            if key in merged:
                merged[key][1].add(group)
            else:
                merged[key] = (dependency, {group})
    deps = [_with_groups(d, groups) for d, groups in merged.values()]
    return Inventory(dependencies=deps, sources=[str(path), *manifest_sources])


def _with_groups(dependency: Dependency, groups: set[str]) -> Dependency:
    from dataclasses import replace

    return replace(dependency, groups=group_tuple(groups))


def _lock_dependency(
    name: str, entry: dict[str, Any], origin: Location, declared: dict[str, tuple[str, ...]] | None
) -> Dependency:
    raw_version = entry.get("version")
    version = pep508.pin_of(raw_version) if isinstance(raw_version, str) else None
    hashes = entry.get("hashes")
    extras = entry.get("extras")
    markers = entry.get("markers")
    return Dependency(
        name=name,
        version=version,
        origin=origin,
        direct=declared is None or name in declared,
        specifier=raw_version if isinstance(raw_version, str) else "",
        hashes=format_hashes(h for h in hashes if isinstance(h, str))
        if isinstance(hashes, list)
        else (),
        markers=pep508.marker(markers, origin) if isinstance(markers, str) else None,
        extras=pep508.normalized_extras(e for e in extras if isinstance(e, str))
        if isinstance(extras, list)
        else (),
        url=_url(entry),
        editable=entry.get("editable") is True,
    )


def _url(entry: dict[str, Any]) -> str | None:
    if isinstance(entry.get("git"), str):
        ref = entry.get("ref")
        git = entry["git"] if entry["git"].startswith("git+") else f"git+{entry['git']}"
        return git + (f"@{ref}" if isinstance(ref, str) and ref else "")
    for key in ("file", "path"):
        if isinstance(entry.get(key), str):
            return str(entry[key])
    return None


def _json_key_offset(text: str, key: str, start: int) -> int | None:
    match = re.compile(re.escape(json.dumps(key)) + r"\s*:").search(text, start)
    return match.start() if match else None


def _json_key_line(text: str, key: str, start: int) -> int | None:
    offset = _json_key_offset(text, key, start)
    return None if offset is None else text.count("\n", 0, offset) + 1


def read_pipfile(path: Path, diagnostics: list[Diagnostic] | None = None) -> Inventory:
    """What a Pipfile declares, by category (`[packages]` main, `[dev-packages]` dev)."""
    diagnostics = diagnostics if diagnostics is not None else []
    data, text = load_toml(path)
    toml = TomlText(text)
    deps: list[Dependency] = []
    for section, entries in data.items():
        if section in _PIPFILE_RESERVED or not isinstance(entries, dict):
            continue
        group = _PIPFILE_GROUPS.get(section, section)
        for raw_name, spec in entries.items():
            offset = toml.key_offset(section, raw_name)
            if offset is None:
                offset = toml.header_offset(f"{section}.{raw_name}")
            origin = Location(str(path), toml.line(offset))
            shape.check_input(spec, PIPFILE_ENTRY, f"{section}.{raw_name}", path, origin.line)
            deps.append(
                _pipfile_dependency(normalize_name(raw_name), spec, group, origin, diagnostics)
            )
    return Inventory(dependencies=deps, sources=[str(path)])


def _pipfile_dependency(
    name: str, spec: Any, group: str, origin: Location, diagnostics: list[Diagnostic]
) -> Dependency:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    path = origin.path

    def warn(message: str) -> None:
        diagnostics.append(Diagnostic(message, origin))

    if isinstance(spec, str):
        spec = {"version": spec}
    if not isinstance(spec, dict):
        raise InputError(f"{name}: expected a version string or a table", path, origin.line)
    raw = spec.get("version", "*")
    if not isinstance(raw, str):
        raise InputError(f"{name}: version must be a string", path, origin.line)
    specifier = "" if raw.strip() == "*" else re.sub(r"\s+", "", raw)
    try:
        SpecifierSet(specifier)
    except InvalidSpecifier:
        raise InputError(f"{name}: {raw!r} is not a version specifier", path, origin.line) from None
    variables = [f"{k} {spec[k]}" for k in _MARKER_KEYS if k in spec]
    return pep508.table_dependency(
        name,
        origin,
        warn=warn,
        specifier=specifier,
        markers=and_markers(spec.get("markers"), *variables),
        extras=spec.get("extras") or (),
        groups=(group,) if group else (),
        url=_url(spec),
        editable=spec.get("editable") is True,
    )
