"""Whole scans: filters, counts, parallel workers, baselines, and the `bastion scan` command."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from bastion.cli import main
from bastion.code import runner
from bastion.code.runner import run_scan
from bastion.code.settings import ScanSettings

VULNERABLE = """\
import subprocess
import sys


def run(command):
    return subprocess.run(command, shell=True)


def main():
    run("echo " + sys.argv[1])
    subprocess.run("ls -l", shell=True)  # nosec
    assert sys.argv
"""

TEST_FILE = """\
def test_something():
    assert 1 + 1 == 2
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "tool.py").write_text(VULNERABLE)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_tool.py").write_text(TEST_FILE)
    (tmp_path / "broken.py").write_text("def broken(:\n")
    return tmp_path


def settings(tmp_path: Path, **changes: object) -> ScanSettings:
    base = ScanSettings(cache_dir=tmp_path / "cache", jobs=1)
    return replace(base, **changes)  # type: ignore[arg-type]


def summary(result: runner.ScanResult) -> list[tuple[str, str, int]]:
    return [
        (rel, f.rule_id, f.location.line or 0 if f.location else 0)
        for f, rel in zip(result.findings, result.relpaths, strict=True)
    ]


def test_scan_reports_findings_counts_suppressions_and_skips(project: Path) -> None:
    result = run_scan(project, settings(project), project)
    assert summary(result) == [
        ("pkg/tool.py", "B404", 1),
        ("pkg/tool.py", "B602", 6),
        ("pkg/tool.py", "B101", 12),
    ]
    b602 = result.findings[1]
    assert [(e.location.line, e.message) for e in b602.evidence] == [
        (10, "command-line arguments (sys.argv)"),
        (10, "passed to run() as `command`"),
        (5, "parameter `command` of run()"),
        (6, "reaches the sink"),
    ]
    stats = result.stats
    assert (stats.files, stats.analysed, stats.cached, stats.suppressed) == (3, 3, 0, 2)
    assert stats.skipped_by_path == 1  # B101 in tests/
    assert [str(d) for d in result.diagnostics] == [
        f"{(project / 'broken.py').as_posix()}:1: does not parse: invalid syntax; file not scanned",
        "2 findings suppressed by `# nosec` or `# bastion: ignore` comments",
    ]


def test_filters_select_skip_thresholds_and_per_path(project: Path) -> None:
    only = run_scan(project, settings(project, select=frozenset({"B602"})), project)
    assert [f.rule_id for f in only.findings] == ["B602"]
    skipped = run_scan(project, settings(project, skip=frozenset({"B404", "B101"})), project)
    assert [f.rule_id for f in skipped.findings] == ["B602"]
    from bastion.findings import Severity

    high = run_scan(project, settings(project, severity_threshold=Severity.HIGH), project)
    assert [f.rule_id for f in high.findings] == ["B602"]
    assert high.stats.below_threshold == 2
    everywhere = run_scan(project, settings(project, per_path_skips=()), project)
    assert [
        (rel, f.rule_id) for f, rel in zip(everywhere.findings, everywhere.relpaths, strict=True)
    ][-1] == (
        "tests/test_tool.py",
        "B101",
    )


def test_parallel_workers_give_the_same_result(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for index in range(12):
        (project / "pkg" / f"copy{index}.py").write_text(VULNERABLE)
    serial = run_scan(project, settings(project, cache=False, jobs=1), project)
    monkeypatch.setattr(runner, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(runner, "PARALLEL_MIN_FILES", 0)
    parallel = run_scan(project, settings(project, cache=False, jobs=2), project)
    assert parallel.stats.jobs == 2
    assert serial.stats.jobs == 1
    assert parallel.findings == serial.findings
    assert [str(d) for d in parallel.diagnostics] == [str(d) for d in serial.diagnostics]


def test_baseline_written_then_applied_survives_edits_above(project: Path) -> None:
    from bastion.code.baseline import write_baseline

    first = run_scan(project, settings(project), project)
    baseline = project / "baseline.json"
    write_baseline(baseline, first.findings, first.relpaths)
    tool = project / "pkg" / "tool.py"
    tool.write_text("# a new header comment\n\n" + VULNERABLE + "eval(sys.argv[2])\n")
    again = run_scan(project, settings(project, baseline=baseline), project)
    assert summary(again) == [("pkg/tool.py", "B307", 15)]
    assert again.stats.baselined == 3
    assert str(again.diagnostics[-1]) == f"3 findings already in the baseline {baseline}"


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_scan_json_and_exit_codes(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BASTION_CACHE_DIR", str(project / "cache"))
    code, out, _ = run_cli(["scan", str(project), "-f", "json"], capsys)
    assert code == 3  # broken.py did not parse: a scan that could not read a file is no pass
    assert json.loads(out)["incomplete"] == [
        "scan: 1 file not analysed (1 did not parse; each is named in the warnings)"
    ]
    code, out, _ = run_cli(["scan", str(project), "-f", "json", "--allow-partial"], capsys)
    assert code == 1
    report = json.loads(out)
    assert [(f["id"], f["location"]["line"]) for f in report["findings"]] == [
        ("B404", 1),
        ("B602", 6),
        ("B101", 12),
    ]
    assert report["findings"][1]["confidence"] == "high"
    assert len(report["findings"][1]["evidence"]) == 4
    code, out, _ = run_cli(
        [
            "scan",
            str(project),
            "-f",
            "json",
            "--severity-threshold",
            "high",
            "--fail-on",
            "high",
            "--allow-partial",
        ],
        capsys,
    )
    assert code == 1
    code, _, _ = run_cli(
        ["scan", str(project), "--skip", "B602", "--fail-on", "high", "--allow-partial"], capsys
    )
    assert code == 0


def test_cli_write_baseline_then_use_it(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BASTION_CACHE_DIR", str(project / "cache"))
    baseline = project / "base.json"
    (project / "broken.py").unlink()
    code, _, _ = run_cli(
        ["scan", str(project), "-f", "json", "--write-baseline", str(baseline)], capsys
    )
    assert code == 0  # what was just written to the baseline is accepted
    document = json.loads(baseline.read_text())
    assert document["format"] == "bastion-scan-baseline"
    assert [(e["rule_id"], e["path"], e["line"]) for e in document["findings"]] == [
        ("B404", "pkg/tool.py", 1),
        ("B602", "pkg/tool.py", 6),
        ("B101", "pkg/tool.py", 12),
    ]
    code, out, _ = run_cli(
        ["scan", str(project), "-f", "json", "--baseline", str(baseline)], capsys
    )
    assert code == 0
    assert json.loads(out)["findings"] == []


def test_cli_list_rules_and_explain(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["scan", "--list-rules"], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "NAME", "SEVERITY", "CONFIDENCE", "CWE"]
    b602 = next(line for line in lines if line.startswith("B602 "))
    assert b602.split() == [
        "B602",
        "subprocess_popen_with_shell_equals_true",
        "high",
        "high",
        "CWE-78",
    ]
    code, out, _ = run_cli(["scan", "--explain", "b602"], capsys)
    assert code == 0
    text = out.splitlines()
    assert text[0] == "B602  subprocess_popen_with_shell_equals_true"
    assert text[3] == (
        "Severity: high   Confidence: high   CWE: CWE-78 "
        "(https://cwe.mitre.org/data/definitions/78.html)"
    )
    assert "What it does" in text
    assert "Use instead" in text
    code, _, err = run_cli(["scan", "--explain", "B999"], capsys)
    assert code == 2
    assert err.strip().splitlines() == [
        "bastion: error: unknown rule 'B999'; `bastion scan --list-rules` lists the rules"
    ]


def test_cli_bad_baseline_is_one_line_exit_2(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BASTION_CACHE_DIR", str(project / "cache"))
    bad = project / "bad.json"
    bad.write_text("{\n  not json\n")
    code, _, err = run_cli(["scan", str(project), "--baseline", str(bad)], capsys)
    assert code == 2
    assert err.strip().splitlines() == [
        f"bastion: error: {bad}:2: baseline is not valid JSON: "
        "Expecting property name enclosed in double quotes"
    ]


def _die(chunk: object) -> list[str]:
    import os

    os._exit(3)


def test_a_dead_worker_does_not_lose_results(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for index in range(6):
        (project / "pkg" / f"copy{index}.py").write_text(VULNERABLE)
    serial = run_scan(project, settings(project, cache=False, jobs=1), project)
    monkeypatch.setattr(runner, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(runner, "PARALLEL_MIN_FILES", 0)
    monkeypatch.setattr(runner, "_worker_chunk", _die)
    rescued = run_scan(project, settings(project, cache=False, jobs=2), project)
    assert rescued.findings == serial.findings


def test_unknown_rule_ids_in_the_settings_are_reported(project: Path) -> None:
    result = run_scan(project, settings(project, skip=frozenset({"B999", "B101"})), project)
    assert str(result.diagnostics[0]) == (
        "unknown rule ID in the scan settings: B999; `bastion scan --list-rules` lists the rules"
    )


def test_an_unreadable_folder_is_reported_and_counted(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    real_scandir = os.scandir
    blocked = str(project / "pkg")

    def scandir(path: str) -> object:
        if os.fspath(path) == blocked:
            raise PermissionError(13, "Permission denied", blocked)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = run_scan(project, settings(project, cache=False), project)
    assert result.stats.unreadable == 1
    assert [str(d) for d in result.diagnostics if "cannot read folder" in str(d)] == [
        f"{blocked}: cannot read folder: Permission denied; not scanned"
    ]
    assert all(rel != "pkg/tool.py" for rel in result.relpaths)


def test_a_file_too_large_to_parse_safely_is_not_scanned_and_says_so(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "MAX_SOURCE_BYTES", 100)
    result = run_scan(project, settings(project, cache=False), project)
    assert result.stats.unreadable == 1  # pkg/tool.py (the others are smaller)
    assert any(
        str(d).endswith("pkg/tool.py: larger than 0 MB; not scanned") for d in result.diagnostics
    ), [str(d) for d in result.diagnostics]
