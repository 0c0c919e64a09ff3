"""`bastion publish [PATH]`: the release path and the tokens. The check is
`bastion.checks.publish`."""

from __future__ import annotations

import argparse

from bastion.commands.common import add_report_arguments, execute, print_rules


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_report_arguments(parser, ["publish"])
    parser.add_argument("--list-rules", action="store_true", help="list the rules and exit")


def run(args: argparse.Namespace) -> int:
    if getattr(args, "list_rules", False):
        return print_rules("publish")
    return execute("publish", ["publish"], args)
