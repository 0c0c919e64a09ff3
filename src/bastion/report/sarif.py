"""The SARIF 2.1.0 report, shaped for GitHub code scanning.

One run; one rule per rule ID (a code rule, or an advisory for dependency findings) with its
help text; results with physical locations relative to the project (`%SRCROOT%`), a stable
`partialFingerprints` entry, `security-severity` for GitHub's severity ranking, and code
flows for taint paths. Tests validate the output against the official OASIS schema.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from bastion import __version__
from bastion.findings import Finding, Location, Severity
from bastion.report import RunResult

if TYPE_CHECKING:
    from bastion.ruledoc import RuleDoc

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/bastion-security/bastion"

_LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.UNKNOWN: "warning",
}
# GitHub ranks alerts by `security-severity` (a CVSS-like score as a string).
_SECURITY_SEVERITY = {
    Severity.CRITICAL: 9.5,
    Severity.HIGH: 8.0,
    Severity.MEDIUM: 5.5,
    Severity.LOW: 2.0,
    Severity.UNKNOWN: 5.0,
}


def render(result: RunResult, *, color: bool) -> str:
    return render_bytes(result, color=color).decode("utf-8")


def render_bytes(result: RunResult, *, color: bool) -> bytes:
    return b"".join(render_chunks(result, color=color))


def render_chunks(result: RunResult, *, color: bool) -> Iterator[bytes]:
    """The log in pieces, the results a batch at a time (see `json_format.stream`)."""
    from bastion.report.json_format import stream

    data, index = _document(result, results=False)
    return stream(
        data,
        ["runs", 0, "results"],
        result.findings,
        lambda finding: _result(finding, index[finding.rule_id]),
    )


def document(result: RunResult) -> dict[str, Any]:
    return _document(result, results=True)[0]


def _document(result: RunResult, *, results: bool) -> tuple[dict[str, Any], dict[str, int]]:
    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for finding in result.findings:
        if finding.rule_id not in index:
            index[finding.rule_id] = len(rules)
            rules.append(_rule(finding))
    listed = [_result(f, index[f.rule_id]) for f in result.findings] if results else []
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "bastion",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }
        },
        "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().as_uri() + "/"}},
        "results": listed,
        "invocations": [
            {
                "executionSuccessful": not result.errors and not result.incomplete,
                "toolExecutionNotifications": [
                    *({"level": "error", "message": {"text": e}} for e in result.errors),
                    *({"level": "error", "message": {"text": e}} for e in result.incomplete),
                    *(
                        {"level": "warning", "message": {"text": str(d)}}
                        for d in result.diagnostics
                    ),
                ],
            }
        ],
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}, index


def _rule(finding: Finding) -> dict[str, Any]:
    doc = _rule_doc(finding.check, finding.rule_id)
    summary = doc[0] if doc else finding.title
    help_markdown = doc[1] if doc else _advisory_help(finding)
    # GitHub code scanning reads CWEs as `external/cwe/cwe-078`; people read `CWE-78`.
    tags = ["security", *finding.cwe, *(_github_cwe(c) for c in finding.cwe)]
    if finding.check == "audit":
        tags.append("dependency")
    rule: dict[str, Any] = {
        "id": finding.rule_id,
        "shortDescription": {"text": _one_line(summary)},
        "fullDescription": {"text": _one_line(finding.description or summary)[:1000]},
        "help": {"text": help_markdown, "markdown": help_markdown},
        "defaultConfiguration": {"level": _LEVEL[finding.severity]},
        "properties": {
            "tags": tags,
            "precision": {3: "high", 2: "medium", 1: "low"}[int(finding.confidence)],
            "security-severity": f"{_score(finding):.1f}",
        },
    }
    if doc and doc[2]:
        rule["name"] = doc[2]
    if finding.references:
        rule["helpUri"] = finding.references[0]
    return rule


def _rule_doc(check: str, rule_id: str) -> tuple[str, str, str] | None:
    """(summary, help markdown, name) of a check's rule, from the check's own rules."""
    rule = _rules_of(check).get(rule_id)
    if rule is None:
        return None
    return rule.summary, rule.doc.strip() or rule.summary, rule.name


_RULES: dict[str, dict[str, RuleDoc]] = {}


def _rules_of(check: str) -> dict[str, RuleDoc]:
    """Every documented rule of a registered check, by ID (loaded once per check)."""
    if check not in _RULES:
        from bastion.checks import CHECKS
        from bastion.checks.base import load_check

        rules = load_check(check).rules() if check in CHECKS else []
        _RULES[check] = {rule.id: rule for rule in rules}
    return _RULES[check]


def _advisory_help(finding: Finding) -> str:
    parts = [f"**{finding.title}**"]
    if finding.aliases:
        parts.append("Also known as: " + ", ".join(finding.aliases))
    if finding.fix:
        parts.append(f"Fix: {finding.fix}")
    if finding.references:
        parts.append("References:\n" + "\n".join(f"- {r}" for r in finding.references[:10]))
    return "\n\n".join(parts)


def _result(finding: Finding, rule_index: int) -> dict[str, Any]:
    message = finding.title
    if finding.package is not None:
        message = f"{finding.package.name} {finding.package.version or ''}: {finding.title}"
        if finding.package.via:
            message += f" (pulled in via {' -> '.join(finding.package.via)})"
        if finding.fix:
            message += f" ({finding.fix})"
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": _LEVEL[finding.severity],
        "message": {"text": message},
        "locations": [_location(finding.location or _fallback_location(finding))],
        "properties": {"severity": finding.severity.label, "confidence": finding.confidence.label},
    }
    if finding.fingerprint:
        result["partialFingerprints"] = {"bastionFingerprint/v1": finding.fingerprint}
    if finding.package is not None and finding.package.also_declared_at:
        # One result per vulnerability of a package version, at its first declaration; the
        # other files that pin the same version are related locations. One result per file
        # would show GitHub the same alert several times under one fingerprint.
        result["relatedLocations"] = [
            {"id": index, **_location(loc, message="also pinned here")}
            for index, loc in enumerate(finding.package.also_declared_at, 1)
        ]
    if finding.evidence:
        result["codeFlows"] = [
            {
                "threadFlows": [
                    {
                        "locations": [
                            {"location": _location(step.location, message=step.message)}
                            for step in finding.evidence
                        ]
                    }
                ]
            }
        ]
    return result


def _fallback_location(finding: Finding) -> Location:
    declared = finding.package.declared_at if finding.package else None
    return declared or Location(path="pyproject.toml")


def _location(location: Location, message: str | None = None) -> dict[str, Any]:
    uri = _uri(location.path)
    artifact = {"uri": uri} if uri.startswith("file:") else {"uri": uri, "uriBaseId": "%SRCROOT%"}
    physical: dict[str, Any] = {"artifactLocation": artifact}
    if location.line:
        region: dict[str, Any] = {"startLine": location.line}
        if location.column:
            region["startColumn"] = location.column
        if location.end_line:
            region["endLine"] = location.end_line
        if location.end_column and location.end_line:
            region["endColumn"] = location.end_column
        if location.snippet:
            region["snippet"] = {"text": location.snippet}
        physical["region"] = region
    out: dict[str, Any] = {"physicalLocation": physical}
    if message:
        out["message"] = {"text": message}
    return out


def _uri(path: str) -> str:
    """A relative, forward-slash, percent-encoded URI for `path` (relative to the cwd)."""
    candidate = Path(path)
    if candidate.is_absolute():
        try:
            candidate = candidate.relative_to(Path.cwd())
        except ValueError:
            return candidate.as_uri()
    posix = PurePosixPath(*candidate.parts) if os.sep != "/" else PurePosixPath(candidate)
    return quote(str(posix))


def _score(finding: Finding) -> float:
    return (
        finding.cvss_score
        if finding.cvss_score is not None
        else (_SECURITY_SEVERITY[finding.severity])
    )


def _github_cwe(cwe: str) -> str:
    """`CWE-78` as GitHub's tag `external/cwe/cwe-078` (at least three digits)."""
    number = cwe.partition("-")[2]
    return f"external/cwe/cwe-{number.zfill(3)}" if number.isdigit() else cwe.lower()


def _one_line(text: str) -> str:
    return " ".join(text.split()) or "-"
