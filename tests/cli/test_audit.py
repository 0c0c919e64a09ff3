"""`bastion audit` end to end on the fixture database (through the requirements reader)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bastion.advisories.importer import import_path
from bastion.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "advisories"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BASTION_CACHE_DIR", str(tmp_path / "cache"))
    import_path(FIXTURES / "records", [])
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "requirements.txt").write_text(
        "# pinned\ndemo==2.0.1\nevil-pkg==0.0.1\nrequests==2.31.0\nother.pkg>=0.5\n"
    )
    return folder


def test_audit_reports_findings_and_exits_1(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    requirements = str(project / "requirements.txt")
    code = main(["audit", "-r", requirements, "--format", "json", "--offline", str(project)])
    out, err = capsys.readouterr()
    assert code == 1, err
    report = json.loads(out)
    assert sorted(f["id"] for f in report["findings"]) == ["GHSA-aaaa-bbbb-cccc", "MAL-2099-1"]
    assert report["data_status"][0].startswith("advisories: local database, 12 records from ")
    assert any("not pinned (>=0.5)" in str(d) for d in report["diagnostics"])


def test_audit_of_safe_pins_exits_0(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "requirements.txt").write_text("demo==2.0.3\nevil-pkg==0.0.2\n")
    requirements = str(project / "requirements.txt")
    code = main(["audit", "-r", requirements, "--format", "json", str(project)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert json.loads(out)["findings"] == []


def test_audit_without_data_is_exit_3_with_instructions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BASTION_CACHE_DIR", str(tmp_path / "empty"))
    (tmp_path / "requirements.txt").write_text("demo==1.1\n")
    code = main(["audit", "-r", str(tmp_path / "requirements.txt"), str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 3
    (line,) = err.splitlines()
    assert "`bastion db import PATH`" in line
    assert "`bastion db update`" in line
    assert "`--source osv-api`" in line
