"""What the reporting commands (`check`, `audit`, `scan`) share: options and the run itself."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bastion.checks.base import CheckContext, check_options, load_check
from bastion.config import (
    Option,
    Settings,
    add_options,
    find_config,
    read_tool_table,
    resolve,
    unknown_keys,
)
from bastion.errors import BastionError, ExitCode, InputError, NoInputsError
from bastion.findings import Finding, Severity
from bastion.report import FORMATS

if TYPE_CHECKING:
    from bastion.report import RunResult

REPORT_OPTIONS: tuple[Option, ...] = (
    Option(
        "format",
        ("-f", "--format"),
        "output format (default: text)",
        default="text",
        choices=tuple(FORMATS),
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
        "(default: low; unknown severity counts as low; none: never)",
        default="low",
        choices=("low", "medium", "high", "critical", "none"),
    ),
    Option(
        "exit-zero",
        ("--exit-zero",),
        "exit 0 whatever is found (as bandit's --exit-zero; bad input and failed data "
        "sources still exit 2 and 3)",
        kind=bool,
        default=False,
    ),
    Option(
        "strict",
        ("--strict",),
        "treat a dependency that cannot be audited exactly (unpinned, not PEP 440) like a "
        "failed data source: exit 3 (as pip-audit's --strict)",
        kind=bool,
        default=False,
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
        ("--ignore", "--ignore-vuln"),
        "accept finding ID (any alias): ID[:REASON[:YYYY-MM-DD]], a reason asked for; repeatable",
        multiple=True,
        metavar="ID:REASON",
        # In [tool.bastion] this key is a list of tables (id, reason, expires): policy.py
        # reads it, so `resolve` must not check it as a list of ID:REASON strings.
        in_config=False,
    ),
)

#: `bastion check --checks audit,scan`: which of the registered checks to run.
CHOOSE_CHECKS = Option(
    "checks",
    ("--checks",),
    "run only these checks (comma-separated, repeatable: audit, verify, scan; default: all)",
    multiple=True,
    metavar="NAMES",
)

#: How bad each exit code is, for `bastion check` (which runs every check and exits with the
#: worst outcome): bad input needs the user to act, a failed data source may pass on a retry.
_EXIT_RANK = {
    ExitCode.OK: 0,
    ExitCode.FINDINGS: 1,
    ExitCode.SOURCE_FAILED: 2,
    ExitCode.BAD_INPUT: 3,
}


def add_report_arguments(parser: argparse.ArgumentParser, check_names: Sequence[str]) -> None:
    """The project path, the report options and the options of the checks the command runs."""
    parser.add_argument(
        "path", nargs="?", default=".", help="project directory or file to check (default: .)"
    )
    add_options(parser, REPORT_OPTIONS)
    add_options(parser, check_options(check_names))


def load_settings(args: argparse.Namespace, options: Sequence[Option]) -> Settings:
    """Resolve flags against `[tool.bastion]` of the project's pyproject.toml."""
    project = Path(args.path)
    if not project.exists():
        raise InputError(f"{args.path}: no such file or directory")
    config_path = _shown(find_config(project.resolve()))
    table = read_tool_table(config_path) if config_path else {}
    all_options = (*REPORT_OPTIONS, *options)
    values = resolve(args, all_options, table, config_path)
    if getattr(args, "format", None) is None and "format" not in table and values.get("output"):
        values["format"] = format_of(str(values["output"]), values["format"])
    # `ignore` from the file is a list of tables; from the CLI, ID:REASON strings.
    values["ignore"] = getattr(args, "ignore", None) or []
    return Settings(values=values, table=table, config_path=config_path)


#: The format a report file's name asks for when `--format` is not given (`-o out.sarif`).
_SUFFIX_FORMATS = (
    (".sarif.json", "sarif"),
    (".sarif", "sarif"),
    (".json", "json"),
    (".md", "markdown"),
    (".markdown", "markdown"),
    (".txt", "text"),
)


def format_of(output: str, default: str) -> str:
    """The format `-o FILE`'s extension names, among the registered ones, else `default`."""
    name = output.lower()
    for suffix, fmt in _SUFFIX_FORMATS:
        if name.endswith(suffix) and fmt in FORMATS:
            return fmt
    return default


def _shown(path: Path | None) -> Path | None:
    """`path` relative to the current directory when it is below it (messages stay short)."""
    if path is None:
        return None
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def execute(
    command: str, check_names: Sequence[str], args: argparse.Namespace, *, choose: bool = False
) -> int:
    """Run `check_names` on the project, apply policy, write the report, return the exit code.

    With one check (`audit`, `scan`) its errors end the run: nothing is written and the CLI
    prints the one-line error. With several (`check`), every check runs: one that finds no
    inputs is skipped with a warning, one that fails is reported (on stderr and in the
    report) and the others still run; the exit code is the worst outcome (`_EXIT_RANK`).
    """
    from bastion import policy
    from bastion.report import RunResult

    extra = (CHOOSE_CHECKS,) if choose else ()
    settings = load_settings(args, (*check_options(check_names), *extra))
    if choose and settings.get("checks"):
        check_names = chosen_checks(settings["checks"], check_names)
    output = settings.get("output")
    if output:
        from bastion.fsutil import is_one_of

        if is_one_of(Path(output), named_inputs(settings)):  # before any work is done
            raise InputError("is one of this run's inputs; not overwritten", output)
    ignores = policy.parse_ignores(settings.table.get("ignore"), settings.config_path)
    cli_ignores = [policy.parse_cli_ignore(text) for text in settings["ignore"]]
    ignores += cli_ignores
    ctx = CheckContext(project=Path(args.path), settings=settings, command=command)
    if settings.table and settings.config_path is not None:
        ctx.diagnostics.extend(unknown_keys(settings.table, _known_keys(), settings.config_path))
    for ignore in cli_ignores:
        if ignore.reason == policy.NO_REASON:
            ctx.warn(
                f"--ignore {ignore.id} gives no reason; write {ignore.id}:REASON so that the "
                "next reader knows why it is accepted"
            )
    findings: list[Finding] = []
    errors: list[tuple[str, BastionError]] = []
    skipped: list[str] = []
    skip_reasons: dict[str, list[str]] = {}
    for name in check_names:
        try:
            findings.extend(list(load_check(name).run(ctx)))
        except NoInputsError as exc:
            if len(check_names) == 1:
                raise
            skipped.append(name)
            skip_reasons.setdefault(str(exc), []).append(name)
        except BastionError as exc:
            if len(check_names) == 1 or getattr(args, "debug", False):
                raise
            errors.append((name, exc))
    # Checks that failed on the same input say so once ("audit, verify: ...").
    for reason, names in skip_reasons.items():
        ctx.warn(f"{', '.join(names)} skipped: {reason}")
    merged: dict[str, list[str]] = {}
    for name, error in errors:
        merged.setdefault(str(error), []).append(name)
    for message, names in merged.items():
        _print_error(f"{', '.join(names)}: {message}")
    if len(check_names) > 1 and set(skipped) | set(ctx.nothing) >= set(check_names):
        raise InputError(
            "no Python project found here: no dependency inputs and no Python files; name "
            "what to check (-r FILE, --lock FILE, --python PATH, or a folder with code)",
            args.path,
        )
    outcome = policy.apply(findings, ignores)
    never_fail = settings["fail_on"] == "none" or bool(settings.get("exit_zero", False))
    fail_on = Severity.CRITICAL if never_fail else Severity.parse(settings["fail_on"])
    result = RunResult(
        command=command,
        findings=sorted(outcome.active, key=Finding.sort_key),
        ignored=outcome.ignored,
        diagnostics=ctx.diagnostics + outcome.diagnostics,
        data_status=ctx.data_status,
        advice=ctx.advice,
        audited=ctx.audited,
        inputs=ctx.inputs,
        checks=list(check_names),
        stats=ctx.stats,
        fail_on=fail_on,
        failed=not never_fail and policy.fails(_failing(outcome.active, settings), fail_on),
        never_fails=never_fail,
        errors=[f"{', '.join(names)}: {message}" for message, names in merged.items()],
        incomplete=ctx.incomplete,
    )
    write_report(settings, result)
    codes = [ExitCode.FINDINGS if result.failed else ExitCode.OK]
    codes += [exc.exit_code for _name, exc in errors]
    if result.incomplete:
        codes.append(ExitCode.SOURCE_FAILED)
    return max(codes, key=lambda code: _EXIT_RANK.get(code, len(_EXIT_RANK)))


def chosen_checks(values: Sequence[str], available: Sequence[str]) -> list[str]:
    """The checks `--checks` names (comma-separated, repeatable), in the registry's order."""
    named = {part.strip().lower() for value in values for part in str(value).split(",")}
    named.discard("")
    unknown = sorted(named - set(available))
    if unknown:
        raise InputError(
            f"--checks: no check named {', '.join(unknown)}; the checks are {', '.join(available)}"
        )
    return [name for name in available if name in named]


def _print_error(message: str) -> None:
    from bastion.redact import redact

    print(f"bastion: error: {redact(message)}", file=sys.stderr)


def _known_keys() -> frozenset[str]:
    """Every key the `[tool.bastion]` table itself may hold: the report options, those of every
    registered check, and the advisory database's (sub-tables such as `scan` are their
    checks' business)."""
    from bastion.advisories.options import UPDATE_OPTIONS
    from bastion.checks import CHECKS

    options = (*REPORT_OPTIONS, *check_options(CHECKS), *UPDATE_OPTIONS)
    return frozenset({"ignore", CHOOSE_CHECKS.key, *(o.section or o.key for o in options)})


def write_report(settings: Settings, result: RunResult) -> None:
    """Render and write the report atomically to --output, or to standard output."""
    from bastion.fsutil import write_output
    from bastion.redact import redact_bytes
    from bastion.report import render_chunks

    output = settings.get("output")
    color = _use_color(settings["color"], to_terminal=output is None)
    # Redacted piece by piece: a piece is a whole report or whole JSON values, so no URL
    # is ever cut between two of them.
    chunks = (redact_bytes(c) for c in render_chunks(settings["format"], result, color=color))
    if output:
        inputs = [*result.inputs, *named_inputs(settings)]
        write_output(output, chunks, inputs=inputs, what="the report")
    else:
        sys.stdout.flush()
        buffer = getattr(sys.stdout, "buffer", None)  # absent when stdout is a StringIO
        for chunk in chunks:
            if buffer is None:
                sys.stdout.write(chunk.decode("utf-8"))
            else:
                buffer.write(chunk)
        if buffer is not None:
            buffer.flush()


def named_inputs(settings: Settings) -> list[str]:
    """The files the settings name as inputs (`-r`, `--lock`, a baseline, the config)."""
    named = [str(p) for p in settings.get("requirement", None) or []]
    for dest in ("lock", "scan_baseline"):
        if settings.get(dest):
            named.append(str(settings[dest]))
    if settings.config_path is not None:
        named.append(str(settings.config_path))
    return named


def _use_color(choice: str, *, to_terminal: bool) -> bool:
    if choice == "always":
        return True
    if choice == "never" or not to_terminal or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def print_rules(check_name: str) -> int:
    """`--list-rules` of a check's command: its rules as a table."""
    import importlib

    from bastion.checks import CHECKS
    from bastion.ruledoc import table

    check = importlib.import_module(CHECKS[check_name]).CHECK
    print(table(check.rules()), end="")
    return 0


def _failing(findings: list[Finding], settings: Settings) -> list[Finding]:
    """The findings that may fail the run: advice (outdated, unmaintained) only when the user
    asks (`--fail-on-outdated`)."""
    if settings.get("fail_on_outdated", False):
        return findings
    return [f for f in findings if f.extra.get("advice") != "true"]
