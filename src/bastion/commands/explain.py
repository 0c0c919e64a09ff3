"""`bastion explain ID`: the documentation of any rule of any check; without ID, every rule.

Each registered check answers for its own IDs (`Check.explain`): the scan's rules (`B602`,
or a rule's name), the audit's advisories from the local database (`PYSEC-...`, any alias).
"""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "rule_id", nargs="?", metavar="ID", help="a rule or advisory ID (default: list every rule)"
    )


def run(args: argparse.Namespace) -> int:
    from bastion.checks import CHECKS
    from bastion.checks.base import load_check
    from bastion.errors import InputError

    checks = [load_check(name) for name in CHECKS]
    if args.rule_id is None:
        from bastion.ruledoc import table

        rules = [rule for check in checks for rule in check.rules()]
        print(table(rules), end="")
        print(
            f"\n{len(rules)} rules. `bastion explain ID` tells more about one; advisory IDs "
            "(PYSEC-..., GHSA-..., CVE-...) are explained from the local database."
        )
        return 0
    for check in checks:
        text = check.explain(args.rule_id)
        if text is not None:
            print(text, end="")
            return 0
    raise InputError(
        f"unknown rule or advisory {args.rule_id!r}; `bastion explain` lists the rules"
    )
