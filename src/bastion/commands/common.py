"""What the reporting commands (`check`, `audit`, `scan`) share: options and the run itself."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bastion.checks.base import CheckContext, load_check
from bastion.config import Option, Settings, add_options, find_config, read_tool_table, resolve
from bastion.errors import ExitCode, InputError, NoInputsError
from bastion.findings import Finding, Severity

REPORT_OPTIONS: tuple[Option, ...] = (
    Option(
        "format",
        ("-f", "--format"),
        "output format (default: text)",
        default="text",
        choices=("text", "json", "markdown", "sarif"),
    ),
    Option(
        "output",
        ("-o", "--output"),
        "write the report to FILE instead of standard output",
        metavar="FILE",
    ),
    Option(
        "fail-on",
        ("--fail-on",),
        "exit 1 when a finding is at or above this severity "
        "(default: low; unknown severity counts as low)",
        default="low",
        choices=("low", "medium", "high", "critical"),
    ),
    Option(
        "color",
        ("--color",),
        "colour the text report (default: auto, only on a terminal)",
        default="auto",
        choices=("auto", "always", "never"),
    ),
    Option(
        "allow-partial",
        ("--allow-partial",),
        "go on with a warning when a data source fails (default: fail with exit 3)",
        kind=bool,
        default=False,
    ),
    Option(
        "offline",
        ("--offline",),
        "never touch the network; use local data only",
        kind=bool,
        default=False,
    ),
    Option(
        "ignore",
        ("--ignore",),
        "accept finding ID (any alias): ID:REASON[:YYYY-MM-DD]; repeatable",
        multiple=True,
        metavar="ID:REASON",
    ),
)


def add_report_arguments(parser: argparse.ArgumentParser, options: Sequence[Option]) -> None:
    """The project path, the report options and the command's own options."""
    parser.add_argument(
        "path", nargs="?", default=".", help="project directory or file to check (default: .)"
    )
    add_options(parser, REPORT_OPTIONS)
    add_options(parser, options)


def load_settings(args: argparse.Namespace, options: Sequence[Option]) -> Settings:
    """Resolve flags against `[tool.bastion]` of the project's pyproject.toml."""
    project = Path(args.path)
    if not project.exists():
        raise InputError(f"{args.path}: no such file or directory")
    config_path = find_config(project.resolve())
    table = read_tool_table(config_path) if config_path else {}
    all_options = (*REPORT_OPTIONS, *options)
    values = resolve(args, all_options, table, config_path)
    # `ignore` from the file is a list of tables; from the CLI, ID:REASON strings.
    values["ignore"] = getattr(args, "ignore", None) or []
    return Settings(values=values, table=table, config_path=config_path)


def execute(
    command: str, check_names: Sequence[str], args: argparse.Namespace, options: Sequence[Option]
) -> int:
    """Run `check_names` on the project, apply policy, write the report, return the exit code."""
    from bastion import policy
    from bastion.checks import CHECKS
    from bastion.report import RunResult

    settings = load_settings(args, options)
    ignores = policy.parse_ignores(settings.table.get("ignore"), settings.config_path)
    ignores += [policy.parse_cli_ignore(text) for text in settings["ignore"]]
    ctx = CheckContext(project=Path(args.path), settings=settings)
    findings: list[Finding] = []
    for name in check_names:
        try:
            findings.extend(load_check(CHECKS[name]).run(ctx))
        except NoInputsError as exc:
            if len(check_names) == 1:
                raise
            ctx.warn(f"{name} skipped: {exc}")
    outcome = policy.apply(findings, ignores)
    fail_on = Severity.parse(settings["fail_on"])
    result = RunResult(
        command=command,
        findings=sorted(outcome.active, key=Finding.sort_key),
        ignored=outcome.ignored,
        diagnostics=ctx.diagnostics + outcome.diagnostics,
        data_status=ctx.data_status,
        inputs=ctx.inputs,
        checks=list(check_names),
        stats=ctx.stats,
        fail_on=fail_on,
        failed=policy.fails(outcome.active, fail_on),
    )
    write_report(settings, result)
    return ExitCode.FINDINGS if result.failed else ExitCode.OK


def write_report(settings: Settings, result: object) -> None:
    """Render and write the report atomically to --output, or to standard output."""
    from bastion.fsutil import write_atomic
    from bastion.report import RunResult, render

    assert isinstance(result, RunResult)
    output = settings.get("output")
    color = _use_color(settings["color"], to_terminal=output is None)
    text = render(settings["format"], result, color=color)
    if output:
        write_atomic(output, text)
    else:
        sys.stdout.write(text)
        if text and not text.endswith("\n"):
            sys.stdout.write("\n")


def _use_color(choice: str, *, to_terminal: bool) -> bool:
    if choice == "always":
        return True
    if choice == "never" or not to_terminal or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()
