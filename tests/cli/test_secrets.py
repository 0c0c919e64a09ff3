"""Credentials in URLs never reach output: reports of every format, warnings, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from bastion.cli import main
from bastion.redact import redact

SECRETS = ("s3cret", "hunter2", "ghp_abc123", "glpat-xyz", "pypi-AgEIcHlwaS5vcmc", "carolpw")

REQUIREMENTS = """\
--index-url https://user:s3cret@private.example.com/simple
--extra-index-url https://__token__:pypi-AgEIcHlwaS5vcmc@pypi.example.com/simple
acme==1.5
foo @ https://bob:hunter2@files.example.com/foo-1.0-py3-none-any.whl
bar @ git+https://ghp_abc123@github.com/org/bar.git
https://alice:hunter2@files.example.com/pkgs/unknownthing
-e git+https://ghp_abc123@github.com/org/baz.git
git+https://oauth2:glpat-xyz@gitlab.com/org/qux.git
-r https://carol:carolpw@example.com/more.txt
baz==1.0 --index-url https://dave:s3cret@x.example.com
"""

ACME = """\
id: PYSEC-2099-100
modified: "2099-01-01T00:00:00Z"
details: Acme before 2.0 lets a remote attacker run code.
affected:
- package: {ecosystem: PyPI, name: acme}
  ranges:
  - type: ECOSYSTEM
    events: [{introduced: "0"}, {fixed: "2.0"}]
"""


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("https://user:tok@host/simple", "https://***@host/simple"),
        (
            "--index-url https://__token__:pypi-x@host/simple/",
            "--index-url https://***@host/simple/",
        ),
        ("'git+https://ghp_x@github.com/o/r.git'", "'git+https://***@github.com/o/r.git'"),
        ('"https://u:p@ss@host/x"', '"https://***@host/x"'),  # an unescaped @ in the password
        ("ssh://git@github.com/o/r", "ssh://***@github.com/o/r"),
        ("https://host/path@v1 and a@b.example", "https://host/path@v1 and a@b.example"),
        ("no URL here", "no URL here"),
    ],
)
def test_redact_hides_the_user_info_of_every_url(text: str, shown: str) -> None:
    assert redact(text) == shown


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from bastion.advisories.importer import import_path

    monkeypatch.setenv("BASTION_CACHE_DIR", str(tmp_path / "cache"))
    records = tmp_path / "records"
    records.mkdir()
    (records / "PYSEC-2099-100.yaml").write_text(ACME)
    import_path(records, [])
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "requirements.txt").write_text(REQUIREMENTS)
    monkeypatch.chdir(folder)
    return folder


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "sarif"])
def test_no_report_format_shows_credentials_from_requirements(
    project: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    code = main(["audit", "--format", fmt])
    out, err = capsys.readouterr()
    assert code == 1
    assert "PYSEC-2099-100" in out
    assert "https://***@files.example.com/pkgs/unknownthing" in out  # warnings still say where
    assert "-r https://***@example.com/more.txt" in out
    for secret in SECRETS:
        assert secret not in out + err, secret


def test_a_report_file_shows_no_credentials(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "--format", "json", "-o", "report.json"]) == 1
    text = Path("report.json").read_text()
    assert "git+https://***@gitlab.com/org/qux.git" in text
    assert not [s for s in SECRETS if s in text]


def test_an_error_line_shows_no_credentials(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("requirements.txt").write_text("bad-name!! @ https://user:s3cret@host/x.whl\n")
    assert main(["audit"]) == 2
    assert capsys.readouterr().err == (
        "bastion: error: requirements.txt:1: invalid requirement 'bad-name!! @ "
        "https://***@host/x.whl': Expected semicolon (after name with no version specifier) "
        "or end\n"
    )


def test_check_error_lines_show_no_credentials(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("requirements.txt").write_text("bad-name!! @ https://user:s3cret@host/x.whl\n")
    assert main(["check"]) == 2
    out, err = capsys.readouterr()
    assert "s3cret" not in out + err
    assert err.startswith("bastion: error: audit, verify: requirements.txt:1: invalid requirement ")


def test_db_update_errors_show_no_credentials(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = "https://user:s3cret@osv.example/PyPI"
    assert main(["db", "update", "--offline", "--osv-export-url", url]) == 3
    assert capsys.readouterr().err == (
        "bastion: error: offline: not fetching https://***@osv.example/PyPI/all.zip "
        "(--offline forbids network access)\n"
    )


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "sarif"])
def test_data_status_and_diagnostics_are_redacted_in_every_format(
    capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    from bastion.commands.common import write_report
    from bastion.config import Settings
    from bastion.findings import Diagnostic
    from bastion.report import RunResult

    result = RunResult(
        command="audit",
        data_status=["advisories: OSV API at https://user:s3cret@osv.example (live)"],
        diagnostics=[Diagnostic("index https://__token__:hunter2@pypi.example/simple")],
        errors=["audit: GET https://user:s3cret@osv.example/v1/querybatch: 500"],
    )
    settings = Settings(values={"format": fmt, "color": "never", "output": None})
    write_report(settings, result)
    out = capsys.readouterr().out
    assert "https://***@osv.example" in out
    assert "s3cret" not in out
    assert "hunter2" not in out
