"""The JSON report: a stable, versioned document (schema: docs/json-report.md).

`schema_version` follows semantic versioning: a new optional field raises the minor version,
anything that could break a consumer raises the major version. The JSON Schema that
validates it ships with the package (`bastion/report/schema/report-1.json`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from bastion import __version__
from bastion.findings import Diagnostic, Finding, Location, PackageRef
from bastion.report import RunResult

SCHEMA_VERSION = "1.2"


def render(result: RunResult, *, color: bool) -> str:
    return render_bytes(result, color=color).decode("utf-8")


def render_bytes(result: RunResult, *, color: bool) -> bytes:
    return b"".join(render_chunks(result, color=color))


def render_chunks(result: RunResult, *, color: bool) -> Iterator[bytes]:
    """The report in pieces, so that a large one is written as it is made: the findings are
    serialized a batch at a time instead of as one document (a 16,000-finding report held
    whole would be its dicts, then its bytes, at once)."""
    locations: dict[int, Any] = {}
    return stream(
        document(result, findings=False),
        ["findings"],
        result.findings,
        lambda finding: finding_data(finding, locations),
    )


#: Where the streamed list goes in the serialized document (a string no report contains).
_PLACEHOLDER = "@@bastion-stream-placeholder@@"
_BATCH = 256


def stream(
    data: dict[str, Any],
    path: list[str | int],
    items: Iterable[Any],
    convert: Callable[[Any], Any],
) -> Iterator[bytes]:
    """`data` serialized with the list at `path` replaced by `items` (each through
    `convert`), produced in chunks: the document around the list, then batches of items."""
    import orjson

    holder: Any = data
    for key in path[:-1]:
        holder = holder[key]
    holder[path[-1]] = _PLACEHOLDER
    head, _, tail = dumps_bytes(data).partition(orjson.dumps(_PLACEHOLDER))
    yield head + b"["
    batch: list[Any] = []
    first = True
    for item in items:
        batch.append(convert(item))
        if len(batch) >= _BATCH:
            # One `dumps` per batch (a list, its brackets cut off): per item it cost 5 ms
            # more on a 1,700-finding report.
            yield (b"" if first else b",") + orjson.dumps(batch)[1:-1]
            first, batch = False, []
    if batch:
        yield (b"" if first else b",") + orjson.dumps(batch)[1:-1]
    yield b"]" + tail


def dumps_bytes(data: Any) -> bytes:
    """Compact JSON and a final newline, as UTF-8 (as pip-audit writes it; pipe through
    `python -m json.tool` to read it). orjson writes a 1,700-finding report in about 2 ms,
    where the standard library takes 20 ms compact and ten times that indented."""
    import orjson

    return orjson.dumps(data, option=orjson.OPT_APPEND_NEWLINE)


def document(result: RunResult, *, findings: bool = True) -> dict[str, Any]:
    """The report as plain data (also used by other formats and by tests); `findings=False`
    leaves the findings list empty (`render_chunks` streams it)."""
    by_severity = Counter(f.severity.label for f in result.findings)
    # Findings hold their Location and PackageRef objects for the whole call, so `id()` keys
    # stay unique.
    locations: dict[int, Any] = {}
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "bastion", "version": __version__},
        "command": result.command,
        "checks": result.checks,
        "inputs": result.inputs,
        "data_status": result.data_status,
        "advice": result.advice,
        "dependencies": _dependencies(result),
        "fail_on": result.fail_on_label,
        "failed": result.failed,
        "summary": {
            "findings": len(result.findings),
            "by_severity": {
                s: by_severity.get(s, 0) for s in ("critical", "high", "medium", "low", "unknown")
            },
            "ignored": len(result.ignored),
            "stats": result.stats,
        },
        "findings": [finding_data(f, locations) for f in result.findings] if findings else [],
        "ignored": [
            {
                **finding_data(f),
                "ignored_by": {
                    "id": i.id,
                    "reason": i.reason,
                    "expires": i.expires.isoformat() if i.expires else None,
                },
            }
            for f, i in result.ignored
        ],
        "incomplete": result.incomplete,
        # A check that failed under `bastion check` (schema 1.0 has no field of its own).
        "diagnostics": [
            *({"message": f"error: {e}", "location": None} for e in result.errors),
            *(diagnostic_data(d) for d in result.diagnostics),
        ],
    }


def finding_data(finding: Finding, locations: dict[int, Any] | None = None) -> dict[str, Any]:
    """One finding as plain data. Tuples stay tuples (they serialize as arrays); `locations`
    memoizes location and package objects by identity, since all findings of one package
    share them."""
    memo = {} if locations is None else locations
    return {
        "id": finding.rule_id,
        "aliases": finding.aliases,
        "check": finding.check,
        "title": finding.title,
        "severity": finding.severity.label,
        "confidence": finding.confidence.label,
        "location": location_data(finding.location, memo),
        "package": package_data(finding.package, memo),
        "description": finding.description,
        "fix": finding.fix,
        "fix_versions": finding.fix_versions,
        "references": finding.references,
        "cwe": finding.cwe,
        "cvss": (
            {"vector": finding.cvss_vector, "score": finding.cvss_score}
            if finding.cvss_vector or finding.cvss_score is not None
            else None
        ),
        "evidence": [
            {"location": location_data(step.location, memo), "message": step.message}
            for step in finding.evidence
        ],
        "fingerprint": finding.fingerprint or None,
    }


def location_data(
    location: Location | None, memo: dict[int, Any] | None = None
) -> dict[str, Any] | None:
    if location is None:
        return None
    if memo is not None:
        known: dict[str, Any] | None = memo.get(id(location))
        if known is not None:
            return known
    data = {
        "path": location.path,
        "line": location.line,
        "column": location.column,
        "end_line": location.end_line,
        "end_column": location.end_column,
        "snippet": location.snippet,
    }
    if memo is not None:
        memo[id(location)] = data
    return data


def package_data(
    package: PackageRef | None, memo: dict[int, Any] | None = None
) -> dict[str, Any] | None:
    """`memo` (see `location_data`) also holds packages: all findings of one share one."""
    if package is None:
        return None
    if memo is not None:
        known: dict[str, Any] | None = memo.get(id(package))
        if known is not None:
            return known
    data = {
        "name": package.name,
        "version": package.version,
        "declared_at": location_data(package.declared_at, memo),
        "also_declared_at": [location_data(loc, memo) for loc in package.also_declared_at],
        "via": list(package.via),
    }
    if memo is not None:
        memo[id(package)] = data
    return data


def diagnostic_data(diagnostic: Diagnostic) -> dict[str, Any]:
    return {"message": diagnostic.message, "location": location_data(diagnostic.location)}


def _dependencies(result: RunResult) -> list[dict[str, Any]]:
    """Every audited dependency, findings or not (as pip-audit's JSON lists them): name,
    version (null when unpinned), where it is declared, direct or not, its findings' IDs."""
    from bastion.inventory.model import normalize_name

    ids: dict[tuple[str, str | None], list[str]] = {}
    for finding in result.findings:
        if finding.package is not None:
            key = (normalize_name(finding.package.name), finding.package.version)
            ids.setdefault(key, []).append(finding.rule_id)
    listed = []
    seen: set[tuple[str, str | None]] = set()
    for dependency in result.audited:
        key = (normalize_name(dependency.name), dependency.version)
        if key in seen:
            continue
        seen.add(key)
        listed.append(
            {
                "name": dependency.name,
                "version": dependency.version,
                "declared_at": location_data(dependency.origin),
                "direct": dependency.direct,
                "findings": ids.get(key, []),
            }
        )
    return listed
