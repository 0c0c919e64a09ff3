"""The local advisory database: one SQLite file in the user cache dir.

Location: `$BASTION_CACHE_DIR/advisories.sqlite3`, else `platformdirs.user_cache_dir("bastion")`.

Layout (schema version `SCHEMA_VERSION`, kept in `meta` with the source, import time, record
and package counts and the newest record's `modified`):

- `vulns`: one row per record, with what a report needs already computed (severity, CVSS score
  and vector, advisory and other reference URLs, CWE IDs, aliases).
- `affected`: one row per (normalized package name, record): the record's
  `compiled.CompiledAffected` for that package (version-key intervals, listed versions the
  ranges miss, fix candidates) and its affected functions. `lookup()` reads it.
- `packages`: one row per package, its `segments.PackageIndex` (records already grouped into
  vulnerabilities per version segment), rebuilt from `affected` by the writer.
  `package_indexes()` reads it for the local source (`local.LocalSource`): an audit is two
  indexed queries (the packages, then the records that affect them) and string comparisons;
  it never parses a range boundary, groups records or imports cvss.

This module stores and reads; matching pins against what it reads is `local`'s job.

Writes never touch the live file (see `writer.StoreWriter`). A file that is not a readable
database of this schema raises `SourceError` naming the commands that rebuild it.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from bastion.advisories.records import HOW_TO_GET_DATA, NoAdvisoryData, PackageAdvisory, VulnRecord
from bastion.errors import SourceError
from bastion.findings import Severity

if TYPE_CHECKING:
    from bastion.advisories.segments import PackageIndex

SCHEMA_VERSION = 3
FILENAME = "advisories.sqlite3"
REBUILD_HINT = "rebuild it with `bastion db import PATH` or `bastion db update`"
MMAP_BYTES = 1 << 30  # more than a database of all of OSV's PyPI records needs

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS vulns (
    id TEXT PRIMARY KEY,
    modified TEXT NOT NULL,
    published TEXT,
    summary TEXT NOT NULL,
    details TEXT NOT NULL,
    title TEXT NOT NULL,
    severity INTEGER NOT NULL,
    score REAL,
    vector TEXT,
    malicious INTEGER NOT NULL,
    -- lists joined by LIST_SEP (no JSON: decoding it per record cost more than the query)
    aliases TEXT NOT NULL,
    advisory_refs TEXT NOT NULL,
    refs TEXT NOT NULL,
    cwe TEXT NOT NULL
);
-- Every column but the long texts (details, reference URLs): brief reports read records from
-- this index alone (`_BRIEF_RECORDS`), which is faster than reaching into the table's rows.
CREATE INDEX IF NOT EXISTS vulns_brief ON vulns (
    id, modified, published, summary, title, severity, score, vector, malicious, aliases, cwe
);
CREATE TABLE IF NOT EXISTS affected (
    name TEXT NOT NULL,
    vuln_id TEXT NOT NULL,
    -- compiled.CompiledAffected.encode(), and the affected functions joined by LIST_SEP
    bounds TEXT NOT NULL,
    versions TEXT NOT NULL,
    fixes TEXT NOT NULL,
    functions TEXT NOT NULL,
    PRIMARY KEY (name, vuln_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS affected_by_vuln ON affected (vuln_id);
CREATE TABLE IF NOT EXISTS packages (
    name TEXT PRIMARY KEY,
    -- segments.PackageIndex.encode(): what an audit reads, one row per package
    ids TEXT NOT NULL,
    cuts TEXT NOT NULL,
    segments TEXT NOT NULL,
    fixes TEXT NOT NULL,
    functions TEXT NOT NULL,
    clean TEXT NOT NULL
) WITHOUT ROWID;
"""

_LOOKUP = (
    "SELECT a.name, a.bounds, a.versions, a.fixes, a.functions, v.id, v.modified, v.published,"
    " v.summary, v.details, v.title, v.severity, v.score, v.vector, v.malicious, v.aliases,"
    " v.advisory_refs, v.refs, v.cwe"
    " FROM affected a JOIN vulns v ON v.id = a.vuln_id WHERE a.name IN"
)

LIST_SEP = "\x1f"  # ASCII unit separator: never part of an ID, URL or CWE
_SEVERITIES = {int(s): s for s in Severity}

_PACKAGES = "SELECT name, ids, cuts, segments, fixes, functions, clean FROM packages WHERE name IN"

# SQLite's historical limit on parameters per statement is 999.
_BATCH = 900
_RECORDS = (
    "SELECT id, modified, published, summary, details, title, severity, score, vector, malicious,"
    " aliases, advisory_refs, refs, cwe FROM vulns WHERE id IN"
)
# The same columns, without the long texts (details, reference URLs) that brief reports skip.
# SQLite would pick the primary key's index and then read each row; `vulns_brief` covers the
# query, which saves about a quarter of its time.
_BRIEF_RECORDS = (
    "SELECT id, modified, published, summary, '', title, severity, score, vector, malicious,"
    " aliases, '', '', cwe FROM vulns INDEXED BY vulns_brief WHERE id IN"
)


def _batches(items: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(items), _BATCH):
        yield items[start : start + _BATCH]


def default_path() -> Path:
    """Where the database lives: `$BASTION_CACHE_DIR` or the platform's user cache dir."""
    override = os.environ.get("BASTION_CACHE_DIR")
    if override:
        return Path(override) / FILENAME
    import platformdirs

    return Path(platformdirs.user_cache_dir("bastion")) / FILENAME


# Not frozen: nothing hashes it, and a frozen dataclass costs more start-up time.
@dataclass(slots=True)
class StoreInfo:
    """The `meta` table: what is in the database and where it came from."""

    path: Path
    schema: int
    source: str
    imported_at: dt.datetime | None
    records: int
    packages: int
    newest_record: str | None


def _unreadable(path: Path, exc: BaseException) -> SourceError:
    return SourceError(f"advisory database {path} is unreadable ({exc}); {REBUILD_HINT}")


class Store:
    """Read access to the database. Open with `Store.open()`."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._db = connection
        self._info: StoreInfo | None = None

    @classmethod
    def open(cls, path: Path | None = None) -> Store:
        """Open the database read-only; `NoAdvisoryData` if there is none, `SourceError` if
        it is corrupt or of another schema version."""
        target = path or default_path()
        if not target.is_file():
            raise NoAdvisoryData(f"no advisory data ({target} does not exist): {HOW_TO_GET_DATA}")
        # immutable: the file is never changed in place (writers replace it), so skip locking.
        uri = f"file:{quote(str(target.resolve()))}?mode=ro&immutable=1"
        try:
            connection = sqlite3.connect(uri, uri=True)
            # Map the file rather than read it page by page (hundreds of system calls for an
            # audit). Safe for the same reason: writers replace the file, never shrink it.
            connection.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
        except sqlite3.Error as exc:
            raise _unreadable(target, exc) from None
        store = cls(target, connection)
        store.info()  # validates the file and its schema version
        return store

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        try:
            yield self._db
        except (sqlite3.Error, ValueError, TypeError, KeyError) as exc:
            raise _unreadable(self.path, exc) from None

    def info(self) -> StoreInfo:
        if self._info is None:
            with self._reading() as db:
                meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
            self._info = info_from_meta(self.path, meta)
        return self._info

    def lookup(self, names: Iterable[str]) -> dict[str, list[PackageAdvisory]]:
        """Every advisory of each name (normalized), in one indexed query per 900 names."""
        from bastion.advisories.compiled import CompiledAffected

        decode = CompiledAffected.decode
        wanted = list(dict.fromkeys(names))
        result: dict[str, list[PackageAdvisory]] = {name: [] for name in wanted}
        records: dict[str, VulnRecord] = {}
        with self._reading() as db:
            for start in range(0, len(wanted), _BATCH):
                batch = wanted[start : start + _BATCH]
                marks = ",".join("?" * len(batch))
                sql = f"{_LOOKUP} ({marks})"  # only "?" placeholders are added
                for row in db.execute(sql, batch):
                    record = records.get(row[5])
                    if record is None:
                        record = records[row[5]] = _record(row[5:])
                    result[row[0]].append(
                        PackageAdvisory(
                            row[0], record, decode(row[1], row[2], row[3]), split(row[4])
                        )
                    )
        return result

    def package_indexes(self, names: Iterable[str]) -> dict[str, PackageIndex]:
        """The precomputed `segments.PackageIndex` of each name that has advisories."""
        from bastion.advisories.segments import PackageIndex

        indexes: dict[str, PackageIndex] = {}
        with self._reading() as db:
            for batch in _batches(list(dict.fromkeys(names))):
                sql = f"{_PACKAGES} ({','.join('?' * len(batch))})"  # "?" placeholders only
                for row in db.execute(sql, batch):
                    indexes[row[0]] = PackageIndex.decode(row[1:])
        return indexes

    def records(self, ids: Iterable[str], *, brief: bool = False) -> dict[str, VulnRecord]:
        """The records with these IDs (those that exist). `brief` leaves `details` and the
        reference URLs empty: they are most of the bytes read, and a report that prints
        neither (text, Markdown) is faster without them."""
        found: dict[str, VulnRecord] = {}
        query = _BRIEF_RECORDS if brief else _RECORDS
        with self._reading() as db:
            for batch in _batches(list(ids)):
                sql = f"{query} ({','.join('?' * len(batch))})"  # "?" placeholders only
                for row in db.execute(sql, batch):
                    found[row[0]] = _record(row)
        return found

    def find(self, ident: str) -> tuple[VulnRecord, tuple[str, ...]] | None:
        """The record whose ID (any case) or one of whose aliases is `ident`, and the packages
        it affects; None when no record answers to it."""
        wanted = ident.strip()
        with self._reading() as db:
            row = db.execute(f"{_RECORDS} (?)", [wanted]).fetchone()
            if row is None:
                candidates = db.execute(
                    f"{_RECORDS.rsplit(' WHERE', 1)[0]} WHERE id = ? COLLATE NOCASE"
                    " OR instr(upper(aliases), upper(?)) > 0 ORDER BY id",
                    [wanted, wanted],
                ).fetchall()
                row = next(
                    (
                        r
                        for r in candidates
                        if r[0].upper() == wanted.upper()
                        or wanted.upper() in (a.upper() for a in split(r[10]))
                    ),
                    None,
                )
            if row is None:
                return None
            names = db.execute(
                "SELECT name FROM affected WHERE vuln_id = ? ORDER BY name", [row[0]]
            ).fetchall()
        return _record(row), tuple(name for (name,) in names)

    def modified_times(self) -> dict[str, str]:
        """`modified` of every record by ID (for incremental updates)."""
        with self._reading() as db:
            return dict(db.execute("SELECT id, modified FROM vulns").fetchall())


def joined(values: Iterable[str]) -> str:
    """Strings joined by `LIST_SEP` (the stored form of a list)."""
    return LIST_SEP.join(v.replace(LIST_SEP, "") for v in values)


def split(text: str) -> tuple[str, ...]:
    """The inverse of `joined`."""
    return tuple(text.split(LIST_SEP)) if text else ()


def _record(row: tuple[Any, ...]) -> VulnRecord:
    """A record from `_LOOKUP`'s columns from `v.id` on (splits inlined: runs per record)."""
    ident, modified, published, summary, details, title, severity, score, vector = row[:9]
    malicious, aliases, advisory_refs, refs, cwe = row[9:14]
    # Positional, in field order: keywords made this call twice as slow, 1,700 times an audit.
    return VulnRecord(
        ident,
        tuple(aliases.split(LIST_SEP)) if aliases else (),
        summary,
        details,
        title,
        _SEVERITIES[severity],
        score,
        vector,
        tuple(advisory_refs.split(LIST_SEP)) if advisory_refs else (),
        tuple(refs.split(LIST_SEP)) if refs else (),
        tuple(cwe.split(LIST_SEP)) if cwe else (),
        published,
        modified,
        bool(malicious),
    )


def info_from_meta(path: Path, meta: dict[str, str]) -> StoreInfo:
    try:
        schema = int(meta["schema_version"])
    except (KeyError, ValueError):
        raise SourceError(
            f"advisory database {path} has no schema version (not a bastion database?); "
            f"{REBUILD_HINT}"
        ) from None
    if schema != SCHEMA_VERSION:
        raise SourceError(
            f"advisory database {path} has schema version {schema}, this bastion reads "
            f"{SCHEMA_VERSION}; {REBUILD_HINT}"
        )
    imported = meta.get("imported_at")
    return StoreInfo(
        path=path,
        schema=schema,
        source=meta.get("source", "unknown"),
        imported_at=dt.datetime.fromisoformat(imported) if imported else None,
        records=int(meta.get("records", "0")),
        packages=int(meta.get("packages", "0")),
        newest_record=meta.get("newest_record") or None,
    )
