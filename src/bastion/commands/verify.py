"""`bastion verify`: pinned, hash-locked, what the index published, not a typosquat.

The check and its options are `bastion.checks.verify`; `--add-hashes` is
`bastion.verify.hashes`.
"""

from __future__ import annotations

import argparse

from bastion.commands.common import add_report_arguments, execute, print_rules


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_report_arguments(parser, ["verify"])
    parser.add_argument(
        "--add-hashes",
        metavar="FILE",
        help="add or refresh the hashes of every pinned requirement of FILE from the index, "
        "and exit",
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="with --add-hashes: print the change as a unified diff, write nothing",
    )
    parser.add_argument("--list-rules", action="store_true", help="list the rules and exit")


def run(args: argparse.Namespace) -> int:
    if getattr(args, "list_rules", False):
        return print_rules("verify")
    if getattr(args, "add_hashes", None):
        from bastion.verify.hashes import run_add_hashes

        return run_add_hashes(args)
    if getattr(args, "dry_run", False):
        from bastion.errors import InputError

        raise InputError("--dry-run goes with --add-hashes")
    return execute("verify", ["verify"], args)
