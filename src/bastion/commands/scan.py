"""`bastion scan`: static security analysis of the project's own code."""

from __future__ import annotations

import argparse

from bastion.commands.common import add_report_arguments, execute
from bastion.config import Option

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
        "cache",
        ("--cache",),
        "reuse results for unchanged files (default: on; --no-cache to analyse everything)",
        kind=bool,
        section="scan",
    ),
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_report_arguments(parser, OPTIONS)
    parser.add_argument("--list-rules", action="store_true", help="list the rules and exit")
    parser.add_argument(
        "--explain", metavar="ID", help="explain one rule (what, why, example, fix) and exit"
    )


def run(args: argparse.Namespace) -> int:
    if getattr(args, "list_rules", False) or getattr(args, "explain", None):
        from bastion.code.explain import explain_rule, list_rules

        text = explain_rule(args.explain) if args.explain else list_rules()
        print(text, end="" if text.endswith("\n") else "\n")
        return 0
    return execute("scan", ["scan"], args, OPTIONS)
