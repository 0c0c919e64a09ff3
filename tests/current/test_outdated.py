"""C101: pins behind the newest installable release, against a fake index; advice that fails
the run only with --fail-on-outdated."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from support.cli import enter_empty_project, run
from support.fake_index import FakeFile, FakeIndex

pytestmark = pytest.mark.outdated


@pytest.fixture
def index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    enter_empty_project(tmp_path, monkeypatch)
    with FakeIndex() as running:
        running.add(
            "demo",
            [
                FakeFile("demo-1.0.tar.gz", b"1.0", upload_time="2024-01-01T00:00:00Z"),
                FakeFile("demo-1.1.tar.gz", b"1.1", upload_time="2024-03-01T00:00:00Z"),
                FakeFile("demo-1.2.tar.gz", b"1.2", upload_time="2024-06-01T00:00:00Z"),
                FakeFile(
                    "demo-1.3.tar.gz", b"1.3", upload_time="2024-07-01T00:00:00Z", yanked="bad"
                ),
                FakeFile("demo-2.0rc1.tar.gz", b"rc", upload_time="2024-08-01T00:00:00Z"),
                FakeFile(
                    "demo-3.0.tar.gz",
                    b"3.0",
                    upload_time="2024-09-01T00:00:00Z",
                    requires_python=">=3.99",
                ),
            ],
        )
        running.add(
            "fresh", [FakeFile("fresh-5.0.tar.gz", b"5", upload_time="2024-01-01T00:00:00Z")]
        )
        yield running


def audit(
    capsys: pytest.CaptureFixture[str], index: FakeIndex, *argv: str
) -> tuple[int, dict[str, Any]]:
    code, out, _err = run(
        capsys, "audit", "--format", "json", "--index-url", index.url, "--allow-partial", *argv
    )
    return code, json.loads(out)


def test_a_pin_behind_is_advice_and_the_newest_installable_release_is_named(
    index: FakeIndex, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("requirements.txt").write_text("demo==1.0\nfresh==5.0\n")
    code, report = audit(capsys, index)
    (finding,) = [f for f in report["findings"] if f["id"] == "C101"]
    # 1.3 is yanked, 2.0rc1 a pre-release, 3.0 needs Python 3.99: 1.2 it is.
    assert finding["title"] == "demo 1.0 is 2 releases behind 1.2, 152 days"
    assert finding["fix"] == "upgrade demo to 1.2 (newest that installs here)"
    assert code == 0  # advice: it does not fail the run
    code, _report = audit(capsys, index, "--fail-on-outdated")
    assert code == 1
    _code, report = audit(capsys, index, "--no-outdated")
    assert [f for f in report["findings"] if f["id"] == "C101"] == []


def test_the_newest_pin_is_quiet_and_offline_says_it_skipped(
    index: FakeIndex, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("requirements.txt").write_text("demo==1.2\nfresh==5.0\n")
    code, report = audit(capsys, index)
    assert (code, [f["id"] for f in report["findings"]]) == (0, [])
    assert any("0 of 2 pins are behind" in s for s in report["data_status"])
    _code, report = audit(capsys, index, "--offline")
    assert "audit: outdated releases not checked (--offline)" in report["data_status"]


@pytest.mark.network
def test_lockdemo_against_the_real_index(
    shared_data: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    enter_empty_project(tmp_path, monkeypatch)
    requirements = shared_data / "lockfiles" / "lockdemo" / "requirements.txt"
    _code, out, _err = run(
        capsys, "audit", "-r", str(requirements), "--format", "json", "--allow-partial"
    )
    outdated = [f for f in json.loads(out)["findings"] if f["id"] == "C101"]
    names = {f["package"]["name"] for f in outdated}
    assert {"requests", "jinja2"} <= names  # pinned years behind on purpose


def test_c102_no_release_for_years_and_the_setting(
    index: FakeIndex, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("requirements.txt").write_text("demo==1.2\nfresh==5.0\n")
    _code, report = audit(capsys, index, "--unmaintained-years", "100")
    assert [f for f in report["findings"] if f["id"] == "C102"] == []
    code, report = audit(capsys, index, "--unmaintained-years", "1")
    found = sorted(f["title"].split(":")[0] for f in report["findings"] if f["id"] == "C102")
    assert (code, found) == (0, ["demo", "fresh"])  # advice, at low confidence


def test_the_projects_requires_python_decides_what_could_be_installed(
    index: FakeIndex, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("requirements.txt").write_text("demo==1.0\n")
    Path("pyproject.toml").write_text(
        '[project]\nname = "x"\nversion = "1"\nrequires-python = ">=3.100"\n'
    )
    _code, report = audit(capsys, index, "-r", "requirements.txt")
    (finding,) = [f for f in report["findings"] if f["id"] == "C101"]
    assert finding["title"].startswith("demo 1.0 is 4 releases behind 3.0")
