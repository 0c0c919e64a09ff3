"""The `scan` check: static analysis of the project's own code (see `bastion.code`)."""

from __future__ import annotations

from collections.abc import Iterable

from bastion.checks.base import CheckContext
from bastion.findings import Finding


class CodeCheck:
    """Scan `ctx.project` with the `security` rules; write a baseline when asked."""

    name = "scan"

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
        status = (
            f"scan: {stats.files} file{'s' if stats.files != 1 else ''}"
            f" ({stats.cached} unchanged since the last scan, {stats.analysed} analysed"
            f"{f' by {stats.jobs} processes' if stats.jobs > 1 else ''})"
        )
        if stats.suppressed:
            status += f", {stats.suppressed} suppressed by comments"
        if stats.baselined:
            status += f", {stats.baselined} in the baseline"
        if stats.below_threshold:
            status += f", {stats.below_threshold} below the thresholds"
        ctx.data_status.append(status)
        if settings.sources:
            ctx.data_status.append(f"scan: bandit settings read from {', '.join(settings.sources)}")
        if settings.write_baseline is not None:
            findings = [finding for finding, _ in result.unbaselined]
            relpaths = [relpath for _, relpath in result.unbaselined]
            count = write_baseline(settings.write_baseline, findings, relpaths)
            ctx.warn(
                f"wrote a baseline of {count} finding{'s' if count != 1 else ''} "
                f"to {settings.write_baseline}"
            )
        return result.findings


CHECK = CodeCheck()
