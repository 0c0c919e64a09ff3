"""Dependencies locked in `uv.lock` (lock `version = 1`, any `revision`).

The root packages are the project itself: an entry whose source is `{ editable = "." }` or
`{ virtual = "." }`, and every workspace member named in `[manifest] members`. They are not
dependencies. Their `dependencies` (main), `optional-dependencies` (one group per extra) and
`dev-dependencies` (one group per dependency group) are the direct dependencies; every other
package gets the groups through which the roots reach it (a walk of the lock's graph that
follows requested extras), so a package only the `dev` group pulls in has groups `("dev",)`.
Without a root the lock cannot say what is direct: every entry then counts as direct.

Every entry appears, including several versions of one package (uv forks by marker); an edge
that names a `version` reaches only that version. Hashes come from `sdist` and `wheels`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
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
    top_level_key_line,
)
from bastion.inventory.model import Dependency, Inventory, normalize_name

SUPPORTED_VERSIONS = (1,)

_EDGE = {"name": str, "extra": [str], "marker": str, "version": str}
_EDGES = [_EDGE]
#: What every value the reader uses must look like (`bastion.shape`).
PACKAGE: shape.Schema = {
    "name": str,
    "version": str,
    "source": {"*": str},
    "dependencies": _EDGES,
    "optional-dependencies": {"*": _EDGES},
    "dev-dependencies": {"*": _EDGES},
    "sdist": {"hash": str},
    "wheels": [{"hash": str}],
    "resolution-markers": [str],
}
TOP: shape.Schema = {"manifest": {"members": [str]}, "package": list}
MAIN = ""
"""The label of the roots' main dependencies in the walk."""


def read_uv_lock(path: Path, diagnostics: list[Diagnostic] | None = None) -> Inventory:
    """Every package in a uv.lock, with direct/transitive and groups from its roots."""
    diagnostics = diagnostics if diagnostics is not None else []
    data, text = load_toml(path)
    version = data.get("version")
    if version not in SUPPORTED_VERSIONS or isinstance(version, bool):
        raise InputError(
            f"unsupported uv.lock version {version!r} (bastion reads version 1)",
            path,
            top_level_key_line(text, "version"),
        )
    raw = data.get("package", [])
    if not isinstance(raw, list):
        raise InputError("`package` must be an array of tables", path)
    shape.check_input(data, TOP, "", path, top_level_key_line(text, "manifest"))
    lines = entry_lines(text, "package", len(raw))
    packages: list[dict[str, Any]] = []
    package_lines: list[int | None] = []
    for index, (entry, line) in enumerate(zip(raw, lines, strict=True)):
        if isinstance(entry, dict) and isinstance(entry.get("name"), str):
            shape.check_input(entry, PACKAGE, f"package[{index}]", path, line)
            packages.append(entry)
            package_lines.append(line)
        else:
            diagnostics.append(
                Diagnostic("skipped a package without a name", Location(str(path), line))
            )
    graph = _Graph(packages, _members(data))
    deps = []
    for index, package in enumerate(packages):
        if index in graph.roots:
            continue
        deps.append(_dependency(package, graph, index, Location(str(path), package_lines[index])))
    return Inventory(dependencies=deps, sources=[str(path)])


def _members(data: dict[str, Any]) -> set[str]:
    manifest = data.get("manifest")
    members = manifest.get("members", []) if isinstance(manifest, dict) else []
    return {normalize_name(m) for m in members if isinstance(m, str)}


def _edges(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        return []
    return [e for e in value if isinstance(e, dict) and isinstance(e.get("name"), str)]


class _Graph:
    """The lock's packages as a graph, walked once from the roots per group label."""

    def __init__(self, packages: list[dict[str, Any]], members: set[str]) -> None:
        self.packages = packages
        self.by_name: dict[str, list[int]] = {}
        for index, package in enumerate(packages):
            self.by_name.setdefault(normalize_name(package["name"]), []).append(index)
        self.roots = {
            i
            for i, p in enumerate(packages)
            if _is_root_source(p.get("source")) or normalize_name(p["name"]) in members
        }
        # direct edges: package index -> (labels, markers, extras)
        self.direct: dict[int, tuple[set[str], list[str | None], set[str]]] = {}
        self._requesters: dict[int, set[str]] | None = None
        self.labels: dict[int, set[str]] = {}
        starts: dict[str, list[dict[str, Any]]] = {}
        for root in self.roots:
            package = packages[root]
            starts.setdefault(MAIN, []).extend(_edges(package.get("dependencies")))
            for key in ("optional-dependencies", "dev-dependencies"):
                table = package.get(key)
                if isinstance(table, dict):
                    for group, edges in table.items():
                        starts.setdefault(normalize_name(group), []).extend(_edges(edges))
        for label, edges in starts.items():
            for edge in edges:
                for target in self.targets(edge):
                    if target in self.roots:
                        continue
                    labels, markers, extras = self.direct.setdefault(target, (set(), [], set()))
                    labels.add(label)
                    markers.append(
                        edge.get("marker") if isinstance(edge.get("marker"), str) else None
                    )
                    extras.update(e for e in edge.get("extra", []) if isinstance(e, str))
            self._walk(label, edges)

    def requesters(self, index: int) -> set[str]:
        """The names of the (non-root) packages whose dependencies include package `index`."""
        if self._requesters is None:
            found: dict[int, set[str]] = {}
            for source, package in enumerate(self.packages):
                if source in self.roots:
                    continue
                edges = _edges(package.get("dependencies"))
                optional = package.get("optional-dependencies")
                if isinstance(optional, dict):
                    for extra_edges in optional.values():
                        edges += _edges(extra_edges)
                for edge in edges:
                    for target in self.targets(edge):
                        found.setdefault(target, set()).add(normalize_name(package["name"]))
            self._requesters = found
        return self._requesters.get(index, set())

    def targets(self, edge: dict[str, Any]) -> Iterable[int]:
        candidates = self.by_name.get(normalize_name(edge["name"]), [])
        wanted = edge.get("version")
        if isinstance(wanted, str) and len(candidates) > 1:
            matching = [i for i in candidates if self.packages[i].get("version") == wanted]
            return matching or candidates
        return candidates

    def _walk(self, label: str, edges: list[dict[str, Any]]) -> None:
        """Mark every package reachable through `edges` (and the extras they ask for)."""
        seen: set[tuple[int, str]] = set()
        queue: deque[tuple[int, str]] = deque()

        def push(edge: dict[str, Any]) -> None:
            extras = [e for e in edge.get("extra", []) if isinstance(e, str)]
            for target in self.targets(edge):
                for node in [(target, ""), *((target, normalize_name(e)) for e in extras)]:
                    if node not in seen:
                        seen.add(node)
                        queue.append(node)

        for edge in edges:
            push(edge)
        while queue:
            index, extra = queue.popleft()
            self.labels.setdefault(index, set()).add(label)
            package = self.packages[index]
            if extra:
                optional = package.get("optional-dependencies")
                found = optional.get(extra) if isinstance(optional, dict) else None
                if found is None and isinstance(optional, dict):
                    found = next(
                        (v for k, v in optional.items() if normalize_name(k) == extra), None
                    )
                next_edges = _edges(found)
            else:
                next_edges = _edges(package.get("dependencies"))
            for edge in next_edges:
                push(edge)


def _is_root_source(source: Any) -> bool:
    return isinstance(source, dict) and (
        source.get("editable") == "." or source.get("virtual") == "."
    )


def _dependency(package: dict[str, Any], graph: _Graph, index: int, origin: Location) -> Dependency:
    raw_source = package.get("source")
    source: dict[str, Any] = raw_source if isinstance(raw_source, dict) else {}
    known = bool(graph.roots)
    direct = graph.direct.get(index)
    if direct is not None:
        labels, edge_markers, extras = direct
        markers = or_markers(edge_markers)
    else:
        labels, extras = set(), set()
        forks = package.get("resolution-markers")
        markers = or_markers(forks) if isinstance(forks, list) and forks else None
    labels = labels | graph.labels.get(index, set())
    hashes: list[str | None] = []
    sdist = package.get("sdist")
    if isinstance(sdist, dict):
        hashes.append(sdist.get("hash"))
    for wheel in package.get("wheels", []) if isinstance(package.get("wheels"), list) else []:
        if isinstance(wheel, dict):
            hashes.append(wheel.get("hash"))
    version = package.get("version")
    return Dependency(
        name=normalize_name(package["name"]),
        version=version if isinstance(version, str) else None,
        origin=origin,
        direct=direct is not None or not known,
        hashes=format_hashes(hashes),
        markers=markers,
        extras=tuple(sorted(extras)),
        groups=group_tuple(labels) if known else (),
        url=_source_url(source),
        editable="editable" in source,
        via=tuple(sorted(graph.requesters(index))),
    )


def _source_url(source: dict[str, Any]) -> str | None:
    if isinstance(source.get("git"), str):
        return f"git+{source['git']}"
    for key in ("url", "path", "directory", "editable", "virtual"):
        if isinstance(source.get(key), str):
            return str(source[key])
    return None
