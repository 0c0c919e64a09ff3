"""`-o FILE` never clobbers: read-only files, symbolic links and the run's own inputs stay."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from support.cli import enter_empty_project, run


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = enter_empty_project(tmp_path, monkeypatch)
    (folder / "requirements.txt").write_text("six\n")
    return folder


def test_a_read_only_report_file_is_not_replaced(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = project / "report.json"
    report.write_text("keep")
    report.chmod(0o444)
    code, _out, err = run(capsys, "audit", "-o", "report.json", "--offline")
    assert code == 2
    assert err == (
        "bastion: error: report.json: is read-only; not replaced (make it writable to overwrite)\n"
    )
    assert report.read_text() == "keep"
    assert oct(report.stat().st_mode & 0o777) == "0o444"


def test_a_symbolic_link_is_not_replaced_nor_its_target_written(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = project / "elsewhere.txt"
    target.write_text("keep")
    (project / "report.txt").symlink_to(target)
    code, _out, err = run(capsys, "audit", "-o", "report.txt", "--offline")
    assert code == 2
    assert err == (
        f"bastion: error: report.txt: is a symbolic link (to {target}); not replaced: "
        "name the file itself\n"
    )
    assert (project / "report.txt").is_symlink()
    assert target.read_text() == "keep"


@pytest.mark.parametrize(
    "argv",
    [
        ("audit", "-r", "requirements.txt", "-o", "requirements.txt"),
        ("audit", "-r", "requirements.txt", "-o", "./sub/../requirements.txt"),
        ("audit", "-o", "requirements.txt"),  # discovered, not named: refused at write time
        ("audit", "-o", "pyproject.toml"),  # the configuration is an input too
    ],
)
def test_the_runs_own_inputs_are_not_overwritten(
    project: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    (project / "sub").mkdir()
    (project / "pyproject.toml").write_text('[tool.bastion]\nfail-on = "high"\n')
    code, _out, err = run(capsys, *argv, "--offline")
    assert code == 2
    assert err.endswith(": is one of this run's inputs; not overwritten\n")
    assert (project / "requirements.txt").read_text() == "six\n"
    assert "bastion" in (project / "pyproject.toml").read_text()


def test_errors_name_the_users_path_not_a_temporary_file(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = project / "out"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        code, _out, err = run(capsys, "audit", "-o", "out/report.json", "--offline")
    finally:
        folder.chmod(0o755)
    if os.geteuid() == 0:
        assert code == 0  # root writes anyway; the path is what matters below
        return
    assert code == 2
    assert err == "bastion: error: out/report.json: cannot write the report: Permission denied\n"
    assert ".tmp" not in err
