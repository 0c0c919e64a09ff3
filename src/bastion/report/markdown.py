"""The Markdown report, for pull-request comments and CI job summaries (GitHub-flavoured).

A GitHub comment holds at most 65,536 characters: rows are listed worst first, and when the
tables would pass `BUDGET` the rest is left out, with a line saying how many findings more the
full report (`--format json`, `sarif`) has.
"""

from __future__ import annotations

from collections import Counter

from bastion.findings import Finding
from bastion.report import RunResult

#: Characters for the finding tables: the rest of a comment (summary, warnings) fits below
#: GitHub's limit of 65,536 with room to spare.
BUDGET = 50_000


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
    worst_first = sorted(result.findings, key=lambda f: -int(f.severity))
    budget = [BUDGET]
    packages = [f for f in worst_first if f.package is not None]
    code = [f for f in worst_first if f.package is None]
    shown = 0
    if packages:
        rows = _rows([_package_row(f) for f in packages], budget)
        shown += len(rows)
        lines += [
            "### Dependencies",
            "",
            "| Package | Version | ID | Severity | Fixed in | Title | Declared at |",
            "| --- | --- | --- | --- | --- | --- | --- |",
            *rows,
            "",
        ]
    if code:
        rows = _rows([_code_row(f) for f in code], budget)
        shown += len(rows)
        lines += [
            "### Code",
            "",
            "| Location | Rule | Severity | Confidence | Issue |",
            "| --- | --- | --- | --- | --- |",
            *rows,
            "",
        ]
    if shown < len(result.findings):
        more = len(result.findings) - shown
        lines += [
            f"*… and {more:,} more finding{'s' if more != 1 else ''} (less severe), left out to "
            "fit a comment: the full report (`--format json` or `sarif`) has them all.*",
            "",
        ]
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


def _rows(rows: list[str], budget: list[int]) -> list[str]:
    """The rows that fit in what is left of `budget` (one shared, mutable count)."""
    kept: list[str] = []
    for row in rows:
        if len(row) + 1 > budget[0]:
            break
        budget[0] -= len(row) + 1
        kept.append(row)
    return kept


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
    if finding.package.via:
        where += f" (via {' → '.join(finding.package.via)})"
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
