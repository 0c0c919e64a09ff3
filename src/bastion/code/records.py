"""A file's scan result, and its compact JSON-ready form for the cache and worker processes.

Worker processes send results back, and the cache (`cache.py`) stores them, as these records:
lists in a fixed field order, no path (the path is added back on load), a fraction of the size
and time of pickling or of full dictionaries (and no `pickle`: a cache file is data).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bastion.findings import Confidence, Diagnostic, EvidenceStep, Finding, Location, Severity


@dataclass(slots=True)
class FileAnalysis:
    """The result of one file: findings, those a comment suppressed, and warnings."""

    findings: list[Finding] = field(default_factory=list)
    suppressed: list[Finding] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    analysed: bool = True
    """False when the file could not be decoded or parsed: its rules did not run."""


def to_record(analysis: FileAnalysis) -> dict[str, Any]:
    """A JSON-ready form of a file's result, without the path (added back on load)."""
    return {
        "f": [_finding_record(f) for f in analysis.findings],
        "s": [_finding_record(f) for f in analysis.suppressed],
        "d": [[d.message, d.location.line if d.location else None] for d in analysis.diagnostics],
        "a": analysis.analysed,
    }


def from_record(record: Mapping[str, Any], path: str) -> FileAnalysis:
    """The inverse of `to_record`, with `path` as every location's path."""
    return FileAnalysis(
        findings=[_finding_from(r, path) for r in record["f"]],
        suppressed=[_finding_from(r, path) for r in record["s"]],
        diagnostics=[Diagnostic(m, Location(path, line)) for m, line in record["d"]],
        analysed=bool(record.get("a", True)),
    )


def _location_record(location: Location | None) -> list[Any] | None:
    if location is None:
        return None
    return [
        location.line,
        location.column,
        location.end_line,
        location.end_column,
        location.snippet,
    ]


def _location_from(record: list[Any] | None, path: str) -> Location | None:
    if record is None:
        return None
    line, column, end_line, end_column, snippet = record
    return Location(path, line, column, end_line, end_column, snippet)


def _finding_record(finding: Finding) -> list[Any]:
    return [
        finding.rule_id,
        finding.title,
        int(finding.severity),
        int(finding.confidence),
        _location_record(finding.location),
        finding.description,
        list(finding.references),
        list(finding.cwe),
        [[_location_record(e.location), e.message] for e in finding.evidence],
        finding.fingerprint,
        finding.extra,
    ]


def _finding_from(record: list[Any], path: str) -> Finding:
    (
        rule_id,
        title,
        severity,
        confidence,
        location,
        description,
        references,
        cwe,
        evidence,
        fingerprint_,
        extra,
    ) = record
    steps = [
        EvidenceStep(_location_from(where, path) or Location(path), message)
        for where, message in evidence
    ]
    return Finding(
        rule_id=rule_id,
        check="scan",
        title=title,
        severity=Severity(severity),
        confidence=Confidence(confidence),
        location=_location_from(location, path),
        description=description,
        references=tuple(references),
        cwe=tuple(cwe),
        evidence=tuple(steps),
        fingerprint=fingerprint_,
        extra=dict(extra),
    )
