"""`bastion audit`: dependencies with known vulnerabilities, and the smallest safe upgrade.

The check and its options are `bastion.checks.audit`.
"""

from __future__ import annotations

import argparse

from bastion.commands.common import add_report_arguments, execute
from bastion.gcutil import collector_paused


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_report_arguments(parser, ["audit"])
    parser.add_argument(
        "--fix",
        action="store_true",
        help="upgrade each vulnerable pin of the requirements files to the smallest version "
        "that fixes all its findings (hashes refreshed), show the diff, and exit",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="with --fix: show the diff, write nothing"
    )
    parser.add_argument(
        "--fix-to",
        choices=("smallest", "latest"),
        default="smallest",
        help="with --fix: the smallest version that fixes all findings (default), or the "
        "newest release that installs here (from the package index)",
    )


def run(args: argparse.Namespace) -> int:
    if getattr(args, "fix", False):
        from bastion.fix.requirements import run_fix

        return run_fix(args)
    if getattr(args, "dry_run", False):
        from bastion.errors import InputError

        raise InputError("--dry-run goes with --fix")
    with collector_paused():  # an audit makes hardly any cycles: see bastion.gcutil
        return execute("audit", ["audit"], args)
