"""Ratings: CVSS v4 over v3, then the database's word, then unknown; MAL is critical."""

from __future__ import annotations

import pytest

from bastion.advisories.model import Advisory, SeverityEntry, parse_record
from bastion.advisories.severity import rate_advisory, rate_score
from bastion.findings import Severity

V3 = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L"  # 5.3
V4 = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"  # 9.3


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (0.0, Severity.LOW),
        (0.1, Severity.LOW),
        (3.9, Severity.LOW),
        (4.0, Severity.MEDIUM),
        (6.9, Severity.MEDIUM),
        (7.0, Severity.HIGH),
        (8.9, Severity.HIGH),
        (9.0, Severity.CRITICAL),
        (10.0, Severity.CRITICAL),
    ],
)
def test_cvss_bands(score: float, expected: Severity) -> None:
    assert rate_score(score) == expected


def test_v3_vector_is_scored() -> None:
    rating = rate_advisory(Advisory("X", severity=(SeverityEntry("CVSS_V3", V3),)))
    assert (rating.severity, rating.score, rating.vector) == (Severity.MEDIUM, 5.3, V3)


def test_v4_is_preferred_over_v3() -> None:
    advisory = Advisory("X", severity=(SeverityEntry("CVSS_V3", V3), SeverityEntry("CVSS_V4", V4)))
    rating = rate_advisory(advisory)
    assert (rating.severity, rating.score, rating.vector) == (Severity.CRITICAL, 9.3, V4)


def test_broken_vector_falls_back_to_the_database_word() -> None:
    advisory = Advisory(
        "X",
        severity=(SeverityEntry("CVSS_V3", "CVSS:3.1/AV:N"),),
        database_specific={"severity": "MODERATE"},
    )
    assert rate_advisory(advisory).severity == Severity.MEDIUM
    assert rate_advisory(advisory).score is None


def test_package_level_severity_is_used_when_the_record_has_none() -> None:
    record = parse_record(
        {
            "id": "X",
            "affected": [
                {
                    "package": {"ecosystem": "PyPI", "name": "a"},
                    "severity": [{"type": "CVSS_V3", "score": V3}],
                }
            ],
        }
    )
    assert rate_advisory(record).score == 5.3


def test_unknown_without_data_and_critical_for_malware() -> None:
    assert rate_advisory(Advisory("PYSEC-1")).severity == Severity.UNKNOWN
    assert rate_advisory(Advisory("X", database_specific={"severity": "weird"})).severity == (
        Severity.UNKNOWN
    )
    assert rate_advisory(Advisory("MAL-2099-1")).severity == Severity.CRITICAL
