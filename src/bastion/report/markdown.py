"""The Markdown report, for pull-request comments and CI job summaries (GitHub-flavoured)."""

from __future__ import annotations

from collections import Counter

from bastion.findings import Finding
from bastion.report import RunResult


def render(result: RunResult, *, color: bool) -> str:
    lines = [f"## bastion {result.command}", ""]
    if not result.findings:
        lines.append("No findings.")
    else:
        counts = Counter(f.severity.label for f in result.findings)
        summary = ", ".join(
            f"{counts[s]:,} {s}"
            for s in ("critical", "high", "medium", "low", "unknown")
            if counts[s]
        )
        verdict = "fails" if result.failed else "passes"
        total = len(result.findings)
        lines += [
            f"**{total:,} finding{'s' if total != 1 else ''}** ({summary}); the run {verdict} "
            f"`--fail-on {result.fail_on_label}`.",
            "",
        ]
    packages = [f for f in result.findings if f.package is not None]
    code = [f for f in result.findings if f.package is None]
    if packages:
        lines += [
            "### Dependencies",
            "",
            "| Package | Version | ID | Severity | Fixed in | Title | Declared at |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        lines += [_package_row(f) for f in packages]
        lines.append("")
    if code:
        lines += [
            "### Code",
            "",
            "| Location | Rule | Severity | Confidence | Issue |",
            "| --- | --- | --- | --- | --- |",
        ]
        lines += [_code_row(f) for f in code]
        lines.append("")
    if result.ignored:
        lines += ["### Ignored by policy", ""]
        lines += [
            f"- `{f.rule_id}`: {_cell(i.reason)}" + (f" (until {i.expires})" if i.expires else "")
            for f, i in result.ignored
        ]
        lines.append("")
    if result.incomplete:
        lines += ["### Incomplete (not everything was read; findings may be missing)", ""]
        lines += [f"- {_cell(item)}" for item in result.incomplete]
        lines.append("")
    if result.errors:
        lines += ["### Errors (these checks did not complete; the report is incomplete)", ""]
        lines += [f"- {_cell(error)}" for error in result.errors]
        lines.append("")
    if result.diagnostics:
        lines += ["### Warnings", ""]
        lines += [f"- {_cell(str(d))}" for d in result.diagnostics]
        lines.append("")
    if result.inputs:
        lines.append(f"<sub>inputs: {_cell(', '.join(result.inputs))}</sub>  ")
    if result.data_status:
        lines += [f"<sub>{_cell(s)}</sub>  " for s in result.data_status]
    return "\n".join(lines).rstrip() + "\n"


def _package_row(finding: Finding) -> str:
    if finding.package is None:
        return _code_row(finding)
    ids = ", ".join(f"`{i}`" for i in finding.ids)
    fixed = ", ".join(finding.fix_versions[:1]) or "no fix"
    if "fix_note" in finding.extra:
        fixed += f" ({_cell(finding.extra['fix_note'])})"
    places = finding.package.declarations
    where = ", ".join(f"`{loc}`" for loc in places[:3])
    if len(places) > 3:
        where += f" and {len(places) - 3} more"
    return (
        f"| {finding.package.name} | {finding.package.version or '-'} | {ids} | "
        f"{finding.severity.label} | {fixed} | {_cell(finding.title)} | {where or '-'} |"
    )


def _code_row(finding: Finding) -> str:
    where = f"`{finding.location}`" if finding.location else "-"
    return (
        f"| {where} | `{finding.rule_id}` | {finding.severity.label} | "
        f"{finding.confidence.label} | {_cell(finding.title)} |"
    )


def _cell(text: str) -> str:
    """Make text safe inside a table cell: one line, no pipes, no raw HTML."""
    flat = " ".join(text.split())
    return flat.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
