"""`bastion audit`: dependencies with known vulnerabilities, and the smallest safe upgrade.

The check and its options are `bastion.checks.audit`.
"""

from __future__ import annotations

import argparse

from bastion.commands.common import add_report_arguments, execute
from bastion.gcutil import collector_paused


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_report_arguments(parser, ["audit"])


def run(args: argparse.Namespace) -> int:
    with collector_paused():  # an audit makes hardly any cycles: see bastion.gcutil
        return execute("audit", ["audit"], args)
