"""`bastion check`: every registered check (`bastion.checks.CHECKS`) on the project, or those
`--checks` (or `[tool.bastion] checks`) names."""

from __future__ import annotations

import argparse

from bastion.checks import CHECKS
from bastion.commands.common import CHOOSE_CHECKS, add_report_arguments, execute
from bastion.config import add_options


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_report_arguments(parser, list(CHECKS))
    add_options(parser, (CHOOSE_CHECKS,))


def run(args: argparse.Namespace) -> int:
    return execute("check", list(CHECKS), args, choose=True)
