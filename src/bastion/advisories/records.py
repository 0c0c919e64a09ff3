"""The values advisory sources, the store and the audit exchange: records, results, status.

Kept apart from every module that produces or consumes them (`source`, `local`, `store`,
`writer`, `grouping`, `matching`, `osv_api`, the audit check), so that none of those imports
another only for a type, and the package has no import cycle (a test walks every import).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bastion.errors import SourceError
from bastion.findings import Severity

if TYPE_CHECKING:
    from bastion.advisories.compiled import CompiledAffected
    from bastion.advisories.model import Advisory


HOW_TO_GET_DATA = (
    "run `bastion db import PATH` (a folder of OSV records or an OSV all.zip), "
    "`bastion db update` (download OSV's PyPI data), or use `--source osv-api`"
)


class NoAdvisoryData(SourceError):
    """No advisory data is available at all (exit 3; `--allow-partial` goes on without)."""


@dataclass(slots=True)
class VulnRecord:
    """What a report needs of one advisory record, rated once when it was stored.

    Not frozen only because an audit builds thousands of these and frozen construction costs
    six times as much; treat it as immutable. `store._record` passes the fields by position:
    keep their order.
    """

    id: str
    aliases: tuple[str, ...] = ()
    summary: str = ""
    details: str = ""
    title: str = ""  # the summary, else a headline from the details (`titles.title_of`)
    severity: Severity = Severity.UNKNOWN
    score: float | None = None
    vector: str | None = None
    advisory_urls: tuple[str, ...] = ()
    other_urls: tuple[str, ...] = ()
    cwe: tuple[str, ...] = ()
    published: str | None = None
    modified: str = ""
    malicious: bool = False

    @property
    def ids(self) -> tuple[str, ...]:
        return (self.id, *self.aliases)

    @property
    def references(self) -> tuple[str, ...]:
        """Reference URLs, `ADVISORY` ones first."""
        return (*self.advisory_urls, *self.other_urls)

    @classmethod
    def from_advisory(cls, advisory: Advisory) -> VulnRecord:
        """Rate and condense an OSV record (imports `cvss` when the record has a vector)."""
        from bastion.advisories.severity import rate_advisory
        from bastion.advisories.titles import title_of

        rating = rate_advisory(advisory)
        advisories = dict.fromkeys(r.url for r in advisory.references if r.type == "ADVISORY")
        others = dict.fromkeys(
            r.url for r in advisory.references if r.type != "ADVISORY" and r.url not in advisories
        )
        return cls(
            id=advisory.id,
            aliases=tuple(dict.fromkeys(a for a in advisory.aliases if a != advisory.id)),
            summary=advisory.summary.strip(),
            details=advisory.details.strip(),
            title=title_of(advisory.summary.strip(), advisory.details.strip()),
            severity=rating.severity,
            score=rating.score,
            vector=rating.vector,
            advisory_urls=tuple(advisories),
            other_urls=tuple(others),
            cwe=advisory.cwe_ids,
            published=advisory.published,
            modified=advisory.modified,
            malicious=advisory.is_malicious,
        )


# No `__eq__`: nothing compares these, and each generated method costs start-up time.
@dataclass(slots=True, eq=False)
class PackageAdvisory:
    """One record as it applies to one package: the record and the versions it affects.

    Not frozen for speed, like `VulnRecord`; treat it as immutable.
    """

    name: str
    record: VulnRecord
    affected: CompiledAffected
    affected_functions: tuple[str, ...] = ()


# Not frozen: it cannot be hashed anyway (`extra` is a dict), and a frozen dataclass costs
# more start-up time.
@dataclass(slots=True)
class SourceStatus:
    """Where the data comes from and how fresh it is."""

    kind: str
    location: str
    records: int | None = None
    packages: int | None = None
    imported_at: dt.datetime | None = None
    newest_record: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def age(self, now: dt.datetime | None = None) -> dt.timedelta | None:
        if self.imported_at is None:
            return None
        return (now or dt.datetime.now(dt.UTC)) - self.imported_at

    def line(self, now: dt.datetime | None = None) -> str:
        """`advisories: local database, 2,660 records from /path (imported 3 days ago)`."""
        parts = [f"advisories: {self.kind}"]
        if self.records is not None:
            parts.append(f", {self.records:,} records")
        parts.append(f" from {self.location}")
        notes = []
        age = self.age(now)
        if age is not None:
            notes.append(f"imported {describe_age(age)}")
        if self.newest_record:
            notes.append(f"newest record {self.newest_record[:10]}")
        if notes:
            parts.append(f" ({'; '.join(notes)})")
        return "".join(parts)


def describe_age(age: dt.timedelta) -> str:
    """`just now`, `5 minutes ago`, `3 hours ago`, `1 day ago`, `12 days ago`."""
    seconds = max(int(age.total_seconds()), 0)
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''} ago"
    return "just now"


@dataclass(slots=True)
class Group:
    """Records about one vulnerability, the primary first."""

    records: tuple[VulnRecord, ...]

    @property
    def primary(self) -> VulnRecord:
        return self.records[0]

    @property
    def aliases(self) -> tuple[str, ...]:
        """Every ID of every record but the primary's, sorted."""
        primary = self.records[0]
        if len(self.records) == 1:
            return tuple(sorted(set(primary.aliases) - {primary.id}))
        ids = {i for r in self.records for i in r.ids}
        ids.discard(primary.id)
        return tuple(sorted(ids))


@dataclass(slots=True)
class Vulnerability:
    """One distinct vulnerability affecting the installed version."""

    group: Group
    fix_versions: tuple[str, ...]
    affected_functions: tuple[str, ...] = ()


@dataclass(slots=True)
class PackageResult:
    """The audit of one pinned package: its vulnerabilities and the smallest safe upgrade."""

    name: str
    version: str
    vulnerabilities: tuple[Vulnerability, ...]
    upgrade: str | None
