"""The errors that decide bastion's exit codes.

Every failure a user can cause or meet is one of these; the CLI turns it into one clear line
and an exit code (see docs/architecture.md), and only `--debug` shows a traceback.
"""

from __future__ import annotations

from pathlib import Path


class ExitCode:
    """Process exit codes (docs/architecture.md; the README lists them for users)."""

    OK = 0
    FINDINGS = 1
    BAD_INPUT = 2
    SOURCE_FAILED = 3


class BastionError(Exception):
    """Base of every error bastion reports to the user."""

    exit_code = ExitCode.BAD_INPUT


class InputError(BastionError):
    """Bad usage or unreadable input: names the file and line where it can (exit 2)."""

    exit_code = ExitCode.BAD_INPUT

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        self.path = str(path) if path is not None else None
        self.line = line
        self.reason = message
        super().__init__(self._format())

    def _format(self) -> str:
        if self.path is None:
            return self.reason
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.reason}"


class NoInputsError(InputError):
    """The project declares no dependencies bastion can read.

    `bastion audit` fails on it (exit 2); `bastion check` notes it and runs the other checks.
    """


class SourceError(BastionError):
    """A data source (advisory DB, OSV API, package index) failed: fail closed (exit 3)."""

    exit_code = ExitCode.SOURCE_FAILED
