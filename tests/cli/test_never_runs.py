"""bastion never runs a program from what it inspects (a venv's bin/python may be anything).

A crafted venv whose `bin/python` (and a fake base interpreter inside it) is a script that
writes a marker file: no command that reads the venv may write the marker.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from support.cli import enter_empty_project, run

posix_only = pytest.mark.skipif(os.name != "posix", reason="shell scripts as interpreters")


def crafted_venv(folder: Path, marker: Path, *, system_site: bool = False) -> Path:
    venv = folder / ".venv"
    (venv / "bin").mkdir(parents=True)
    site = venv / "lib" / "python3.11" / "site-packages"
    (site / "six-1.16.0.dist-info").mkdir(parents=True)
    (site / "six-1.16.0.dist-info" / "METADATA").write_text("Name: six\nVersion: 1.16.0\n")
    script = f"#!/bin/sh\necho ran > {marker}\n"
    for name in ("python", "python3", "python3.11"):
        path = venv / "bin" / name
        path.write_text(script)
        path.chmod(0o755)
    home = venv / "bin"  # a pyvenv.cfg may name any home, this one inside the venv
    (venv / "pyvenv.cfg").write_text(
        f"home = {home}\ninclude-system-site-packages = {'true' if system_site else 'false'}\n"
        "version_info = 3.11.7\n"
    )
    return venv


@posix_only
@pytest.mark.parametrize(
    "argv",
    [
        ("audit", "--python", ".venv"),
        ("audit", "--python", ".venv/bin/python"),
        ("audit", ".venv"),
        ("check", ".venv"),
        ("audit", "--python", "{venv}"),
    ],
)
@pytest.mark.parametrize("system_site", [False, True])
def test_a_crafted_venv_is_read_not_run(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: tuple[str, ...],
    system_site: bool,
) -> None:
    project = enter_empty_project(tmp_path, monkeypatch)
    marker = tmp_path / "marker"
    venv = crafted_venv(project, marker, system_site=system_site)
    args = [a.replace("{venv}", str(venv)) for a in argv]
    code, out, err = run(capsys, *args, "--offline", "--allow-partial", "-f", "json")
    assert not marker.exists(), "a program from the inspected venv ran"
    assert code in (0, 1, 2, 3), err
    if args[0] == "audit":
        assert code == 0, err
        assert "site-packages" in out  # the venv was read: its site-packages is the input
        assert '"dependencies":1' in out
    if system_site:
        assert "lies inside the inspected tree and is not run" in out + err


@posix_only
def test_an_interpreter_inside_the_project_is_not_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = enter_empty_project(tmp_path, monkeypatch)
    marker = tmp_path / "marker"
    tool = project / "tools" / "python"
    tool.parent.mkdir()
    tool.write_text(f"#!/bin/sh\necho ran > {marker}\n")
    tool.chmod(0o755)
    code, _out, err = run(capsys, "audit", "--python", "tools/python", "--offline")
    assert not marker.exists()
    assert code == 2
    assert "lies inside the project; bastion does not run programs" in err


@posix_only
def test_a_system_interpreter_is_asked_and_said_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    enter_empty_project(tmp_path, monkeypatch)
    base = getattr(sys, "_base_executable", sys.executable)
    code, out, err = run(capsys, "audit", "--python", base, "--offline", "--allow-partial")
    assert code in (0, 1), err
    assert "inputs:" in out
