"""`bastion check`: every check built so far, on the project in front of it."""

from __future__ import annotations

import argparse

from bastion.commands.common import add_report_arguments, execute
from bastion.config import Option

OPTIONS: tuple[Option, ...] = ()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from bastion.commands import audit, scan

    add_report_arguments(parser, (*OPTIONS, *audit.OPTIONS, *scan.OPTIONS))


def run(args: argparse.Namespace) -> int:
    from bastion.checks import CHECKS
    from bastion.commands import audit, scan

    return execute("check", list(CHECKS), args, (*OPTIONS, *audit.OPTIONS, *scan.OPTIONS))
