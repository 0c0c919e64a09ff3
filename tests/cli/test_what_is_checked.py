"""What a command reads: nothing to check is bad input; each file goes to the reader it needs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from support.cli import enter_empty_project, run

UV_LOCK = (
    Path(__file__).resolve().parents[1] / "fixtures" / "inventory" / "locks" / "uv" / "uv.lock"
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return enter_empty_project(tmp_path, monkeypatch)


@pytest.mark.parametrize("files", [{}, {"README.md": "# hello\n"}, {"notes/todo.txt": "x\n"}])
def test_check_on_a_folder_with_nothing_to_check_is_exit_2(
    project: Path, capsys: pytest.CaptureFixture[str], files: dict[str, str]
) -> None:
    for name, text in files.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text)
    code, out, err = run(capsys, "check")
    assert (code, out) == (2, "")
    assert err == (
        "bastion: error: .: no Python project found here: no dependency inputs and no Python "
        "files; name what to check (-r FILE, --lock FILE, --python PATH, or a folder with code)\n"
    )


def test_check_on_code_without_dependency_inputs_still_scans(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "app.py").write_text("import os\nos.system(cmd)\n")
    code, out, _err = run(capsys, "check")
    assert code == 1
    assert "audit, verify skipped: " in out
    assert "B605" in out


@pytest.mark.parametrize(
    ("name", "text"),
    [("app.py", "print('hi')\n"), ("deps", "import os\n"), ("tool", "#!/usr/bin/env python3\n")],
)
def test_python_named_as_a_dependency_input_says_what_was_expected(
    project: Path, capsys: pytest.CaptureFixture[str], name: str, text: str
) -> None:
    (project / name).write_text(text)
    code, out, err = run(capsys, "audit", name)
    assert (code, out) == (2, "")
    assert err.startswith(f"bastion: error: {name}: this is Python source, not a dependency input")
    assert "expected a requirements file (requirements.txt, *.in), pyproject.toml, uv.lock" in err


def test_check_of_a_lock_reads_the_lock_and_does_not_parse_it_as_python(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(UV_LOCK, project / "uv.lock")
    code, out, _err = run(capsys, "check", "uv.lock", "--offline", "--allow-partial")
    assert code == 0, out
    assert "scan skipped: uv.lock: not Python source" in out
    assert "does not parse" not in out
    assert "inputs: uv.lock" in out
    code, out, err = run(capsys, "scan", "uv.lock")
    assert (code, out) == (2, "")
    assert err.startswith("bastion: error: uv.lock: not Python source")
