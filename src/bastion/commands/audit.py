"""`bastion audit`: dependencies with known vulnerabilities, and the smallest safe upgrade."""

from __future__ import annotations

import argparse

from bastion.commands.common import add_report_arguments, execute
from bastion.config import Option
from bastion.gcutil import collector_paused

OPTIONS: tuple[Option, ...] = (
    Option(
        "requirement",
        ("-r", "--requirement"),
        "audit this requirements file (repeatable)",
        multiple=True,
        metavar="FILE",
    ),
    Option(
        "lock",
        ("--lock",),
        "audit this lock file (uv.lock, poetry.lock, Pipfile.lock, pylock.toml)",
        metavar="FILE",
    ),
    Option(
        "python",
        ("--python",),
        "audit what is installed in this interpreter or venv",
        metavar="PATH",
    ),
    Option(
        "resolve",
        ("--resolve",),
        "pin unpinned requirements with pip's resolver (pip install --dry-run --report, "
        "wheels only: nothing is built or installed; needs the package index)",
        kind=bool,
        default=False,
    ),
    Option(
        "source",
        ("--source",),
        "where advisories come from (default: local database)",
        default="db",
        choices=("db", "osv-api"),
    ),
    Option(
        "osv-url",
        ("--osv-url",),
        "base URL of the OSV API for --source osv-api",
        default="https://api.osv.dev",
        metavar="URL",
    ),
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_report_arguments(parser, OPTIONS)


def run(args: argparse.Namespace) -> int:
    with collector_paused():  # an audit makes hardly any cycles: see bastion.gcutil
        return execute("audit", ["audit"], args, OPTIONS)
