from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bastion.errors import InputError
from bastion.findings import Finding, Severity
from bastion.policy import Ignore, apply, fails, parse_cli_ignore, parse_ignores

TODAY = dt.date(2026, 11, 25)


def finding(rule_id: str, *aliases: str, severity: Severity = Severity.HIGH) -> Finding:
    return Finding(rule_id=rule_id, check="audit", title="t", severity=severity, aliases=aliases)


def test_an_ignore_matches_any_alias_case_insensitively() -> None:
    found = finding("GHSA-aaaa", "CVE-2021-1", "PYSEC-2021-2")
    outcome = apply([found], [Ignore("cve-2021-1", "not reachable")], TODAY)
    assert outcome.active == []
    assert [(f.rule_id, i.reason) for f, i in outcome.ignored] == [("GHSA-aaaa", "not reachable")]
    assert outcome.diagnostics == []


def test_an_expired_ignore_stops_applying_and_says_so() -> None:
    found = finding("GHSA-aaaa")
    ignore = Ignore("GHSA-aaaa", "waiting for upstream", dt.date(2026, 11, 24), "pyproject.toml")
    outcome = apply([found], [ignore], TODAY)
    assert outcome.active == [found]
    assert [str(d) for d in outcome.diagnostics] == [
        "ignore GHSA-aaaa expired on 2026-11-24; it no longer applies (pyproject.toml)"
    ]


def test_an_ignore_expiring_today_still_applies() -> None:
    outcome = apply([finding("X-1")], [Ignore("X-1", "r", TODAY)], TODAY)
    assert outcome.active == []


def test_an_unused_ignore_is_reported() -> None:
    outcome = apply([finding("GHSA-aaaa")], [Ignore("GHSA-zzzz", "old", None, "--ignore")], TODAY)
    assert len(outcome.active) == 1
    assert [str(d) for d in outcome.diagnostics] == [
        "ignore GHSA-zzzz matched no finding; remove it if it is no longer needed (--ignore)"
    ]


def test_config_ignores_require_a_reason_and_name_the_line(tmp_path: Path) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text('[tool.bastion]\nfail-on = "high"\n\n[[tool.bastion.ignore]]\nid = "X-1"\n')
    with pytest.raises(InputError) as error:
        parse_ignores([{"id": "X-1"}], config)
    assert str(error.value) == f"{config}:4: ignore X-1: a reason is required"


def test_config_ignores_parse_dates_from_toml_and_strings() -> None:
    ignores = parse_ignores(
        [
            {"id": "A", "reason": "r", "expires": dt.date(2027, 1, 2)},
            {"id": "B", "reason": "r", "expires": "2027-03-04"},
        ],
        None,
    )
    assert [i.expires for i in ignores] == [dt.date(2027, 1, 2), dt.date(2027, 3, 4)]


def test_a_bad_expiry_is_an_input_error() -> None:
    with pytest.raises(InputError, match="expires must be a date"):
        parse_ignores([{"id": "A", "reason": "r", "expires": "next week"}], None)


def test_cli_ignore_syntax() -> None:
    assert parse_cli_ignore("GHSA-1:accepted: see ticket 12") == Ignore(
        "GHSA-1", "accepted: see ticket 12", None, "--ignore"
    )
    assert parse_cli_ignore("B101:tests only:2027-01-01").expires == dt.date(2027, 1, 1)
    # On the command line a reason is asked for, not required (pip-audit's --ignore-vuln ID).
    assert parse_cli_ignore("GHSA-1").reason == "no reason given"
    with pytest.raises(InputError, match="expected ID"):
        parse_cli_ignore(":why")


@pytest.mark.parametrize(
    ("severities", "fail_on", "expected"),
    [
        ([Severity.LOW], Severity.LOW, True),
        ([Severity.UNKNOWN], Severity.LOW, True),
        ([Severity.UNKNOWN], Severity.MEDIUM, False),
        ([Severity.MEDIUM], Severity.HIGH, False),
        ([Severity.MEDIUM, Severity.CRITICAL], Severity.CRITICAL, True),
        ([], Severity.LOW, False),
    ],
)
def test_fail_on_threshold(severities: list[Severity], fail_on: Severity, expected: bool) -> None:
    assert fails([finding("X", severity=s) for s in severities], fail_on) is expected


def test_a_config_ignore_error_names_the_line_of_its_own_entry(tmp_path: Path) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text(
        '[[tool.bastion.ignore]]\nid = "A-1"\nreason = "fine"\n\n'
        '[[ tool.bastion.ignore ]]\nid = "B-2"\nexpires = 2027-01-01\n'
    )
    with pytest.raises(InputError) as error:
        parse_ignores([{"id": "A-1", "reason": "fine"}, {"id": "B-2"}], config)
    assert str(error.value) == f"{config}:5: ignore B-2: a reason is required"
