"""How bad an advisory is: a CVSS base score and rating, or the database's own word.

Order of preference, per record:

1. A CVSS vector (record-level `severity[]`, else the PyPI `affected[].severity[]`): the base
   score is computed with the `cvss` library, v4 preferred over v3.x when a record has both (the
   newer standard, and what GitHub shows first). The rating uses the CVSS bands: 0.1-3.9 low,
   4.0-6.9 medium, 7.0-8.9 high, 9.0-10.0 critical. A score of 0.0 (CVSS "none") is rated
   LOW, not dropped: the record still says this version is affected, and bastion has no
   "none" severity; LOW keeps it visible at the default `--fail-on low`.
2. `database_specific.severity` (GitHub's LOW / MODERATE / HIGH / CRITICAL).
3. `Severity.UNKNOWN`.

Known-malicious packages (`MAL-` records) are always CRITICAL, whatever their data says.

This runs when records are imported, never during an audit: the store keeps the rating, score
and vector, so auditing does not import `cvss`.
"""

from __future__ import annotations

from dataclasses import dataclass

from bastion.advisories.model import Advisory, SeverityEntry
from bastion.findings import Severity


@dataclass(frozen=True, slots=True)
class Rating:
    severity: Severity
    score: float | None = None
    vector: str | None = None


_PREFERENCE = ("CVSS_V4", "CVSS_V3")


def rate_score(score: float) -> Severity:
    """The CVSS qualitative rating of a base score (0.0, CVSS "none", counts as LOW)."""
    if score >= 9.0:
        return Severity.CRITICAL
    if score >= 7.0:
        return Severity.HIGH
    if score >= 4.0:
        return Severity.MEDIUM
    return Severity.LOW


def cvss_base_score(kind: str, vector: str) -> float | None:
    """The base score of a CVSS_V3 or CVSS_V4 vector, or None when it does not parse."""
    from cvss import CVSS3, CVSS4
    from cvss.exceptions import CVSSError

    try:
        if kind == "CVSS_V4":
            return float(CVSS4(vector).base_score)
        if kind == "CVSS_V3":
            return float(CVSS3(vector).scores()[0])
    except (CVSSError, ValueError, KeyError, IndexError, TypeError):
        return None
    return None


def rate_advisory(advisory: Advisory) -> Rating:
    """The rating of one record, by the order of preference in this module's docstring."""
    if advisory.is_malicious:
        best = _from_vectors(_entries(advisory))
        return Rating(
            Severity.CRITICAL, best.score if best else None, best.vector if best else None
        )
    best = _from_vectors(_entries(advisory))
    if best is not None:
        return best
    word = advisory.database_severity
    if word:
        try:
            return Rating(Severity.parse(word))
        except KeyError:
            pass
    return Rating(Severity.UNKNOWN)


def _entries(advisory: Advisory) -> list[SeverityEntry]:
    if advisory.severity:
        return list(advisory.severity)
    return [s for a in advisory.pypi_affected() for s in a.severity]


def _from_vectors(entries: list[SeverityEntry]) -> Rating | None:
    for kind in _PREFERENCE:
        for entry in entries:
            if entry.type != kind:
                continue
            score = cvss_base_score(kind, entry.score)
            if score is not None:
                return Rating(rate_score(score), score, entry.score)
    return None
