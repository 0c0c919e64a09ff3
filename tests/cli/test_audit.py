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


def test_a_version_pinned_in_several_files_is_one_finding_per_vulnerability(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """requirements.txt includes main.txt and deploy.txt, each pinning demo 2.0.1: one
    finding per vulnerability, declared in all three places; dependencies counted once."""
    (project / "requirements.txt").write_text("-r main.txt\n-r deploy.txt\ndemo==2.0.1\n")
    (project / "main.txt").write_text("demo==2.0.1\nrequests==2.31.0\n")
    (project / "deploy.txt").write_text("# deploy\ndemo==2.0.1\n")
    code = main(["audit", "--format", "json", "--offline", str(project)])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    ids = [f["id"] for f in report["findings"]]
    assert ids == ["GHSA-aaaa-bbbb-cccc"]  # once, not three times
    package = report["findings"][0]["package"]
    places = [
        (Path(p["path"]).name, p["line"])
        for p in [package["declared_at"], *package["also_declared_at"]]
    ]
    assert places == [("main.txt", 1), ("deploy.txt", 2), ("requirements.txt", 3)]
    assert report["summary"]["stats"]["dependencies"] == 2  # demo and requests

    main(["audit", "--offline", str(project)])
    text = capsys.readouterr().out
    assert text.count("GHSA-aaaa-bbbb-cccc") == 1
    assert "demo 2.0.1  (" in text and "main.txt:1" in text and "deploy.txt:2" in text
    assert "in 2 dependencies" in text

    main(["audit", "--format", "sarif", "--offline", str(project)])
    sarif = json.loads(capsys.readouterr().out)
    (result,) = sarif["runs"][0]["results"]
    related = [r["physicalLocation"]["artifactLocation"]["uri"] for r in result["relatedLocations"]]
    assert [Path(u).name for u in related] == ["deploy.txt", "requirements.txt"]
    assert result["partialFingerprints"]["bastionFingerprint/v1"] == (
        "audit:demo:2.0.1:GHSA-aaaa-bbbb-cccc"
    )

    main(["audit", "--format", "markdown", "--offline", str(project)])
    markdown = capsys.readouterr().out
    (row,) = [line for line in markdown.splitlines() if "GHSA-aaaa-bbbb-cccc" in line]
    assert "main.txt:1" in row and "deploy.txt:2" in row and "requirements.txt:3" in row


def test_two_versions_of_one_package_are_two_findings_with_distinct_fingerprints(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "requirements.txt").write_text("demo==2.0.1\n")
    (project / "old.txt").write_text("demo==1.1\n")
    code = main(
        [
            "audit",
            "-r",
            str(project / "requirements.txt"),
            "-r",
            str(project / "old.txt"),
            "--format",
            "sarif",
            "--offline",
            str(project),
        ]
    )
    assert code == 1
    results = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    prints = [r["partialFingerprints"]["bastionFingerprint/v1"] for r in results]
    assert len(prints) == len(set(prints))


def test_a_transitive_finding_says_what_pulls_it_in(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "requirements.txt").write_text(
        "# pip-compile output\n"
        "app-framework==1.0\n    # via -r requirements.in\n"
        "middle==2.0\n    # via app-framework\n"
        "demo==2.0.1\n    # via\n    #   app-framework\n    #   middle\n"
    )
    code = main(["audit", "--format", "json", "--offline", str(project)])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    (finding,) = report["findings"]
    assert finding["package"]["via"] == ["app-framework"]  # the shortest way in
    main(["audit", "--offline", str(project)])
    assert "demo 2.0.1  (" in (text := capsys.readouterr().out)
    assert ") via app-framework: 1 finding" in text


def test_the_chain_runs_from_a_direct_dependency(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "requirements.txt").write_text(
        "app-framework==1.0\n    # via -r requirements.in\n"
        "middle==2.0\n    # via app-framework\n"
        "demo==2.0.1\n    # via middle\n"
    )
    main(["audit", "--format", "json", "--offline", str(project)])
    (finding,) = json.loads(capsys.readouterr().out)["findings"]
    assert finding["package"]["via"] == ["app-framework", "middle"]
