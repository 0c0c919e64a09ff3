"""Baselines: match by rule, file and fingerprint; by count; bandit reports accepted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bastion.code.baseline import apply_baseline, load_baseline, write_baseline
from bastion.errors import InputError
from bastion.findings import Finding, Location, Severity


def finding(rule_id: str, fingerprint: str, line: int = 1) -> Finding:
    return Finding(
        rule_id=rule_id,
        check="scan",
        title="t",
        severity=Severity.LOW,
        location=Location("src/a.py", line),
        fingerprint=fingerprint,
    )


def test_round_trip_and_count_based_matching(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    old = [finding("B101", "f1", 3), finding("B602", "f2", 9)]
    assert write_baseline(path, old, ["src/a.py", "src/a.py"]) == 2
    baseline = load_baseline(path)
    assert len(baseline) == 2
    now = [finding("B101", "f1", 30), finding("B101", "f1", 31), finding("B602", "f3", 9)]
    kept, matched = apply_baseline(now, ["src/a.py"] * 3, baseline)
    assert matched == 1
    assert [(f.rule_id, f.location.line if f.location else 0) for f in kept] == [
        ("B101", 31),
        ("B602", 9),
    ]
    other_file, matched = apply_baseline(old[:1], ["src/b.py"], baseline)
    assert (len(other_file), matched) == (1, 0)


def test_bandit_json_reports_match_by_rule_and_file(tmp_path: Path) -> None:
    path = tmp_path / "bandit.json"
    path.write_text(
        json.dumps(
            {
                "results": [
                    {"test_id": "B602", "filename": "./src/a.py", "line_number": 4},
                    {"test_id": "B101", "filename": "src/a.py", "line_number": 7},
                ]
            }
        )
    )
    now = [finding("B602", "x", 40), finding("B602", "y", 41), finding("B101", "z", 70)]
    kept, matched = apply_baseline(now, ["src/a.py"] * 3, load_baseline(path))
    assert matched == 2
    assert [f.location.line if f.location else 0 for f in kept] == [41]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[1, 2]",
            "not a baseline: expected one written by --write-baseline or a bandit JSON report",
        ),
        (
            '{"format": "bastion-scan-baseline", "findings": [{"rule_id": "B1"}]}',
            "baseline entry needs rule_id, path and fingerprint",
        ),
        (
            '{"format": "bastion-scan-baseline", "findings": 3}',
            "baseline findings must be a list of objects",
        ),
    ],
)
def test_bad_baselines_are_input_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "b.json"
    path.write_text(text)
    with pytest.raises(InputError) as error:
        load_baseline(path)
    assert error.value.reason == message
    assert error.value.path == str(path)


def test_missing_baseline(tmp_path: Path) -> None:
    with pytest.raises(InputError) as error:
        load_baseline(tmp_path / "nope.json")
    assert error.value.reason == "baseline file not found"
