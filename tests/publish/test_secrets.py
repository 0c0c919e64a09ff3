"""P201-P205: tokens in the tree, in git history, in `.pypirc`; the macaroon's caveats; and
no report ever shows a token. The tokens are made here: real macaroon structure, fake keys."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from bastion.publish.secrets import find_secrets, redact, scope
from support.cli import enter_empty_project, run
from support.tokens import ACCOUNT, PROJECT, token

FAKE_AWS = "AKIA" + "ABCDEFGHIJKLMNOP"  # built here, so that this file holds no key


def test_caveats_give_the_scope() -> None:
    assert ACCOUNT.startswith("pypi-AgEIcHlwaS5vcmc")
    assert scope(ACCOUNT).kind == "account"
    assert scope(token([3, "user-id"])).kind == "account"
    assert (scope(PROJECT).kind, scope(PROJECT).projects) == ("projects", ("demo",))
    assert scope(token({"version": 1, "permissions": {"projects": ["a", "b"]}})).projects == (
        "a",
        "b",
    )
    assert scope(token([0, 1_000, 0], [3, "u"]), now=2_000).expired
    assert not scope(token([0, 3_000, 0], [3, "u"]), now=2_000).expired
    assert scope(token()).kind == "unknown"  # no caveats: unknown, not the whole account
    assert scope("pypi-AgE" + "x" * 60).kind == "unknown"  # not a macaroon
    assert scope(token([1, ["x"]], location="test.pypi.org")).test_pypi


def test_redaction_keeps_a_prefix_and_the_length() -> None:
    assert redact(ACCOUNT) == f"pypi-AgEI… ({len(ACCOUNT)} characters)"
    (secret,) = find_secrets(f"a = 1\nb = '{ACCOUNT}'\n".encode())
    assert (secret.kind, secret.line) == ("PyPI token", 2)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    return enter_empty_project(tmp_path, monkeypatch)


def publish(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any], str]:
    code, out, err = run(capsys, "publish", "--format", "json", *argv)
    return code, (json.loads(out) if out.strip() else {}), err


def git(*argv: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *argv],
        check=True,
        capture_output=True,
    )


def test_p201_a_token_in_the_tree_rated_by_its_scope(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("deploy.cfg").write_text(f"[upload]\ntoken = {ACCOUNT}\n")
    Path("other.cfg").write_text(f"token = {PROJECT}\n")
    code, report, _err = publish(capsys)
    found = {f["location"]["path"]: f for f in report["findings"] if f["id"] == "P201"}
    assert code == 1
    assert found["deploy.cfg"]["severity"] == "critical"
    assert found["deploy.cfg"]["location"]["line"] == 2
    assert found["deploy.cfg"]["title"].startswith("a PyPI token for the whole account in")
    assert found["other.cfg"]["severity"] == "high"
    assert "for demo" in found["other.cfg"]["title"]
    Path("deploy.cfg").write_text("[upload]\n# the token lives in a secret store\n")
    Path("other.cfg").unlink()
    assert [f["id"] for f in publish(capsys)[1].get("findings", [])] == []


def test_p202_a_token_a_later_commit_deleted_is_found_once_with_its_first_commit(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    git("init", "-q")
    Path("deploy.cfg").write_text(f"token = {ACCOUNT}\n")
    git("add", "deploy.cfg")
    git("commit", "-qm", "add deploy")
    first = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True).stdout
    Path("copy.cfg").write_text(f"again = {ACCOUNT}\n")
    git("add", "copy.cfg")
    git("commit", "-qm", "copy")
    git("rm", "-q", "deploy.cfg", "copy.cfg")
    git("commit", "-qm", "remove the token")
    code, report, _err = publish(capsys)
    (finding,) = [f for f in report["findings"] if f["id"] == "P202"]
    assert code == 1 and finding["severity"] == "critical"
    assert f"commit {first.strip()[:12]}, deploy.cfg" in finding["title"]
    assert any("git history:" in line and "blobs read" in line for line in report["data_status"])


def test_p203_p204_pypirc(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = Path(os.environ["HOME"]) / ".pypirc"
    home.write_text("[distutils]\nindex-servers = pypi\n\n[pypi]\nusername = __token__\n")
    home.chmod(0o644)
    assert publish(capsys)[1].get("findings", []) == []
    home.write_text(home.read_text() + f"password = {PROJECT}\n")
    report = publish(capsys)[1]
    ids = sorted(f["id"] for f in report["findings"])
    assert ids == ["P203", "P204"]
    (password,) = [f for f in report["findings"] if f["id"] == "P203"]
    assert password["location"]["line"] == 6
    home.chmod(0o600)
    assert sorted(f["id"] for f in publish(capsys)[1]["findings"]) == ["P203"]


def test_p205_other_credentials_and_dotenv(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path(".env").write_text(f"AWS_ACCESS_KEY_ID={FAKE_AWS}\n")
    report = publish(capsys)[1]
    titles = sorted(f["title"] for f in report["findings"] if f["id"] == "P205")
    assert titles == [
        ".env is in the project's files",
        "a AWS access key ID in .env: AKIA… (20 characters)",
    ]


@pytest.mark.parametrize("report_format", ["text", "json", "sarif", "markdown"])
def test_no_report_contains_a_token(
    project: Path, capsys: pytest.CaptureFixture[str], report_format: str
) -> None:
    git("init", "-q")
    Path("deploy.cfg").write_text(f"token = {ACCOUNT}\nkey = {FAKE_AWS}\n")
    git("add", "deploy.cfg")
    git("commit", "-qm", "add")
    Path("deploy.cfg").write_text(f"other = {PROJECT}\n")
    code, out, err = run(capsys, "publish", "--format", report_format)
    assert code == 1
    for secret in (ACCOUNT, PROJECT, FAKE_AWS, ACCOUNT[20:60], PROJECT[20:60]):
        assert secret not in out and secret not in err


def test_p205_a_key_in_a_test_folder_is_rated_as_a_likely_fixture(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("tests").mkdir()
    begin = "-----BEGIN " + "PRIVATE KEY-----"  # built here, so that this file holds no key
    Path("tests/key.pem").write_text(f"{begin}\nMIIB\n")
    (finding,) = publish(capsys)[1]["findings"]
    assert (finding["severity"], finding["confidence"]) == ("medium", "medium")
    assert finding["title"].endswith("(a test fixture?)")
