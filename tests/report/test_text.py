from __future__ import annotations

from bastion.report import RunResult, render


def test_text_groups_by_package_worst_first_with_all_ids_and_fix(result: RunResult) -> None:
    text = render("text", result, color=False)
    lines = text.splitlines()
    assert lines[0] == "django 3.2.0  (requirements.txt:3): 2 findings"
    assert lines[1] == "  fix: upgrade django to 3.2.25 (fixes all 2 findings for django)"
    assert (
        lines[2] == "  CRITICAL GHSA-aaaa-bbbb-cccc  Problem GHSA-aaaa-bbbb-cccc  (fixed in 3.2.4)"
    )
    assert lines[3].strip() == "also: CVE-2021-1111, PYSEC-2021-9"
    assert lines[4].startswith("  MEDIUM   GHSA-dddd-eeee-ffff")


def test_text_shows_code_findings_with_taint_path(result: RunResult) -> None:
    text = render("text", result, color=False)
    assert "app.py\n" in text
    assert "    12:5  HIGH     B602  subprocess call with shell=True  [confidence: high]" in text
    assert "↳ line 8: request.args is untrusted" in text
    assert "↳ line 12: reaches subprocess.run(shell=True)" in text


def test_text_reports_ignores_warnings_data_and_summary(result: RunResult) -> None:
    lines = render("text", result, color=False).splitlines()
    assert "  PYSEC-2021-1 django 3.2.0: not reachable, until 2027-01-01" in lines
    assert "  requirements.txt:3: requests: not pinned (>=2), cannot be audited exactly" in lines
    assert "advisories: local database, 3 records" in lines
    assert lines[-1] == (
        "3 findings in 7 dependencies (1 critical, 1 high, 1 medium); fails --fail-on low."
    )


def test_text_has_no_escape_codes_without_color_and_has_them_with(result: RunResult) -> None:
    assert "\033[" not in render("text", result, color=False)
    assert "\033[1;35mCRITICAL" in render("text", result, color=True)


def test_text_without_findings_is_one_quiet_line() -> None:
    empty = RunResult(command="audit", stats={"dependencies": 3})
    assert render("text", empty, color=False) == "No findings in 3 dependencies.\n"


def test_text_counts_are_singular_or_plural_with_thousands_separators(
    result: RunResult,
) -> None:
    one = RunResult(command="check", stats={"dependencies": 1, "files": 1, "suppressed": 2})
    assert render("text", one, color=False) == (
        "No findings in 1 dependency, 1 file (2 suppressed).\n"
    )
    one.findings = [result.findings[0]]
    assert render("text", one, color=False).splitlines()[-1] == (
        "1 finding in 1 dependency, 1 file (1 critical, 2 suppressed); nothing at or above "
        "--fail-on low."
    )
    many = result.findings[0]
    big = RunResult(
        command="audit", findings=[many] * 1554, stats={"dependencies": 1200}, failed=True
    )
    assert render("text", big, color=False).splitlines()[-1] == (
        "1,554 findings in 1,200 dependencies (1,554 critical); fails --fail-on low."
    )


def test_text_names_the_inputs_and_says_when_a_check_did_not_finish() -> None:
    failed = RunResult(
        command="check",
        inputs=["uv.lock", "pyproject.toml"],
        data_status=["scan: 3 files"],
        stats={"files": 3},
        errors=["audit: no advisory data (run `bastion db update`)"],
    )
    assert render("text", failed, color=False).splitlines() == [
        "Errors (1): these checks did not finish, so their findings are missing:",
        "  audit: no advisory data (run `bastion db update`)",
        "",
        "inputs: uv.lock, pyproject.toml",
        "scan: 3 files",
        "No findings in 3 files; NOT CHECKED: audit failed (see the errors above).",
    ]
