"""A scan that could not read files is no pass: exit 3 unless --allow-partial, in every format."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from support.cli import enter_empty_project, run

NEW_SYNTAX = "class Box[T]:\n    item: T\n\ntype Pair = tuple[int, int]\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = enter_empty_project(tmp_path, monkeypatch)
    (folder / "pyproject.toml").write_text('[project]\nname = "p"\nrequires-python = ">=3.12"\n')
    (folder / "ok.py").write_text("import os\nos.system(cmd)\n")
    (folder / "broken.py").write_text("def broken(:\n")
    return folder


def test_files_that_do_not_parse_make_the_scan_incomplete(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = run(capsys, "scan", "--no-cache")
    assert code == 3
    assert "Incomplete (1): not everything was read" in out
    assert "scan: 1 file not analysed (1 did not parse; each is named in the warnings)" in out
    assert "broken.py:1: does not parse" in out
    assert out.rstrip().endswith("INCOMPLETE (see above).")
    assert "B605" in out  # the other files' findings are still reported

    code, out, _err = run(capsys, "scan", "--no-cache", "-f", "json")
    assert code == 3
    assert json.loads(out)["incomplete"] == [
        "scan: 1 file not analysed (1 did not parse; each is named in the warnings)"
    ]
    code, out, _err = run(capsys, "scan", "--no-cache", "-f", "sarif")
    invocation = json.loads(out)["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert any(
        "not analysed" in n["message"]["text"] for n in invocation["toolExecutionNotifications"]
    )
    code, out, _err = run(capsys, "scan", "--no-cache", "-f", "markdown")
    assert "### Incomplete" in out

    code, out, _err = run(capsys, "scan", "--no-cache", "--allow-partial")
    assert code == 1  # the findings decide again
    assert "(--allow-partial)" in out


def test_a_cached_unparsable_file_still_counts(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "scan")[0] == 3
    code, out, _err = run(capsys, "scan")  # second run: broken.py's result comes from the cache
    assert code == 3
    assert "1 file not analysed" in out


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="this Python parses 3.12 syntax")
def test_newer_syntax_than_the_running_python_says_how_to_scan_it(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "broken.py").unlink()
    (project / "generic.py").write_text(NEW_SYNTAX)
    code, out, _err = run(capsys, "scan", "--no-cache")
    assert code == 3
    running = f"{sys.version_info[0]}.{sys.version_info[1]}"
    assert (
        f"generic.py:1: does not parse: invalid syntax with Python {running}'s grammar, and the "
        "project requires Python >=3.12; run bastion on Python 3.12 or newer to scan it"
    ) in out
