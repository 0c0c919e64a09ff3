"""`bastion env create [DIR]`: a virtual environment that is hardened from the start.

Made with the standard library's `venv` (by the interpreter bastion runs under, or its base
when bastion itself runs in a venv), or `uv venv --seed` with `--uv`. Then: pip upgraded
(unless `--no-upgrade`); a `pip.conf` inside the venv, which pip reads for that venv only,
with `require-virtualenv = true` and, with `--require-hashes`, `require-hashes = true` (an
unhashed requirements file then fails to install: that is the point, and it is said); no
system site-packages; nothing in it writable by group or others. It prints the command that
activates it in the user's shell, and the others.

Nothing here runs code from an inspected project: the interpreter that makes the venv is
bastion's own, and the venv's pip is the one just installed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import stat
import subprocess  # nosec B404 -- runs venv / uv / the new venv's pip with fixed arguments
import sys
from pathlib import Path

from bastion.errors import InputError

PIP_CONF = """\
# Written by `bastion env create`: pip reads this file for this venv only.
[global]
# Refuse to install anywhere but a virtual environment.
require-virtualenv = true
"""
REQUIRE_HASHES = """\
[install]
# Refuse any requirement without a --hash (pip checks hashes, never signatures).
require-hashes = true
"""


def run_create(args: argparse.Namespace) -> int:
    folder = Path(args.directory or ".venv")
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise InputError("already exists and is not empty; choose another folder", folder)
    if args.uv:
        uv = shutil.which("uv")
        if uv is None:
            raise InputError("--uv: uv is not installed (pip install uv), or leave out --uv")
        _run([uv, "venv", "--seed", "--quiet", str(folder)], folder)
    else:
        _run([_base_python(), "-m", "venv", str(folder)], folder)
    python = folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    notes = []
    if not args.no_upgrade and not getattr(args, "offline", False):
        upgrade = [str(python), "-m", "pip", "install", "--quiet", "--upgrade", "pip"]
        if subprocess.run(upgrade, check=False).returncode != 0:  # nosec B603 -- the new venv's pip
            notes.append("pip could not be upgraded (offline?); the venv keeps ensurepip's")
    conf = PIP_CONF + (REQUIRE_HASHES if args.require_hashes else "")
    (folder / ("pip.ini" if os.name == "nt" else "pip.conf")).write_text(conf, encoding="utf-8")
    _no_group_or_other_write(folder)
    print(f"Created {folder} (no system site-packages; pip.conf: require-virtualenv", end="")
    print(", require-hashes)" if args.require_hashes else ")")
    if args.require_hashes:
        print(
            "  pip in this venv now refuses requirements without --hash: install from a "
            "hash-pinned file (bastion verify --add-hashes FILE)"
        )
    for note in notes:
        print(f"  note: {note}")
    print("Activate it:")
    for shell, command in activate_commands(folder):
        print(f"  {shell:<11} {command}")
    return 0


def activate_commands(folder: Path) -> list[tuple[str, str]]:
    """The activate command for each shell, the user's own first."""
    commands = [
        ("sh/bash/zsh", f". {folder}/bin/activate"),
        ("fish", f"source {folder}/bin/activate.fish"),
        ("PowerShell", f"{folder}/bin/Activate.ps1"),
        ("cmd", f"{folder}\\Scripts\\activate.bat"),
    ]
    if os.name == "nt":
        commands[2] = ("PowerShell", f"{folder}\\Scripts\\Activate.ps1")
    shell = Path(os.environ.get("SHELL", "")).name
    mine = {"fish": "fish", "pwsh": "PowerShell", "powershell": "PowerShell"}.get(shell)
    if mine is not None:
        commands.sort(key=lambda item: item[0] != mine)
    return commands


def _base_python() -> str:
    """The interpreter that makes the venv: bastion's own, or its base when bastion runs in
    a venv (a venv made from a venv's interpreter would depend on that venv)."""
    base = getattr(sys, "_base_executable", None)
    if isinstance(base, str) and base and Path(base).exists():
        return base
    return sys.executable


def _run(command: list[str], folder: Path) -> None:
    try:
        result = subprocess.run(  # nosec B603 -- venv or uv, fixed arguments, no shell
            command, capture_output=True, text=True, check=False
        )
    except OSError as exc:
        raise InputError(f"cannot make the venv: {exc}", folder) from None
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise InputError(f"cannot make the venv: {last}", folder)


def _no_group_or_other_write(folder: Path) -> None:
    for root, dirs, files in os.walk(folder):
        for name in (*dirs, *files):
            path = Path(root) / name
            if path.is_symlink():
                continue
            mode = path.stat().st_mode
            if mode & (stat.S_IWGRP | stat.S_IWOTH):
                path.chmod(stat.S_IMODE(mode) & ~(stat.S_IWGRP | stat.S_IWOTH))
    mode = folder.stat().st_mode
    folder.chmod(stat.S_IMODE(mode) & ~(stat.S_IWGRP | stat.S_IWOTH))
