"""`bastion scan`: static security analysis of the project's own code.

The check and its options are `bastion.checks.scan`.
"""

from __future__ import annotations

import argparse

from bastion.commands.common import add_report_arguments, execute


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_report_arguments(parser, ["scan"])
    parser.add_argument("--list-rules", action="store_true", help="list the rules and exit")
    parser.add_argument(
        "--explain", metavar="ID", help="explain one rule (what, why, example, fix) and exit"
    )


def run(args: argparse.Namespace) -> int:
    if getattr(args, "list_rules", False) or getattr(args, "explain", None):
        from bastion.code.explain import explain_rule, list_rules, rules_json

        if args.list_rules and getattr(args, "format", None) == "json":
            text = rules_json()
        else:
            text = explain_rule(args.explain) if args.explain else list_rules()
        print(text, end="" if text.endswith("\n") else "\n")
        return 0
    return execute("scan", ["scan"], args)
