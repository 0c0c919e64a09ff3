from __future__ import annotations

import subprocess
import sys

from bastion import __version__
from bastion.cli import main


def test_version_prints_the_package_version(capsys: object) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"bastion {__version__}"  # type: ignore[attr-defined]


def test_python_dash_m_runs_the_cli() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "bastion", "--version"], capture_output=True, text=True
    )
    assert out.returncode == 0
    assert out.stdout.strip() == f"bastion {__version__}"


def test_no_command_is_bad_usage() -> None:
    assert main([]) == 2


def test_missing_path_is_one_clear_line_and_exit_2(capsys: object, tmp_path: object) -> None:
    code = main(["audit", "/nonexistent/project"])
    err = capsys.readouterr().err  # type: ignore[attr-defined]
    assert code == 2
    assert err.strip().splitlines() == [
        "bastion: error: /nonexistent/project: no such file or directory"
    ]


def test_a_reader_that_goes_away_ends_the_run_quietly() -> None:
    """`bastion explain | head -1`: no "internal error", no traceback, SIGPIPE's status.

    The reading end is closed before bastion writes anything, so its first write fails: the
    same as a reader that went away, without a race on how much fits in the pipe.
    """
    import os

    read_end, write_end = os.pipe()
    child = subprocess.Popen(
        [sys.executable, "-m", "bastion", "explain"], stdout=write_end, stderr=subprocess.PIPE
    )
    os.close(write_end)
    os.close(read_end)
    _, err = child.communicate(timeout=60)
    assert child.returncode == 141
    assert err == b""
