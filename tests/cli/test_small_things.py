"""The small things peers' users expect: report format from `-o`'s name, rules as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support.cli import enter_empty_project, run


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = enter_empty_project(tmp_path, monkeypatch)
    (folder / "app.py").write_text("import os\nos.system(cmd)\n")
    return folder


@pytest.mark.parametrize(
    ("name", "starts"),
    [
        ("out.sarif", b'{"$schema":"https://json.schemastore.org/sarif-2.1.0.json"'),
        ("out.sarif.json", b'{"$schema":"https://json.schemastore.org/sarif-2.1.0.json"'),
        ("out.json", b'{"schema_version":'),
        ("out.md", b"## bastion scan"),
        ("out.txt", b"app.py"),
        ("out.log", b"app.py"),  # an unknown suffix: the default, text
    ],
)
def test_the_output_files_name_picks_the_format(
    project: Path, capsys: pytest.CaptureFixture[str], name: str, starts: bytes
) -> None:
    run(capsys, "scan", "-o", name)
    assert (project / name).read_bytes().startswith(starts)


def test_format_and_the_config_win_over_the_name(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "scan", "-o", "out.sarif", "--format", "json")
    assert (project / "out.sarif").read_bytes().startswith(b'{"schema_version":')
    (project / "pyproject.toml").write_text('[tool.bastion]\nformat = "markdown"\n')
    run(capsys, "scan", "-o", "out.json")
    assert (project / "out.json").read_bytes().startswith(b"## bastion scan")


def test_list_rules_honours_format_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "scan", "--list-rules", "--format", "json")
    assert code == 0
    rules = json.loads(out)["rules"]
    assert len(rules) == 75
    b602 = next(r for r in rules if r["id"] == "B602")
    assert b602["name"] == "subprocess_popen_with_shell_equals_true"
    assert (b602["severity"], b602["confidence"], b602["cwe"]) == ("high", "high", "CWE-78")


def test_context_lines_around_a_finding(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "app.py").write_text("import os\n\ncmd = input()\nos.system(cmd)\nprint('done')\n")
    _code, out, _err = run(capsys, "scan", "-n", "1", "--no-cache")
    assert "    3 cmd = input()\n" in out
    assert "    4 os.system(cmd)\n" in out
    assert "    5 print('done')\n" in out
    _code, out, _err = run(capsys, "scan", "--no-cache")
    assert "    3 cmd = input()" not in out
