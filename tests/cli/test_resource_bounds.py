"""Hostile inputs stay bounded: each is one clear line and exit 2, within a memory cap.

Each case runs bastion in a child process limited to 768 MB of address space: before these
bounds, 40 KB of dotted TOML keys took 2.4 GB and a 50 MB Python file 3.4 GB.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS as Linux has it")

CAP_BYTES = 768 * 1024 * 1024


def capped() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (CAP_BYTES, CAP_BYTES))


def bastion(cwd: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BASTION_CACHE_DIR": str(cwd / ".cache"), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "bastion", *argv],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        preexec_fn=capped,  # sets a limit only, before exec
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "pyproject.toml",
            '[project]\nname = "x"\n' + "a." * 20_000 + "b = 1\n",
            "pyproject.toml:3: a key of more than 64 dotted parts; not read",
        ),
        (
            "pyproject.toml",
            '[project]\nname = "x"\nx = ' + "[" * 500 + "]" * 500 + "\n",
            "pyproject.toml: not read: arrays or tables nested too deeply",
        ),
        (
            "Pipfile.lock",
            '{"_meta": ' + '{"a": ' * 1200 + "1" + "}" * 1200 + "}",
            "Pipfile.lock: not read: arrays or objects nested too deeply",
        ),
        (
            "Pipfile.lock",
            '{"_meta": {"pipfile-spec": 6}, "default": {"\\ud800six": {"version": "==1.0"}}}',
            "Pipfile.lock: not valid JSON text: a string holds a lone surrogate (\\ud800-\\udfff)",
        ),
    ],
)
def test_a_hostile_manifest_is_one_line_and_exit_2(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    (tmp_path / name).write_text(text)
    done = bastion(tmp_path, "audit", "--offline")
    assert (done.returncode, done.stderr) == (2, f"bastion: error: {message}\n")


def test_a_50_mb_python_file_is_not_parsed(tmp_path: Path) -> None:
    (tmp_path / "small.py").write_text("import os\nos.system(cmd)\n")
    with (tmp_path / "huge.py").open("w") as handle:
        line = "x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n"
        handle.write(line * (50 * 1024 * 1024 // len(line)))
    done = bastion(tmp_path, "scan", ".", "--no-cache", "-f", "json")
    assert done.returncode in (1, 3), done.stderr
    assert '"larger than 5 MB; not scanned","location":{"path":"huge.py"' in done.stdout
    assert "B605" in done.stdout  # the rest was scanned
