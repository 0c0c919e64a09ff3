"""The one `Finding` model that every check emits and every report renders."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Severity(enum.IntEnum):
    """How bad a finding is. `UNKNOWN` ranks with `LOW` for `--fail-on` (see policy.py)."""

    UNKNOWN = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @property
    def label(self) -> str:
        return _SEVERITY_LABELS[self]  # not `self.name.lower()`: reports ask thousands of times

    @classmethod
    def parse(cls, text: str) -> Severity:
        """Parse `low`, `MODERATE` (GitHub's word for medium), `High` ..."""
        key = text.strip().upper()
        if key == "MODERATE":
            key = "MEDIUM"
        return cls[key]


class Confidence(enum.IntEnum):
    """How sure the check is that the finding is real."""

    LOW = 1
    MEDIUM = 2
    HIGH = 3

    @property
    def label(self) -> str:
        return _CONFIDENCE_LABELS[self]


# Apart per enum: Severity.LOW == Confidence.LOW (both are the int 1).
_SEVERITY_LABELS = {member: member.name.lower() for member in Severity}
_CONFIDENCE_LABELS = {member: member.name.lower() for member in Confidence}


# Hashable (findings and readers use locations as keys) but not frozen: a frozen dataclass's
# `__init__` goes through `object.__setattr__` per field, and an audit makes one per line
# read. Treat it as a value.
@dataclass(slots=True, unsafe_hash=True)
class Location:
    """A place in a file. Lines and columns are 1-based."""

    path: str
    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    snippet: str | None = None

    def __str__(self) -> str:
        if self.line is None:
            return self.path
        if self.column is None:
            return f"{self.path}:{self.line}"
        return f"{self.path}:{self.line}:{self.column}"


# Not frozen, for the same reason as `Location` (one per package of every audit).
@dataclass(slots=True, unsafe_hash=True)
class PackageRef:
    """The dependency a finding is about, and where the project declared it.

    A package version pinned in several files (a `requirements.txt` that includes
    `main.txt` and `deploy.txt`, each pinning it) is one dependency: `declared_at` is the
    first place, `also_declared_at` the others.
    """

    name: str
    version: str | None
    declared_at: Location | None = None
    also_declared_at: tuple[Location, ...] = ()
    via: tuple[str, ...] = ()
    """For a transitive dependency, who pulls it in: a package the project names first,
    then each one on the way (`("django-allauth", "requests")` for urllib3)."""

    @property
    def declarations(self) -> tuple[Location, ...]:
        """Every place the package version is declared, the first first."""
        first = (self.declared_at,) if self.declared_at is not None else ()
        return (*first, *self.also_declared_at)


@dataclass(frozen=True, slots=True)
class EvidenceStep:
    """One step of a taint path: where untrusted data is, and what happened to it there."""

    location: Location
    message: str


@dataclass(slots=True)
class Finding:
    """One problem found by one check.

    `rule_id` is stable: the advisory's primary ID for a vulnerability (all other IDs are in
    `aliases`), or the rule ID (`B602`) for code. `fingerprint` identifies the finding across
    edits (used by baselines and SARIF); checks set it when they can do better than the default.

    Not frozen: an audit builds thousands, and a frozen dataclass's `__init__` costs twice as
    much. Treat findings as values all the same: build a new one with `dataclasses.replace`.
    """

    rule_id: str
    check: str
    title: str
    severity: Severity
    confidence: Confidence = Confidence.HIGH
    location: Location | None = None
    package: PackageRef | None = None
    aliases: tuple[str, ...] = ()
    description: str = ""
    fix: str | None = None
    fix_versions: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    cwe: tuple[str, ...] = ()
    cvss_vector: str | None = None
    cvss_score: float | None = None
    evidence: tuple[EvidenceStep, ...] = ()
    fingerprint: str = ""
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def ids(self) -> tuple[str, ...]:
        """Every identifier the finding answers to: its rule ID first, then its aliases."""
        return (self.rule_id, *self.aliases)

    def sort_key(self) -> tuple[str, str, int, int, str]:
        pkg = self.package.name if self.package else ""
        path = self.location.path if self.location else ""
        line = self.location.line or 0 if self.location else 0
        return (pkg, path, line, -int(self.severity), self.rule_id)


@dataclass(slots=True)
class Diagnostic:
    """A warning about the run itself (a skipped line, a stale database), not about the project."""

    message: str
    location: Location | None = None

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message
