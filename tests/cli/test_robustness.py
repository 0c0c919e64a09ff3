"""Bad input end to end: one clear line naming file:line and exit 2, or a warning and go on.

Every test drives `bastion.cli.main` as a user would and asserts the exact stderr and exit
code: never a traceback, never a half-written `--output` file. Inputs are written inline, in a
temporary project that is also the current directory (so messages show short paths).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from support.cli import enter_empty_project, import_records, run

NO_DATA = (
    "no advisory data ({db} does not exist): run `bastion db import PATH` (a folder of OSV "
    "records or an OSV all.zip), `bastion db update` (download OSV's PyPI data), or use "
    "`--source osv-api`"
)

# A text line, then bytes that are not UTF-8 (0x89 cannot start a character), deterministic.
GARBAGE = b"# looks like text\n" + b"\x89PNG\r\n\x1a\n\xd8\xff\x00\x13garbage\x00\xfe\n" * 8

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

WIDGET = """\
{"id": "GHSA-2099-widg-0001", "modified": "2099-01-01T00:00:00Z",
 "summary": "Widget leaks memory",
 "affected": [{"package": {"ecosystem": "PyPI", "name": "widget"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.5"}]}]}],
 "database_specific": {"severity": "MODERATE"}}
"""

# One record whose versions are not PEP 440: the bad parts are skipped, the rest is kept.
ODD_VERSIONS = """\
id: PYSEC-2099-101
modified: "2099-01-01T00:00:00Z"
details: Acme 0.9 lets anyone in.
affected:
- package: {ecosystem: PyPI, name: acme}
  ranges:
  - type: ECOSYSTEM
    events: [{introduced: "0"}, {fixed: "1.0-final-fix"}]
  versions: ["0.9", "0.9-patch-one"]
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project folder, the current directory, with its own (empty) cache dir."""
    return enter_empty_project(tmp_path, monkeypatch)


@pytest.fixture
def database(project: Path, tmp_path: Path) -> Path:
    """The advisory database holding ACME and WIDGET."""
    return import_records(
        tmp_path, {"PYSEC-2099-100.yaml": ACME, "GHSA-2099-widg-0001.json": WIDGET}
    )


def error(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    """Run, expect nothing on stdout and one line on stderr; the code and that line."""
    code, out, err = run(capsys, *argv)
    assert out == ""
    assert err.count("\n") == 1, err
    assert "Traceback" not in err
    return code, err.rstrip("\n")


# --- requirements files -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "flask>=>1",
            "invalid requirement 'flask>=>1': Expected semicolon (after name with no version "
            "specifier) or end",
        ),
        (
            "foo=1.0",
            "invalid requirement 'foo=1.0': Expected semicolon (after name with no version "
            "specifier) or end (= is not a valid operator; did you mean ==?)",
        ),
        (
            "requests[security",
            "invalid requirement 'requests[security': Expected matching RIGHT_BRACKET for "
            "LEFT_BRACKET, after extras",
        ),
        ("foo==1.0 --bogus", "no such option: --bogus"),
        ("foo==1.0 --hash=sha256:abc", "--hash=sha256:abc: not a sha256 digest (64 hex digits)"),
        (
            'foo ; python_version >>> "3"',
            "invalid marker 'python_version >>> \"3\"': Expected a marker variable or quoted "
            "string",
        ),
        (
            "-e nothing-here",
            "-e nothing-here: an editable requirement is a local project path or a VCS URL "
            "(git+https://..., hg+..., svn+..., bzr+...)",
        ),
    ],
)
def test_a_malformed_requirement_line_is_named_by_file_and_line(
    project: Path, capsys: pytest.CaptureFixture[str], line: str, message: str
) -> None:
    Path("requirements.txt").write_text(f"# pinned\nacme==1.5\n{line}\n")
    assert error(capsys, "audit") == (2, f"bastion: error: requirements.txt:3: {message}")


def test_a_requirements_file_that_includes_itself_is_a_cycle(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("requirements.txt").write_text("acme==1.5\n-r requirements.txt\n")
    assert error(capsys, "audit") == (
        2,
        "bastion: error: requirements.txt:2: include cycle: requirements.txt -> requirements.txt",
    )


def test_an_include_cycle_through_two_files_names_the_chain(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("requirements.txt").write_text("-r base.txt\n")
    Path("base.txt").write_text("acme==1.5\n\n-r requirements.txt\n")
    assert error(capsys, "audit", "-r", "requirements.txt") == (
        2,
        "bastion: error: base.txt:3: include cycle: requirements.txt -> base.txt -> "
        "requirements.txt",
    )


# --- TOML and JSON inputs ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "pyproject.toml",
            '[project]\nname = "x"\ndependencies = ["acme==1.5"\n',
            "pyproject.toml:3: not valid TOML: Unclosed array",
        ),
        (
            "pyproject.toml",
            '[project]\nname = "x"\n[tool.bastion]\nfail-on = \n',
            "pyproject.toml:4: not valid TOML: Invalid value",
        ),
        (
            "uv.lock",
            'version = 1\n[[package]]\nname = "acme"\nversion = "1.5"\n[[package\n',
            "uv.lock:5: not valid TOML: Expected ']]' at the end of an array declaration",
        ),
        (
            "poetry.lock",
            '[[package]]\nname = "acme"\nversion = "1.5\n',
            "poetry.lock:3: not valid TOML: Illegal character '\\n'",
        ),
        (
            "pylock.toml",
            'lock-version = "1.0"\ncreated-by = "x"\n[[packages]\n',
            "pylock.toml:3: not valid TOML: Expected ']]' at the end of an array declaration",
        ),
        (
            "Pipfile",
            '[packages]\nacme = "==1.5"\nflask = \n',
            "Pipfile:3: not valid TOML: Invalid value",
        ),
        (
            "Pipfile.lock",
            '{"_meta": {"pipfile-spec": 6},\n "default": {"acme": {"version": "==1.5"}}\n',
            "Pipfile.lock:3: not valid JSON: Expecting ',' delimiter (column 1)",
        ),
    ],
)
def test_a_broken_toml_or_json_input_is_named_by_file_and_line(
    project: Path, capsys: pytest.CaptureFixture[str], name: str, text: str, message: str
) -> None:
    Path(name).write_text(text)
    assert error(capsys, "audit") == (2, f"bastion: error: {message}")


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "uv.lock",
            'version = 99\n[[package]]\nname = "acme"\nversion = "1.5"\n',
            "uv.lock:1: unsupported uv.lock version 99 (bastion reads version 1)",
        ),
        (
            "poetry.lock",
            '[[package]]\nname = "acme"\nversion = "1.5"\n[metadata]\nlock-version = "9.0"\n'
            'content-hash = "x"\n',
            "poetry.lock:5: unsupported poetry.lock lock-version '9.0' (bastion reads 1.x and 2.x)",
        ),
        (
            "pylock.toml",
            'lock-version = "9.0"\ncreated-by = "x"\n[[packages]]\nname = "acme"\n'
            'version = "1.5"\n',
            "pylock.toml:1: unsupported pylock lock-version '9.0' (bastion reads 1.x)",
        ),
        (
            "Pipfile.lock",
            '{"_meta": {"pipfile-spec": 99}, "default": {"acme": {"version": "==1.5"}}}',
            "Pipfile.lock:1: unsupported pipfile-spec 99 (bastion reads pipfile-spec 6)",
        ),
    ],
)
def test_an_unknown_lock_version_is_refused_at_its_line(
    project: Path, capsys: pytest.CaptureFixture[str], name: str, text: str, message: str
) -> None:
    Path(name).write_text(text)
    assert error(capsys, "audit") == (2, f"bastion: error: {message}")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("requirements.txt", "requirements.txt:2: not valid utf-8 text: invalid start byte"),
        ("requirements.in", "requirements.in:2: not valid utf-8 text: invalid start byte"),
        ("pyproject.toml", "pyproject.toml:2: not UTF-8 text: invalid start byte at byte 18"),
        ("uv.lock", "uv.lock:2: not UTF-8 text: invalid start byte at byte 18"),
        ("poetry.lock", "poetry.lock:2: not UTF-8 text: invalid start byte at byte 18"),
        ("pylock.toml", "pylock.toml:2: not UTF-8 text: invalid start byte at byte 18"),
        ("Pipfile", "Pipfile:2: not UTF-8 text: invalid start byte at byte 18"),
        ("Pipfile.lock", "Pipfile.lock:2: not UTF-8 text: invalid start byte at byte 18"),
        ("deps.lock", "deps.lock:2: not UTF-8 text: invalid start byte at byte 18"),
    ],
)
def test_binary_garbage_as_an_input_is_one_clear_line(
    project: Path, capsys: pytest.CaptureFixture[str], name: str, message: str
) -> None:
    Path(name).write_bytes(GARBAGE)
    assert error(capsys, "audit", name) == (2, f"bastion: error: {message}")


def test_binary_garbage_as_an_interpreter_is_one_clear_line(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A bare file name in the current directory is that file, never a program found on PATH;
    # inside the project it is not run at all (bastion runs nothing of what it inspects).
    Path("python").write_bytes(GARBAGE)
    Path("python").chmod(0o755)
    code, line = error(capsys, "audit", "--python", "python")
    assert (code, line) == (
        2,
        "bastion: error: python: this interpreter lies inside the project; bastion does not "
        "run programs from what it inspects: name the environment's folder (it is read from "
        "its files) or an interpreter outside the project",
    )
    outside = tmp_path / "elsewhere" / "python"
    outside.parent.mkdir()
    outside.write_bytes(GARBAGE)
    code, line = error(capsys, "audit", "--python", str(outside))
    assert (code, line) == (
        2,
        f"bastion: error: {outside}: cannot run the interpreter: [Errno 13] Permission denied: "
        f"'{outside}'",
    )
    outside.chmod(0o755)
    code, line = error(capsys, "audit", "--python", str(outside))
    assert (code, line) == (
        2,
        f"bastion: error: {outside}: cannot run the interpreter: [Errno 8] Exec format error: "
        f"'{outside}'",
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("records.zip", "records.zip: not a folder of OSV records, an OSV zip export or an OSV "
         ".json/.yaml record"),
        ("garbage.bin", "garbage.bin: not a folder of OSV records, an OSV zip export or an OSV "
         ".json/.yaml record"),
    ],
)  # fmt: skip
def test_binary_garbage_given_to_db_import_is_one_clear_line(
    project: Path, capsys: pytest.CaptureFixture[str], name: str, message: str
) -> None:
    Path(name).write_bytes(GARBAGE)
    assert error(capsys, "db", "import", name) == (2, f"bastion: error: {message}")


def test_a_garbage_record_file_says_why_it_was_skipped_and_keeps_the_database(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = database.read_bytes()
    Path("record.json").write_bytes(GARBAGE)
    code, out, err = run(capsys, "db", "import", "record.json")
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "bastion: warning: record.json: skipped: not valid JSON: not UTF-8 (invalid start byte)",
        f"bastion: error: {Path('record.json').resolve()}: no PyPI advisories found (1 record "
        "file read, 1 skipped); the current database is unchanged",
    ]
    assert database.read_bytes() == before


# --- paths that are not there -----------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["audit", "missing"], "missing: no such file or directory"),
        (["check", "missing"], "missing: no such file or directory"),
        (["scan", "missing"], "missing: no such file or directory"),
        (["audit", "-r", "missing.txt"], "missing.txt: no such file or directory"),
        (["audit", "--lock", "missing.lock"], "missing.lock: no such file or directory"),
        (["audit", "--python", "/missing/bin/python"], "/missing/bin/python: no such file or "
         "directory"),
        (["db", "import", "missing"], "missing: no such file or directory"),
    ],
)  # fmt: skip
def test_a_path_that_does_not_exist_is_one_line_and_exit_2(
    project: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert error(capsys, *argv) == (2, f"bastion: error: {message}")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_an_unreadable_file_is_one_line_and_exit_2(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("requirements.txt", "uv.lock"):
        Path(name).write_text("acme==1.5\n" if name.endswith(".txt") else "version = 1\n")
        Path(name).chmod(0)
        assert error(capsys, "audit", name) == (
            2,
            f"bastion: error: {name}: cannot read: Permission denied",
        )


# --- the advisory database --------------------------------------------------------------


def test_no_database_is_exit_3_with_instructions(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("requirements.txt").write_text("acme==1.5\n")
    db = tmp_path / "cache" / "advisories.sqlite3"
    assert error(capsys, "audit") == (3, f"bastion: error: {NO_DATA.format(db=db)}")
    assert error(capsys, "db", "info") == (3, f"bastion: error: {NO_DATA.format(db=db)}")


def test_a_corrupt_database_is_exit_3_naming_the_file_and_the_fix(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("requirements.txt").write_text("acme==1.5\n")
    database.write_bytes(GARBAGE * 100)
    expected = (
        f"bastion: error: advisory database {database} is unreadable (file is not a "
        "database); rebuild it with `bastion db import PATH` or `bastion db update`"
    )
    assert error(capsys, "audit") == (3, expected)
    assert error(capsys, "db", "info") == (3, expected)


def test_invalid_versions_inside_advisories_are_skipped_with_a_warning_and_the_rest_audited(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records = tmp_path / "records"
    records.mkdir()
    (records / "PYSEC-2099-100.yaml").write_text(ACME)
    (records / "PYSEC-2099-101.yaml").write_text(ODD_VERSIONS)
    code, out, err = run(capsys, "db", "import", str(records))
    assert code == 0
    where = records / "PYSEC-2099-101.yaml"
    assert err.splitlines() == [
        f"bastion: warning: {where}: PYSEC-2099-101: acme: 1 listed version(s) not PEP 440 "
        "(0.9-patch-one); skipped",
        f"bastion: warning: {where}: PYSEC-2099-101: acme: fixed '1.0-final-fix' is not a PEP "
        "440 version; skipped",
    ]
    assert out.startswith("imported 2 advisories for 1 package from 2 files in ")
    Path("requirements.txt").write_text("acme==1.5\n")
    code, out, err = run(capsys, "audit", "--format", "json")
    assert (code, err) == (1, "")
    # The skipped `fixed` leaves PYSEC-2099-101's range open: more findings, never fewer.
    assert sorted(f["id"] for f in json.loads(out)["findings"]) == [
        "PYSEC-2099-100",
        "PYSEC-2099-101",
    ]


# --- --output is written whole or not at all ---------------------------------------------


@pytest.mark.parametrize("case", ["bad input", "no database"])
def test_a_failed_run_leaves_an_existing_output_file_untouched(
    project: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    Path("report.json").write_text("the previous report\n")
    Path("requirements.txt").write_text(
        "acme==1.5\nflask>=>1\n" if case == "bad input" else "acme==1.5\n"
    )
    code, _line = error(capsys, "audit", "--format", "json", "-o", "report.json")
    assert code == (2 if case == "bad input" else 3)
    assert Path("report.json").read_text() == "the previous report\n"
    assert sorted(p.name for p in project.iterdir()) == ["report.json", "requirements.txt"]


def test_an_output_path_that_cannot_be_written_is_one_line_and_exit_2(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("requirements.txt").write_text("acme==2.0\n")
    assert error(capsys, "audit", "-o", "missing/report.txt") == (
        2,
        "bastion: error: missing/report.txt: cannot write the report: No such file or directory",
    )
    Path("reports").mkdir()
    assert error(capsys, "audit", "-o", "reports") == (
        2,
        "bastion: error: reports: cannot write the report: Is a directory",
    )


def test_a_report_file_is_readable_like_any_file_the_user_writes(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("requirements.txt").write_text("acme==2.0\n")
    umask = os.umask(0o022)
    try:
        assert run(capsys, "audit", "-o", "report.txt")[0] == 0
    finally:
        os.umask(umask)
    assert Path("report.txt").stat().st_mode & 0o777 == 0o644
    Path("report.txt").chmod(0o640)
    assert run(capsys, "audit", "-o", "report.txt")[0] == 0
    assert Path("report.txt").stat().st_mode & 0o777 == 0o640  # an existing file keeps its mode
