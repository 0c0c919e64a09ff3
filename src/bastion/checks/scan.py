"""The `scan` check (`bastion scan`, part of `bastion check`): the project's own code."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from bastion.checks.base import CheckContext
from bastion.config import Option
from bastion.findings import Finding

if TYPE_CHECKING:
    from bastion.ruledoc import RuleDoc

# Defaults are None so that a bandit configuration can fill in what neither a flag nor
# [tool.bastion.scan] gives (see bastion.code.settings); the help text states the default.
OPTIONS: tuple[Option, ...] = (
    Option(
        "include",
        ("--include",),
        "scan files whose name matches GLOB (repeatable; default: *.py, *.pyw)",
        multiple=True,
        section="scan",
        metavar="GLOB",
    ),
    Option(
        "exclude",
        ("--exclude",),
        "skip paths matching GLOB, relative to the project (repeatable)",
        multiple=True,
        section="scan",
        metavar="GLOB",
    ),
    Option(
        "select",
        ("--select",),
        "run only these rules (comma-separated IDs, repeatable)",
        multiple=True,
        section="scan",
        metavar="IDS",
    ),
    Option(
        "skip",
        ("--skip",),
        "do not run these rules (comma-separated IDs, repeatable)",
        multiple=True,
        section="scan",
        metavar="IDS",
    ),
    Option(
        "severity-threshold",
        ("--severity-threshold",),
        "report only findings of at least this severity (default: low)",
        choices=("low", "medium", "high"),
        section="scan",
    ),
    Option(
        "confidence-threshold",
        ("--confidence-threshold",),
        "report only findings of at least this confidence (default: low)",
        choices=("low", "medium", "high"),
        section="scan",
    ),
    Option(
        "baseline",
        ("--baseline",),
        "report only findings not in this baseline (from --write-baseline, or a bandit "
        "JSON report)",
        section="scan",
        metavar="FILE",
    ),
    Option(
        "write-baseline",
        ("--write-baseline",),
        "write the findings to FILE as a baseline for later runs",
        section="scan",
        metavar="FILE",
    ),
    Option(
        "jobs",
        ("--jobs", "-j"),
        "analyse with N processes (default: all cores, one for small projects)",
        kind=int,
        section="scan",
        metavar="N",
    ),
    Option(
        "context",
        ("-n", "--context"),
        "show N lines of code around each finding in the text report (as bandit's -n)",
        kind=int,
        section="scan",
        metavar="N",
    ),
    Option(
        "cache",
        ("--cache",),
        "reuse results for unchanged files (default: on; --no-cache to analyse everything)",
        kind=bool,
        section="scan",
    ),
)


class ScanCheck:
    """Scan `ctx.project` with the `security` rules; write a baseline when asked."""

    name = "scan"
    summary = "find dangerous code in the project, and whether untrusted data reaches it"
    options = OPTIONS

    def run(self, ctx: CheckContext) -> Iterable[Finding]:
        from bastion.code.baseline import write_baseline
        from bastion.code.runner import run_scan
        from bastion.code.settings import project_root, scan_settings

        root = project_root(ctx.project, ctx.settings)
        settings = scan_settings(ctx.settings, ctx.project, root)
        result = run_scan(ctx.project, settings, root)
        ctx.diagnostics.extend(result.diagnostics)
        stats = result.stats
        ctx.stats["files"] = ctx.stats.get("files", 0) + stats.files
        for key, value in (("suppressed", stats.suppressed), ("baselined", stats.baselined)):
            if value:
                ctx.stats[key] = ctx.stats.get(key, 0) + value
        missing = stats.unreadable + stats.unparsed
        analysed = max(stats.cached + stats.analysed - stats.unparsed, 0)
        status = (
            f"scan: {stats.files} file{'s' if stats.files != 1 else ''}"
            f" ({analysed} analysed"
            f"{f' by {stats.jobs} processes' if stats.jobs > 1 else ''}, {stats.cached} of them "
            f"from the cache of earlier scans{f', {missing} not analysed' if missing else ''})"
        )
        if stats.suppressed:
            status += f", {stats.suppressed} suppressed by comments"
        if stats.baselined:
            status += f", {stats.baselined} in the baseline"
        if stats.below_threshold:
            status += f", {stats.below_threshold} below the thresholds"
        ctx.data_status.append(status)
        if not stats.files:
            ctx.nothing.append(self.name)
        if missing:
            reasons = []
            if stats.unreadable:
                reasons.append(f"{stats.unreadable} could not be read")
            if stats.unparsed:
                reasons.append(f"{stats.unparsed} did not parse")
            ctx.partial(
                f"scan: {missing} file{'s' if missing != 1 else ''} not analysed "
                f"({', '.join(reasons)}; each is named in the warnings)"
            )
        if settings.sources:
            ctx.data_status.append(f"scan: bandit settings read from {', '.join(settings.sources)}")
        if settings.write_baseline is not None:
            findings = [finding for finding, _ in result.unbaselined]
            relpaths = [relpath for _, relpath in result.unbaselined]
            count = write_baseline(settings.write_baseline, findings, relpaths)
            ctx.warn(
                f"wrote a baseline of {count} finding{'s' if count != 1 else ''} "
                f"to {settings.write_baseline}; later runs with --baseline report only new ones"
            )
            if count:
                ctx.stats["baselined"] = ctx.stats.get("baselined", 0) + count
            return []  # what was just written to the baseline is accepted, as it will be
        context = ctx.settings.get("scan_context", 0) or 0
        if context > 0:
            add_context(result.findings, context)
        return result.findings

    def rules(self) -> list[RuleDoc]:
        from bastion.code.rule import load_rules

        return [spec.ruledoc() for spec in load_rules().values()]

    def explain(self, rule_id: str) -> str | None:
        from bastion.code.explain import find_rule
        from bastion.ruledoc import render

        spec = find_rule(rule_id)
        return render(spec.ruledoc()) if spec is not None else None


def add_context(findings: list[Finding], around: int) -> None:
    """Put the `around` lines before and after each finding's line in `extra["context"]`,
    numbered as bandit's `-n` shows them (each file read once)."""
    texts: dict[str, list[str]] = {}
    for finding in findings:
        where = finding.location
        if where is None or where.line is None:
            continue
        if where.path not in texts:
            try:
                data = Path(where.path).read_bytes()
                texts[where.path] = data.decode("utf-8", errors="replace").splitlines()
            except OSError:
                texts[where.path] = []
        lines = texts[where.path]
        first, last = max(1, where.line - around), min(len(lines), where.line + around)
        shown = [f"{n:>5} {lines[n - 1]}" for n in range(first, last + 1)]
        if shown:
            finding.extra["context"] = "\n".join(shown)


CHECK = ScanCheck()
