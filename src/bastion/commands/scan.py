"""`bastion scan`: static security analysis of the project's own code."""

from __future__ import annotations

import argparse

from bastion.commands.common import add_report_arguments, execute
from bastion.config import Option

OPTIONS: tuple[Option, ...] = ()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_report_arguments(parser, OPTIONS)


def run(args: argparse.Namespace) -> int:
    return execute("scan", ["scan"], args, OPTIONS)
