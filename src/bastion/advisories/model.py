"""The OSV record (https://ossf.github.io/osv-schema/), as much of it as bastion uses.

Records arrive as JSON (OSV exports, the OSV API) or YAML (the PyPA advisory database).
`parse_record` turns the decoded mapping into frozen dataclasses and raises `RecordError` when
the record cannot mean anything (no id, `affected` not a list ...); a bad part that leaves the
rest meaningful (one event with two keys, a version that is not a string) is dropped and
reported through the `warn` callback. YAML timestamps (which a YAML loader turns into
datetimes) and timestamp strings alike become RFC 3339 UTC strings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bastion.inventory.model import normalize_name

Warn = Callable[[str], None]

EVENT_KINDS = ("introduced", "fixed", "last_affected", "limit")


class RecordError(ValueError):
    """A record that cannot be used at all; the importer skips it with a warning."""


@dataclass(frozen=True, slots=True)
class Event:
    """One range event: `kind` is introduced, fixed, last_affected or limit."""

    kind: str
    version: str


@dataclass(frozen=True, slots=True)
class Range:
    type: str
    events: tuple[Event, ...]
    repo: str | None = None


@dataclass(frozen=True, slots=True)
class SeverityEntry:
    """`severity[]`: `type` is CVSS_V2, CVSS_V3, CVSS_V4 or Ubuntu; `score` the vector."""

    type: str
    score: str


@dataclass(frozen=True, slots=True)
class Reference:
    type: str
    url: str


@dataclass(frozen=True, slots=True)
class Affected:
    """One `affected[]` entry. `name` is PEP 503 normalized for PyPI, as written otherwise."""

    ecosystem: str
    name: str
    purl: str | None = None
    ranges: tuple[Range, ...] = ()
    versions: tuple[str, ...] = ()
    severity: tuple[SeverityEntry, ...] = ()
    ecosystem_specific: Mapping[str, Any] = field(default_factory=dict)
    database_specific: Mapping[str, Any] = field(default_factory=dict)

    @property
    def is_pypi(self) -> bool:
        return self.ecosystem == "PyPI"

    @property
    def affected_functions(self) -> tuple[str, ...]:
        """The vulnerable symbols, where the database names them (GitHub, Go style)."""
        for table in (self.ecosystem_specific, self.database_specific):
            names = table.get("affected_functions")
            if isinstance(names, list):
                return tuple(n for n in names if isinstance(n, str))
        return ()


@dataclass(frozen=True, slots=True)
class Advisory:
    """One OSV record."""

    id: str
    modified: str = ""
    published: str | None = None
    withdrawn: str | None = None
    aliases: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    summary: str = ""
    details: str = ""
    severity: tuple[SeverityEntry, ...] = ()
    affected: tuple[Affected, ...] = ()
    references: tuple[Reference, ...] = ()
    database_specific: Mapping[str, Any] = field(default_factory=dict)
    schema_version: str | None = None

    @property
    def ids(self) -> tuple[str, ...]:
        """The record's own ID, then its aliases."""
        return (self.id, *self.aliases)

    @property
    def is_malicious(self) -> bool:
        """A known-malicious package (OpenSSF malicious-packages `MAL-` records)."""
        return any(i.upper().startswith("MAL-") for i in self.ids) or (
            "malicious-packages-origins" in self.database_specific
        )

    @property
    def cwe_ids(self) -> tuple[str, ...]:
        """CWE IDs from `database_specific.cwe_ids` (GitHub) and `affected[].database_specific
        .cwes[].cweId` (malicious-packages), sorted and without duplicates."""
        found: set[str] = set()
        top = self.database_specific.get("cwe_ids")
        if isinstance(top, list):
            found.update(c for c in top if isinstance(c, str))
        for entry in self.affected:
            cwes = entry.database_specific.get("cwes")
            if isinstance(cwes, list):
                found.update(
                    c["cweId"]
                    for c in cwes
                    if isinstance(c, Mapping) and isinstance(c.get("cweId"), str)
                )
        return tuple(sorted(found))

    @property
    def database_severity(self) -> str | None:
        """`database_specific.severity` (GitHub's LOW/MODERATE/HIGH/CRITICAL), if any."""
        value = self.database_specific.get("severity")
        return value if isinstance(value, str) and value.strip() else None

    def pypi_affected(self) -> list[Affected]:
        return [a for a in self.affected if a.is_pypi]


def parse_record(data: Any, warn: Warn | None = None) -> Advisory:
    """Build an `Advisory` from a decoded JSON/YAML mapping; raise `RecordError` if unusable."""
    say: Warn = warn or (lambda _message: None)
    if not isinstance(data, Mapping):
        raise RecordError("not an OSV record (expected a mapping at the top level)")
    ident = data.get("id")
    if not isinstance(ident, str) or not ident.strip():
        raise RecordError("record has no id")
    ident = ident.strip()
    where = ident
    affected_raw = _list(data, "affected", where)
    return Advisory(
        id=ident,
        modified=rfc3339(data.get("modified"), "modified", where) or "",
        published=rfc3339(data.get("published"), "published", where),
        withdrawn=rfc3339(data.get("withdrawn"), "withdrawn", where),
        aliases=_strings(data, "aliases", where, say),
        related=_strings(data, "related", where, say),
        summary=_text(data, "summary", where),
        details=_text(data, "details", where),
        severity=_severity(data, where, say),
        affected=tuple(
            _affected(entry, f"{where} affected[{i}]", say) for i, entry in enumerate(affected_raw)
        ),
        references=_references(data, where, say),
        database_specific=_mapping(data, "database_specific", where),
        schema_version=data.get("schema_version")
        if isinstance(data.get("schema_version"), str)
        else None,
    )


def rfc3339(value: Any, name: str = "timestamp", where: str = "") -> str | None:
    """An RFC 3339 UTC string (`2021-07-15T02:22:07.728618Z`) from a string or datetime."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise RecordError(f"{where}: {name} is not a timestamp: {value!r}") from None
    else:
        raise RecordError(f"{where}: {name} is not a timestamp: {value!r}")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    moment = moment.astimezone(dt.UTC)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond:
        text += f".{moment.microsecond:06d}"
    return text + "Z"


def _affected(entry: Any, where: str, say: Warn) -> Affected:
    if not isinstance(entry, Mapping):
        raise RecordError(f"{where}: expected a mapping")
    package = entry.get("package", {})
    if not isinstance(package, Mapping):
        raise RecordError(f"{where}: package must be a mapping")
    ecosystem = package.get("ecosystem", "")
    name = package.get("name", "")
    if not isinstance(ecosystem, str) or not isinstance(name, str):
        raise RecordError(f"{where}: package ecosystem and name must be strings")
    # "PyPI" exactly; OSV also allows "PyPI:..." suffixes for other indexes, which are not PyPI.
    if ecosystem == "PyPI":
        name = normalize_name(name.strip())
    purl = package.get("purl")
    ranges = []
    for i, raw in enumerate(_list(entry, "ranges", where)):
        parsed = _range(raw, f"{where} ranges[{i}]", say)
        if parsed is not None:
            ranges.append(parsed)
    return Affected(
        ecosystem=ecosystem,
        name=name,
        purl=purl if isinstance(purl, str) else None,
        ranges=tuple(ranges),
        versions=tuple(
            v
            for v in (
                _version_text(v, f"{where} versions", say) for v in _list(entry, "versions", where)
            )
            if v is not None
        ),
        severity=_severity(entry, where, say),
        ecosystem_specific=_mapping(entry, "ecosystem_specific", where),
        database_specific=_mapping(entry, "database_specific", where),
    )


def _range(raw: Any, where: str, say: Warn) -> Range | None:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("type"), str):
        say(f"{where}: a range needs a type; range skipped")
        return None
    events = []
    for i, event in enumerate(_list(raw, "events", where)):
        if not isinstance(event, Mapping) or len(event) != 1:
            say(f"{where} events[{i}]: an event must have exactly one key; event skipped")
            continue
        ((kind, value),) = event.items()
        if kind not in EVENT_KINDS:
            say(f"{where} events[{i}]: unknown event {kind!r}; event skipped")
            continue
        text = _version_text(value, f"{where} events[{i}]", say)
        if text is not None:
            events.append(Event(kind, text))
    repo = raw.get("repo")
    return Range(raw["type"], tuple(events), repo if isinstance(repo, str) else None)


def _version_text(value: Any, where: str, say: Warn) -> str | None:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    say(f"{where}: version {value!r} is not a string; skipped")
    return None


def _severity(data: Mapping[str, Any], where: str, say: Warn) -> tuple[SeverityEntry, ...]:
    entries = []
    for raw in _list(data, "severity", where):
        if (
            isinstance(raw, Mapping)
            and isinstance(raw.get("type"), str)
            and isinstance(raw.get("score"), str)
        ):
            entries.append(SeverityEntry(raw["type"], raw["score"].strip()))
        else:
            say(f"{where}: a severity entry needs a type and a score; skipped")
    return tuple(entries)


def _references(data: Mapping[str, Any], where: str, say: Warn) -> tuple[Reference, ...]:
    refs = []
    for raw in _list(data, "references", where):
        if isinstance(raw, Mapping) and isinstance(raw.get("url"), str):
            kind = raw.get("type")
            refs.append(Reference(kind if isinstance(kind, str) else "WEB", raw["url"].strip()))
        else:
            say(f"{where}: a reference needs a url; skipped")
    return tuple(refs)


def _strings(data: Mapping[str, Any], key: str, where: str, say: Warn) -> tuple[str, ...]:
    values = []
    for value in _list(data, key, where):
        if isinstance(value, str) and value.strip():
            values.append(value.strip())
        else:
            say(f"{where}: {key} entry {value!r} is not a string; skipped")
    return tuple(values)


def _list(data: Mapping[str, Any], key: str, where: str) -> list[Any]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise RecordError(f"{where}: {key} must be a list")
    return value


def _mapping(data: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise RecordError(f"{where}: {key} must be a mapping")
    return value


def _text(data: Mapping[str, Any], key: str, where: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RecordError(f"{where}: {key} must be a string")
    return value
