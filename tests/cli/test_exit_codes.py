"""Exit codes, `--fail-on` and policy exactly as the README says, for `audit` and `check`.

0: nothing at or above `--fail-on` (default low; unknown severity ranks with low); 1: findings
at or above it; 2: bad usage or input; 3: a data source failed. `bastion check` runs every
check and exits with the worst outcome; a check that finds no inputs is skipped with a
warning there, and is an error under `audit`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support.cli import enter_empty_project, import_records, run

ACME = """\
id: PYSEC-2099-100
modified: "2099-01-01T00:00:00Z"
aliases: [CVE-2099-1000]
details: Acme before 2.0 lets a remote attacker run code.
affected:
- package: {ecosystem: PyPI, name: acme}
  ranges:
  - type: ECOSYSTEM
    events: [{introduced: "0"}, {fixed: "2.0"}]
"""

WIDGET = """\
{"id": "GHSA-2099-widg-0001", "modified": "2099-01-01T00:00:00Z",
 "summary": "Widget leaks memory",
 "affected": [{"package": {"ecosystem": "PyPI", "name": "widget"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.5"}]}]}],
 "database_specific": {"severity": "MODERATE"}}
"""

NO_DATA = (
    "no advisory data ({db} does not exist): run `bastion db import PATH` (a folder of OSV "
    "records or an OSV all.zip), `bastion db update` (download OSV's PyPI data), or use "
    "`--source osv-api`"
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return enter_empty_project(tmp_path, monkeypatch)


@pytest.fixture
def database(project: Path, tmp_path: Path) -> Path:
    return import_records(
        tmp_path, {"PYSEC-2099-100.yaml": ACME, "GHSA-2099-widg-0001.json": WIDGET}
    )


def summary(out: str) -> str:
    return out.rstrip("\n").splitlines()[-1]


# --- --fail-on ------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["audit", "check"])
@pytest.mark.parametrize(
    "case",
    [
        ("acme==1.5", None, 1),  # unknown severity ranks with low, the default threshold
        ("acme==1.5", "low", 1),
        ("acme==1.5", "medium", 0),
        ("widget==1.0", "medium", 1),
        ("widget==1.0", "high", 0),
        ("acme==2.0", "low", 0),
    ],
)
def test_fail_on_decides_between_0_and_1(
    database: Path,
    capsys: pytest.CaptureFixture[str],
    command: str,
    case: tuple[str, str | None, int],
) -> None:
    pin, fail_on, code = case
    Path("requirements.txt").write_text(pin + "\n")
    argv = [command] + (["--fail-on", fail_on] if fail_on else [])
    if command == "check":
        argv += ["--checks", "audit,scan"]  # verify's own findings are its tests' business
    got, out, err = run(capsys, *argv)
    assert (got, err) == (code, "")
    threshold = fail_on or "low"
    if pin == "acme==2.0":
        assert summary(out).startswith("No findings in 1 dependency")
    elif code:
        assert summary(out).endswith(f"; fails --fail-on {threshold}.")
    else:
        assert summary(out).endswith(f"; nothing at or above --fail-on {threshold}.")


def test_fail_on_from_the_config_and_the_flag_wins(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("requirements.txt").write_text("widget==1.0\n")
    Path("pyproject.toml").write_text('[tool.bastion]\nfail-on = "high"\n')
    assert run(capsys, "audit")[0] == 0
    assert run(capsys, "audit", "--fail-on", "medium")[0] == 1


# --- bastion check runs every check ----------------------------------------------------------


def test_check_without_a_database_still_scans_and_exits_3(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("requirements.txt").write_text("acme==1.5\n")
    Path("app.py").write_text("import subprocess\nsubprocess.call(input(), shell=True)\n")
    code, out, err = run(capsys, "check", "--format", "json", "--checks", "audit,scan")
    db = tmp_path / "cache" / "advisories.sqlite3"
    assert code == 3
    assert err == f"bastion: error: audit: {NO_DATA.format(db=db)}\n"
    report = json.loads(out)
    assert report["checks"] == ["audit", "scan"]
    assert report["findings"], "the scan ran and found the shell call"
    assert {f["check"] for f in report["findings"]} == {"scan"}
    assert report["diagnostics"][0] == {
        "message": f"error: audit: {NO_DATA.format(db=db)}",
        "location": None,
    }


def test_check_text_report_says_which_check_did_not_run(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("requirements.txt").write_text("acme==1.5\n")
    Path("app.py").write_text("print('hello')\n")
    code, out, _err = run(capsys, "check", "--no-cache", "--checks", "audit,scan")
    assert code == 3
    lines = out.splitlines()
    db = tmp_path / "cache" / "advisories.sqlite3"
    errors = lines.index("Errors (1): these checks did not finish, so their findings are missing:")
    assert lines[errors + 1] == f"  audit: {NO_DATA.format(db=db)}"
    assert lines[-1] == (
        "No findings in 1 dependency, 1 file; NOT CHECKED: audit failed (see the errors above)."
    )


def test_check_writes_its_report_and_still_exits_with_the_failure(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("requirements.txt").write_text("acme==1.5\n")
    Path("app.py").write_text("print('hello')\n")
    code, out, err = run(capsys, "check", "--format", "sarif", "-o", "report.sarif")
    assert (code, out, err.count("\n")) == (3, "", 1)
    invocation = json.loads(Path("report.sarif").read_text())["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"][0]["level"] == "error"


def test_check_exits_with_the_worst_outcome_bad_input_over_findings(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("requirements.txt").write_text("acme==1.5\nflask>=>1\n")
    Path("app.py").write_text("import subprocess\nsubprocess.call(input(), shell=True)\n")
    code, out, err = run(capsys, "check", "--format", "json")
    assert code == 2
    assert err == (
        "bastion: error: audit, verify: requirements.txt:2: invalid requirement 'flask>=>1': "
        "Expected semicolon (after name with no version specifier) or end\n"
    )
    assert json.loads(out)["failed"] is True  # the scan's findings are still reported


def test_check_skips_the_audit_with_a_warning_when_there_is_nothing_to_audit(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("app.py").write_text("print('hello')\n")
    code, out, err = run(capsys, "check")
    assert (code, err) == (0, "")
    assert out.splitlines()[:2] == [
        "Warnings (1):",
        "  audit, verify skipped: .: no dependency inputs found (looked for uv.lock, poetry.lock, "
        "pylock.toml, pylock.*.toml, Pipfile.lock, requirements.txt, pyproject.toml (with "
        "dependencies), Pipfile, requirements.in); name one with -r FILE, --lock FILE or "
        "--python PATH",
    ]
    assert summary(out) == "No findings in 1 file."
    # Under `audit` the same project is an error.
    code, out, err = run(capsys, "audit")
    assert (code, out) == (2, "")
    assert err.startswith("bastion: error: .: no dependency inputs found (looked for uv.lock, ")


def test_check_with_only_unpinned_dependencies_needs_no_database(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("pyproject.toml").write_text(
        '[project]\nname = "x"\nversion = "1"\ndependencies = ["acme>=1"]\n'
    )
    code, out, err = run(capsys, "check", "--checks", "audit,scan")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "Warnings (1):",
        "  pyproject.toml:4: acme: not pinned (>=1), cannot be audited exactly; use a lock file "
        "or --resolve",
        "",
        "inputs: pyproject.toml",
        "advisories: not consulted (no pinned dependency to audit)",
        "scan: 0 files (0 analysed, 0 of them from the cache of earlier scans)",
        "No findings in 1 dependency, 0 files.",
    ]


# --- policy from [tool.bastion] -------------------------------------------------------------


def test_ignores_from_the_config_apply_until_they_expire(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("requirements.txt").write_text("acme==1.5\nwidget==1.0\n")
    Path("pyproject.toml").write_text(
        "[tool.bastion]\n"
        'fail_on = "high"\n'
        "\n"
        "[[tool.bastion.ignore]]\n"
        'id = "CVE-2099-1000"\n'
        'reason = "only reachable from the admin CLI"\n'
        'expires = "2999-01-01"\n'
        "\n"
        "[[tool.bastion.ignore]]\n"
        'id = "GHSA-2099-widg-0001"\n'
        'reason = "was fine last year"\n'
        "expires = 2000-01-01\n"
        "\n"
        "[[tool.bastion.ignore]]\n"
        'id = "PYSEC-0000-1"\n'
        'reason = "stale"\n'
    )
    code, out, err = run(capsys, "audit", "--format", "json")
    assert (code, err) == (1, "")
    report = json.loads(out)
    assert [f["id"] for f in report["findings"]] == ["GHSA-2099-widg-0001"]
    assert [(f["id"], f["ignored_by"]) for f in report["ignored"]] == [
        (
            "PYSEC-2099-100",
            {"id": "CVE-2099-1000", "reason": "only reachable from the admin CLI",
             "expires": "2999-01-01"},
        )
    ]  # fmt: skip
    assert [(d["message"], d["location"]) for d in report["diagnostics"]] == [
        (
            "[tool.bastion] fail_on: unknown key, ignored; did you mean 'fail-on'?",
            {"path": "pyproject.toml", "line": 2, "column": None, "end_line": None,
             "end_column": None, "snippet": None},
        ),
        ("ignore GHSA-2099-widg-0001 expired on 2000-01-01; it no longer applies "
         "(pyproject.toml)", None),
        ("ignore PYSEC-0000-1 matched no finding; remove it if it is no longer needed "
         "(pyproject.toml)", None),
    ]  # fmt: skip


def test_ignores_on_the_command_line_add_to_the_configs(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("requirements.txt").write_text("acme==1.5\nwidget==1.0\n")
    Path("pyproject.toml").write_text(
        '[[tool.bastion.ignore]]\nid = "PYSEC-2099-100"\nreason = "accepted"\n'
    )
    code, out, _err = run(
        capsys, "audit", "--ignore", "GHSA-2099-widg-0001:fixed upstream soon:2999-12-31"
    )
    assert code == 0
    assert "Ignored by policy (2):" in out.splitlines()
    assert "  GHSA-2099-widg-0001 widget 1.0: fixed upstream soon, until 2999-12-31" in out
    assert summary(out) == "No findings in 2 dependencies."


def test_a_cli_ignore_without_a_reason_applies_with_a_warning(
    project: Path, database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("requirements.txt").write_text("acme==1.5\n")
    code, out, _err = run(capsys, "audit", "--ignore-vuln", "PYSEC-2099-100")
    assert code == 0
    assert (
        "--ignore PYSEC-2099-100 gives no reason; write PYSEC-2099-100:REASON so that the next "
        "reader knows why it is accepted"
    ) in out
    code, _out, err = run(capsys, "audit", "--ignore", ":just because")
    assert code == 2
    assert err == "bastion: error: --ignore ':just because': expected ID[:REASON[:YYYY-MM-DD]]\n"


@pytest.mark.parametrize("flags", [("--fail-on", "none"), ("--exit-zero",)])
def test_findings_need_not_fail_the_run(
    project: Path, database: Path, capsys: pytest.CaptureFixture[str], flags: tuple[str, ...]
) -> None:
    Path("requirements.txt").write_text("acme==1.5\n")
    code, out, _err = run(capsys, "audit", *flags)
    assert code == 0
    assert summary(out).endswith("findings do not fail this run (--fail-on none or --exit-zero).")
    Path("requirements.txt").write_text("acme==1.5\n")
    code, out, _err = run(capsys, "audit", "-f", "json", *flags)
    assert json.loads(out)["fail_on"] == "none"


def test_exit_zero_does_not_hide_failed_sources(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("requirements.txt").write_text("acme==1.5\n")
    assert run(capsys, "audit", "--exit-zero")[0] == 3  # no advisory data at all


def test_strict_fails_when_a_dependency_cannot_be_audited_exactly(
    project: Path, database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("requirements.txt").write_text("widget==1.0\nloose>=1\n")
    assert run(capsys, "audit", "--fail-on", "none")[0] == 0
    code, out, _err = run(capsys, "audit", "--fail-on", "none", "--strict")
    assert code == 3
    assert (
        "audit: 1 dependency could not be audited exactly (unpinned or not PEP 440; each is "
        "named in the warnings) and --strict asks for all"
    ) in out
