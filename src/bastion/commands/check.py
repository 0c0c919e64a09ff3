"""`bastion check`: every registered check (`bastion.checks.CHECKS`) on the project."""

from __future__ import annotations

import argparse

from bastion.checks import CHECKS
from bastion.commands.common import add_report_arguments, execute


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_report_arguments(parser, list(CHECKS))


def run(args: argparse.Namespace) -> int:
    return execute("check", list(CHECKS), args)
