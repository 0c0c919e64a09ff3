"""The program leaves its objects to the OS at exit; a caller of `main(argv)` is untouched."""

from __future__ import annotations

import atexit
import gc
import subprocess
import sys
from collections.abc import Callable

import pytest

from bastion import __version__
from bastion.cli import main


def _registered(monkeypatch: pytest.MonkeyPatch) -> list[Callable[[], None]]:
    handlers: list[Callable[[], None]] = []
    monkeypatch.setattr(atexit, "register", handlers.append)
    return handlers


def test_the_program_freezes_its_objects_at_exit(monkeypatch: pytest.MonkeyPatch) -> None:
    handlers = _registered(monkeypatch)
    monkeypatch.setattr(sys, "argv", ["bastion", "--version"])
    assert main() == 0
    assert handlers == [gc.freeze]


def test_a_caller_passing_arguments_keeps_its_own_exit(monkeypatch: pytest.MonkeyPatch) -> None:
    handlers = _registered(monkeypatch)
    assert main(["--version"]) == 0
    assert handlers == []


def test_the_program_still_writes_everything_before_it_exits() -> None:
    code = "import sys; from bastion.cli import main; sys.exit(main())"
    out = subprocess.run(
        [sys.executable, "-c", code, "--version"], capture_output=True, text=True, check=False
    )
    assert (out.returncode, out.stdout, out.stderr) == (0, f"bastion {__version__}\n", "")
