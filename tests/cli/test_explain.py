"""`bastion explain ID`: any check's rule, an advisory from the local database, or a list."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.cli import enter_empty_project, run

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "advisories"


def test_a_scan_rule_is_explained_as_scan_explains_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    enter_empty_project(tmp_path, monkeypatch)
    code, out, err = run(capsys, "explain", "B602")
    assert (code, err) == (0, "")
    assert out.startswith("B602  subprocess_popen_with_shell_equals_true\n")
    assert run(capsys, "scan", "--explain", "B602") == (0, out, "")
    assert run(capsys, "explain", "subprocess_popen_with_shell_equals_true")[1] == out


def test_an_advisory_is_explained_from_the_local_database_by_any_alias(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bastion.advisories.importer import import_path

    enter_empty_project(tmp_path, monkeypatch)
    import_path(FIXTURES / "records", [])
    code, out, err = run(capsys, "explain", "GHSA-aaaa-bbbb-cccc")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[:2] == ["GHSA-aaaa-bbbb-cccc  (advisory)", "Path traversal in demo"]
    assert "Severity: high   CVSS: 7.5 (CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N)" in lines
    assert "Also known as: CVE-2099-0001" in lines
    assert "Packages: demo" in lines
    assert "  https://example.org/advisories/GHSA-aaaa-bbbb-cccc" in lines
    # An alias finds a record that lists it; the case of the ID does not matter.
    assert run(capsys, "explain", "cve-2099-0001")[1].splitlines()[0].endswith("(advisory)")
    assert run(capsys, "explain", "mal-2099-1")[1].startswith(
        "MAL-2099-1  (known-malicious package)\n"
    )


def test_an_unknown_id_is_bad_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    enter_empty_project(tmp_path, monkeypatch)
    code, out, err = run(capsys, "explain", "B999")
    assert (code, out) == (2, "")
    assert err == (
        "bastion: error: unknown rule or advisory 'B999'; `bastion explain` lists the rules\n"
    )


def test_an_advisory_id_without_data_says_where_advisories_come_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    enter_empty_project(tmp_path, monkeypatch)
    code, _out, err = run(capsys, "explain", "PYSEC-2099-1")
    assert code == 3
    assert "no advisory data" in err and "bastion db import" in err


def test_without_an_id_every_rule_of_every_check_is_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    enter_empty_project(tmp_path, monkeypatch)
    code, out, _err = run(capsys, "explain")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "NAME", "CHECK", "SEVERITY", "CONFIDENCE", "CWE"]
    assert any(
        line.split()[:3] == ["B602", "subprocess_popen_with_shell_equals_true", "scan"]
        for line in lines[1:-2]
    )
    assert lines[-1].startswith("131 rules.")
