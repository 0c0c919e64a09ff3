"""The seam between the audit check and where advisories come from.

An `AdvisorySource` answers one question for a batch of pinned packages: which advisories
affect each `(normalized name, PEP 440 version)`, grouped into distinct vulnerabilities, with
each one's fix versions and the package's smallest safe upgrade (`matching.PackageResult`).
Choosing that upgrade needs every advisory of the package, not only those affecting the pinned
version, so a source must look at all of them.

Implementations:

- `LocalSource` (`--source db`, the default): the SQLite store in the user cache dir, filled
  by `bastion db import` / `bastion db update`, answering from precomputed per-package indexes
  (`segments`). Never touches the network.
- A live OSV API source (`--source osv-api --osv-url URL`) is to be added as the module
  `bastion.advisories.osv_api` exposing `open_source(settings) -> AdvisorySource`:
  `POST /v1/querybatch` with the packages (no version, to get every advisory of the package),
  then `GET /v1/vulns/{id}` for each ID; each record parsed with `model.parse_record`, and per
  package `PackageAdvisory(name, VulnRecord.from_advisory(record),
  ranges.compile_affected(record entries for the package, warn))`; then
  `matching.match_package(name, version, advisories)` gives each result. `open_source` below
  imports the module by that name.

`describe()` gives what the report says about the data (`SourceStatus.line()`): the kind of
source, how many records, from where, and how old.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from bastion.errors import InputError, SourceError
from bastion.findings import Severity

if TYPE_CHECKING:
    from bastion.advisories.compiled import CompiledAffected
    from bastion.advisories.matching import PackageResult
    from bastion.advisories.model import Advisory
    from bastion.config import Settings


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


class AdvisorySource(Protocol):
    """Where advisories come from. See the module docstring."""

    def describe(self) -> SourceStatus: ...

    def audit(self, packages: Sequence[tuple[str, str]]) -> dict[tuple[str, str], PackageResult]:
        """The result for each `(normalized name, PEP 440 version)` (unknown packages may be
        left out or given an empty result)."""
        ...

    def close(self) -> None:
        """Release files or connections."""
        ...


class LocalSource:
    """The local SQLite store as an `AdvisorySource`."""

    def __init__(self, path: Path | None = None, *, brief: bool = False) -> None:
        from bastion.advisories.store import Store

        self.store = Store.open(path)
        self.brief = brief

    def describe(self) -> SourceStatus:
        info = self.store.info()
        return SourceStatus(
            kind="local database",
            location=info.source,
            records=info.records,
            packages=info.packages,
            imported_at=info.imported_at,
            newest_record=info.newest_record,
            extra={"path": str(self.store.path)},
        )

    def audit(self, packages: Sequence[tuple[str, str]]) -> dict[tuple[str, str], PackageResult]:
        return self.store.audit(packages, brief=self.brief)

    def close(self) -> None:
        self.store.close()


def open_source(settings: Settings, *, brief: bool = False) -> AdvisorySource:
    """The source the settings ask for (`source`: db or osv-api; `offline` forbids the API).

    `brief`: the caller needs no details or reference URLs (a source may still give them).
    """
    kind = settings.get("source", "db")
    if kind == "db":
        return LocalSource(brief=brief)
    if kind == "osv-api":
        if settings.get("offline", False):
            raise InputError(
                "--offline cannot be used with --source osv-api (it needs the network)"
            )
        try:
            module = importlib.import_module("bastion.advisories.osv_api")
        except ModuleNotFoundError as exc:
            if exc.name != "bastion.advisories.osv_api":
                raise
            raise SourceError(
                "--source osv-api is not available in this build; use the local database: "
                "`bastion db import PATH` or `bastion db update`"
            ) from None
        source: AdvisorySource = module.open_source(settings)
        return source
    raise InputError(f"unknown advisory source {kind!r} (expected db or osv-api)")
