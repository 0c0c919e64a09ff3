"""`bastion env [PATH]`: the project's interpreter; `bastion env create [DIR]`: a hardened
venv. The check and its options are `bastion.checks.env`; creation is `bastion.env.create`.

`create` is the first positional word, as in `bastion db update`; a project folder that is
really named `create` is `./create`.
"""

from __future__ import annotations

import argparse

from bastion.commands.common import add_report_arguments, execute, print_rules


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_report_arguments(parser, ["env"])
    parser.add_argument(
        "directory",
        nargs="?",
        help="with `create`: the venv to make (default: .venv)",
    )
    parser.add_argument(
        "--require-hashes",
        action="store_true",
        help="with `create`: make the venv's pip refuse requirements without hashes",
    )
    parser.add_argument(
        "--uv", action="store_true", help="with `create`: make it with `uv venv --seed`"
    )
    parser.add_argument(
        "--no-upgrade",
        action="store_true",
        help="with `create`: keep the pip that ensurepip installs (no network)",
    )
    parser.add_argument("--list-rules", action="store_true", help="list the rules and exit")


def run(args: argparse.Namespace) -> int:
    if getattr(args, "list_rules", False):
        return print_rules("env")
    if getattr(args, "path", None) == "create":
        from bastion.env.create import run_create

        return run_create(args)
    if getattr(args, "directory", None):
        from bastion.errors import InputError

        raise InputError(f"unexpected argument {args.directory!r} (did you mean `env create`?)")
    return execute("env", ["env"], args)
