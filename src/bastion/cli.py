"""The command line: parse arguments, run the command, turn errors into exit codes.

No logic of its own. Only the module of the command being run is imported (start-up time
is part of bastion's speed: `bastion --version` imports nothing but this file).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import argparse

COMMANDS: dict[str, tuple[str, str]] = {
    "check": ("bastion.commands.check", "run every check on the project (the main job)"),
    "env": (
        "bastion.commands.env",
        "check that the interpreter is isolated (`env create DIR` makes a hardened venv)",
    ),
    "audit": ("bastion.commands.audit", "find dependencies with known vulnerabilities"),
    "verify": (
        "bastion.commands.verify",
        "check that dependencies are pinned, hash-locked and what the index published",
    ),
    "scan": (
        "bastion.commands.scan",
        "find dangerous code in the project, and whether untrusted data reaches it",
    ),
    "publish": (
        "bastion.commands.publish",
        "check that the PyPI account and the release path cannot be hijacked",
    ),
    "db": (
        "bastion.commands.db",
        "manage the local advisory database (import, update, info, show)",
    ),
    "explain": ("bastion.commands.explain", "explain a rule or advisory ID (any check's)"),
}


def _version() -> str:
    from bastion import __version__

    return f"bastion {__version__}"


def build_parser(command: str | None) -> argparse.ArgumentParser:
    """The parser, with full arguments only for `command` (others are listed, not loaded)."""
    import importlib

    parser = _parser_class()(
        prog="bastion",
        description="Supply-chain security for Python projects.",
        epilog="Exit codes: 0 nothing at or above --fail-on, 1 findings, 2 bad usage or input, "
        "3 a data source failed.",
    )
    parser.add_argument("--version", action="version", version=_version())
    parser.add_argument("--debug", action="store_true", help="show tracebacks for errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_path, summary) in COMMANDS.items():
        command_parser = sub.add_parser(name, help=summary, description=summary)
        if name == command:
            importlib.import_module(module_path).add_arguments(command_parser)
    return parser


def _parser_class() -> type[argparse.ArgumentParser]:
    """argparse's parser with a help formatter that knows the terminal width without `shutil`.

    argparse builds a formatter on every `add_argument` (to check metavars), and its default
    formatter imports `shutil` (and with it bz2, lzma and zlib) to ask the terminal's width:
    2 ms of every run, for help text that is rarely printed. Subparsers inherit the class.
    """
    import argparse

    class Formatter(argparse.HelpFormatter):
        def __init__(
            self,
            prog: str,
            indent_increment: int = 2,
            max_help_position: int = 24,
            width: int | None = None,
        ) -> None:
            width = _terminal_columns() - 2 if width is None else width
            super().__init__(prog, indent_increment, max_help_position, width)

    class Parser(argparse.ArgumentParser):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("formatter_class", Formatter)
            super().__init__(*args, **kwargs)

    return Parser


def _terminal_columns() -> int:
    """What `shutil.get_terminal_size().columns` says: $COLUMNS, else the terminal, else 80."""
    import os

    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns > 0:
        return columns
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        return 80


def _command_in(argv: Sequence[str]) -> str | None:
    for token in argv:
        if not token.startswith("-"):
            return token if token in COMMANDS else None
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `bastion` console script."""
    if argv is None:  # the program itself (a caller passing arguments keeps its own exit)
        _skip_freeing_at_exit()
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list == ["--version"]:
        print(_version())
        return 0
    debug = "--debug" in args_list  # accepted anywhere on the line, before or after COMMAND
    args_list = [arg for arg in args_list if arg != "--debug"]
    try:
        code = _run(args_list, debug=debug)
        sys.stdout.flush()  # here, not at exit: a reader that went away is handled below
        return code
    except BrokenPipeError:
        return _reader_went_away()
    except KeyboardInterrupt:
        print("bastion: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        from bastion.errors import BastionError, ExitCode

        if debug:
            raise
        from bastion.redact import redact

        if isinstance(exc, BastionError):
            print(f"bastion: error: {redact(str(exc))}", file=sys.stderr)
            return exc.exit_code
        message = redact(f"{type(exc).__name__}: {exc}")
        print(f"bastion: internal error: {message} (run with --debug for details)", file=sys.stderr)
        return ExitCode.BAD_INPUT


def _reader_went_away() -> int:
    """The reader of standard output closed it (`bastion db info | head -1`): stop quietly,
    as other command-line tools do, with the status a shell gives a process SIGPIPE ended.

    Standard output is pointed at /dev/null so that the interpreter's own flush at exit does
    not fail a second time and print "Exception ignored ... BrokenPipeError".
    """
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
    return 128 + 13  # 141: SIGPIPE


def _skip_freeing_at_exit() -> None:
    """Let the interpreter leave this process's objects to the OS when it exits.

    At exit Python frees every object one by one, reference cycles through the collector: 4 ms
    of a 65 ms audit. `gc.freeze()` as the last exit handler puts the objects still alive out
    of the collector's reach; files are flushed and handlers run as before (finalizers of
    objects alive at exit were never guaranteed to run).
    """
    import atexit
    import gc

    atexit.register(gc.freeze)


def _run(argv: list[str], *, debug: bool = False) -> int:
    import importlib

    command = _command_in(argv)
    parser = build_parser(command)
    args = parser.parse_args(argv)
    args.debug = debug
    if args.command is None:
        parser.print_help()
        return 2
    module = importlib.import_module(COMMANDS[args.command][0])
    code: int = module.run(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
