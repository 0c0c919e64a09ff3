"""The text report, for people: grouped, ranked, every ID shown, colour only on a terminal.

Dependency findings are grouped by package (with the one upgrade that fixes them all), code
findings by file. The worst comes first within each group. Without findings or warnings the
report is what it read and used (dim) and one summary line, so CI logs stay quiet. Checks
that failed under `bastion check` are listed, and the summary says they were not checked.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable

from bastion.findings import Finding, Location, Severity
from bastion.report import RunResult

_COLORS = {
    Severity.CRITICAL: "\033[1;35m",
    Severity.HIGH: "\033[1;31m",
    Severity.MEDIUM: "\033[33m",
    Severity.LOW: "\033[36m",
    Severity.UNKNOWN: "\033[37m",
}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


class _Style:
    def __init__(self, color: bool) -> None:
        self.color = color
        # Built once, not per finding: a report labels thousands of them.
        labels = {s: s.label.upper().ljust(8) for s in Severity}
        if color:
            labels = {s: f"{_COLORS[s]}{label}{_RESET}" for s, label in labels.items()}
        self._labels = labels

    def severity(self, severity: Severity) -> str:
        return self._labels[severity]

    def bold(self, text: str) -> str:
        return f"{_BOLD}{text}{_RESET}" if self.color else text

    def dim(self, text: str) -> str:
        return f"{_DIM}{text}{_RESET}" if self.color else text


def render(result: RunResult, *, color: bool) -> str:
    style = _Style(color)
    lines: list[str] = []
    packages = [f for f in result.findings if f.package is not None]
    code = [f for f in result.findings if f.package is None]
    if packages:
        lines += _package_section(packages, style)
    if code:
        lines += _code_section(code, style)
    if result.ignored:
        lines.append(style.bold(f"Ignored by policy ({len(result.ignored)}):"))
        for finding, ignore in result.ignored:
            where = _subject(finding)
            until = f", until {ignore.expires}" if ignore.expires else ""
            lines.append(f"  {finding.rule_id} {where}: {ignore.reason}{until}")
        lines.append("")
    if result.diagnostics:
        lines.append(style.bold(f"Warnings ({len(result.diagnostics)}):"))
        lines += [f"  {d}" for d in result.diagnostics]
        lines.append("")
    if result.incomplete:
        heading = "not everything was read, so findings may be missing (exit 3)"
        lines.append(style.bold(f"Incomplete ({len(result.incomplete)}): {heading}:"))
        lines += [f"  {item}" for item in result.incomplete]
        lines += ["  (--allow-partial accepts partial results)", ""]
    if result.errors:
        heading = "these checks did not finish, so their findings are missing"
        lines.append(style.bold(f"Errors ({len(result.errors)}): {heading}:"))
        lines += [f"  {error}" for error in result.errors]
        lines.append("")
    if result.advice:
        lines.append(style.bold("Advice:"))
        lines += [f"  {item}" for item in result.advice]
        lines.append("")
    if result.inputs:
        lines.append(style.dim(f"inputs: {', '.join(result.inputs)}"))
    lines += [style.dim(status) for status in result.data_status]
    lines.append(_summary_line(result))
    return "\n".join(lines) + "\n"


def _package_section(findings: list[Finding], style: _Style) -> list[str]:
    """Findings by package; by project first when they come from several (a monorepo read
    with `--recursive`: a project is the folder of the input that declares the package)."""
    paths = {
        f.package.declared_at.path if f.package and f.package.declared_at else "" for f in findings
    }
    folders = {path: os.path.dirname(path) for path in paths}
    if len(set(folders.values())) == 1:
        return _packages(findings, style)
    by_project: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        declared = finding.package.declared_at if finding.package else None
        by_project[folders[declared.path if declared else ""]].append(finding)
    lines: list[str] = []
    for project in sorted(by_project):
        group = by_project[project]
        count = f"{len(group)} finding{'s' if len(group) != 1 else ''}"
        lines += [style.bold(f"== project {project or '.'}: {count}"), ""]
        lines += _packages(group, style)
    return lines


def _packages(findings: list[Finding], style: _Style) -> list[str]:
    by_package: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.package is not None:
            by_package[(finding.package.name, finding.package.version or "")].append(finding)
    lines: list[str] = []
    for (name, version), group in sorted(by_package.items(), key=_worst_first):
        group.sort(key=lambda f: (-int(f.severity), f.rule_id))
        package = group[0].package
        if package is None or package.declared_at is None:
            where = ""
        elif not package.also_declared_at:
            where = f"  ({package.declared_at})"
        else:
            where = f"  ({_places(package.declarations)})"
        if package is not None and package.via:
            where += f" via {' -> '.join(package.via)}"
        count = f"{len(group)} finding{'s' if len(group) != 1 else ''}"
        lines.append(f"{style.bold(f'{name} {version}'.strip())}{where}: {count}")
        fixes = {f.fix for f in group if f.fix}
        if len(fixes) == 1:
            lines.append(f"  fix: {fixes.pop()}")
        for finding in group:
            fixed = (
                f"  (fixed in {finding.fix_versions[0]})"
                if finding.fix_versions
                else ("  (no fix yet)" if finding.check == "audit" else "")
            )
            if "fix_note" in finding.extra:
                # The note, short: the package's fix line above names the version for all.
                fixed = (
                    f"  (fixed in {finding.fix_versions[0]}, itself affected by another "
                    f"advisory: upgrade to {finding.extra.get('upgrade', '?')})"
                )
            lines.append(
                f"  {style.severity(finding.severity)} {finding.rule_id}  {finding.title}{fixed}"
            )
            if finding.aliases:
                lines.append(f"           {style.dim('also: ' + ', '.join(finding.aliases))}")
        lines.append("")
    return lines


def _places(locations: tuple[Location, ...], shown: int = 3) -> str:
    """`a.txt:3, b.txt:5 and 4 more places`."""
    text = ", ".join(str(loc) for loc in locations[:shown])
    more = len(locations) - shown
    return f"{text} and {more} more place{'s' if more != 1 else ''}" if more > 0 else text


def _code_section(findings: list[Finding], style: _Style) -> list[str]:
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_path[finding.location.path if finding.location else "(project)"].append(finding)
    lines: list[str] = []
    for path in sorted(by_path):
        lines.append(style.bold(path))
        for finding in sorted(by_path[path], key=Finding.sort_key):
            loc = finding.location
            position = f"{loc.line}:{loc.column or 1}" if loc and loc.line else "-"
            lines.append(
                f"  {position:>8}  {style.severity(finding.severity)} {finding.rule_id}  "
                f"{finding.title}  {style.dim('[confidence: ' + finding.confidence.label + ']')}"
            )
            if "context" in finding.extra:
                lines += [
                    f"         {style.dim(row)}" for row in finding.extra["context"].splitlines()
                ]
            elif loc and loc.snippet:
                lines.append(f"            {style.dim(loc.snippet)}")
            for step in finding.evidence:
                step_text = f"↳ line {step.location.line}: {step.message}"
                lines.append(f"            {style.dim(step_text)}")
        lines.append("")
    return lines


def _worst_first(item: tuple[tuple[str, str], list[Finding]]) -> tuple[int, str]:
    (name, _version), group = item
    return (-max(int(f.severity) for f in group), name)


def _subject(finding: Finding) -> str:
    if finding.package:
        return f"{finding.package.name} {finding.package.version or ''}".strip()
    return str(finding.location) if finding.location else ""


#: Counted things in the summary line, with their singular (other stats are just numbers).
_NOUNS = {"dependencies": "dependency", "files": "file"}


def _summary_line(result: RunResult) -> str:
    counted = [(key, value) for key, value in result.stats.items() if key in _NOUNS]
    others = [(key, value) for key, value in result.stats.items() if key not in _NOUNS]
    scanned = ", ".join(_count(value, _NOUNS[key], key) for key, value in counted)
    scanned = f" in {scanned}" if scanned else ""
    notes = ", ".join(f"{value:,} {key}" for key, value in others)
    failed = ""
    if result.errors:
        names = ", ".join(error.split(":", 1)[0] for error in result.errors)
        failed = f"; NOT CHECKED: {names} failed (see the errors above)"
    if result.incomplete:
        failed += "; INCOMPLETE (see above)"
    if not result.findings:
        return f"No findings{scanned}{f' ({notes})' if notes else ''}{failed}."
    counts = _severity_counts(result.findings)
    if result.never_fails:
        verdict = "findings do not fail this run (--fail-on none or --exit-zero)"
    elif result.failed:
        verdict = f"fails --fail-on {result.fail_on.label}"
    else:
        verdict = f"nothing at or above --fail-on {result.fail_on.label}"
    total = _count(len(result.findings), "finding", "findings")
    notes = f", {notes}" if notes else ""
    return f"{total}{scanned} ({counts}{notes}); {verdict}{failed}."


def _count(value: int, singular: str, plural: str) -> str:
    return f"{value:,} {singular if value == 1 else plural}"


def _severity_counts(findings: Iterable[Finding]) -> str:
    counts: dict[Severity, int] = defaultdict(int)
    for finding in findings:
        counts[finding.severity] += 1
    return ", ".join(f"{counts[s]:,} {s.label}" for s in sorted(counts, reverse=True))
