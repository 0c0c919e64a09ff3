"""Writing the local advisory database: build a new file beside the live one, then swap.

`StoreWriter` builds the database in a temporary file in the same folder (starting from a copy
of the current one for incremental updates), rebuilds the per-package indexes of the packages
whose advisories changed, and moves the file into place with `os.replace`: an interrupted or
failed import leaves the previous database as it was. Kept apart from `store` so that an audit,
which only reads, does not load any of this.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from bastion.advisories.records import VulnRecord
from bastion.advisories.store import (
    SCHEMA,
    SCHEMA_VERSION,
    Store,
    StoreInfo,
    default_path,
    info_from_meta,
    joined,
    split,
)

if TYPE_CHECKING:
    from bastion.advisories.model import Advisory, Affected, Warn


@dataclass(slots=True)
class WriteStats:
    """What a writer did with the records it was given."""

    stored: int = 0
    withdrawn: int = 0
    not_pypi: int = 0
    older: int = 0
    removed: int = 0


class StoreWriter:
    """Builds a new database beside the live one and swaps it in on `commit()`.

    `base`: start from a copy of this database (incremental update) instead of an empty one.
    Use as a context manager: leaving the block by an exception discards the new file.
    """

    def __init__(self, path: Path | None = None, *, base: Path | None = None) -> None:
        import shutil
        import tempfile

        from bastion.fsutil import remove_stale_temporaries

        self.path = path or default_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(self.path)  # builds of killed runs (see fsutil)
        fd, name = tempfile.mkstemp(
            prefix=f".{self.path.name}.{os.getpid()}.", suffix=".tmp", dir=self.path.parent
        )
        os.close(fd)
        self._tmp = Path(name)
        self.stats = WriteStats()
        self._dirty: set[str] = set()  # packages whose index must be rebuilt
        try:
            if base is not None:
                Store.open(base).close()  # refuse to build on a corrupt or foreign file
                shutil.copyfile(base, self._tmp)
            self._db = sqlite3.connect(self._tmp, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=OFF")
            self._db.execute("PRAGMA synchronous=OFF")
            self._db.executescript(SCHEMA)
            self._db.execute("BEGIN")
            self._modified: dict[str, dt.datetime] = {
                ident: _moment(modified)
                for ident, modified in self._db.execute("SELECT id, modified FROM vulns")
            }
        except BaseException:
            self._tmp.unlink(missing_ok=True)
            raise

    def __enter__(self) -> StoreWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if kind is not None:
            self.abort()

    def add(self, advisory: Advisory, warn: Warn) -> bool:
        """Store (or replace) one record; withdrawn or non-PyPI records remove any old copy.

        When the same ID comes twice, the copy with the later `modified` wins.
        """
        from bastion.advisories.ranges import compile_affected

        entries = advisory.pypi_affected()
        if advisory.withdrawn or not entries:
            if advisory.withdrawn:
                self.stats.withdrawn += 1
            else:
                self.stats.not_pypi += 1
            if advisory.id in self._modified:
                self.remove(advisory.id)
            return False
        known = self._modified.get(advisory.id)
        moment = _moment(advisory.modified)
        if known is not None:
            if known > moment:
                self.stats.older += 1
                return False
            self._delete(advisory.id)
        record = VulnRecord.from_advisory(advisory)
        by_name: dict[str, list[Affected]] = {}
        for entry in entries:
            by_name.setdefault(entry.name, []).append(entry)
        rows = []
        for name, named in by_name.items():
            compiled = compile_affected(named, warn, f"{advisory.id}: {name}")
            functions = sorted({f for e in named for f in e.affected_functions})
            rows.append((name, advisory.id, *compiled.encode(), joined(functions)))
        self._dirty.update(by_name)
        self._db.execute(
            "INSERT INTO vulns VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                record.id,
                record.modified,
                record.published,
                record.summary,
                record.details,
                record.title,
                int(record.severity),
                record.score,
                record.vector,
                int(record.malicious),
                joined(record.aliases),
                joined(record.advisory_urls),
                joined(record.other_urls),
                joined(record.cwe),
            ),
        )
        self._db.executemany("INSERT INTO affected VALUES (?,?,?,?,?,?)", rows)
        self._modified[advisory.id] = moment
        self.stats.stored += 1
        return True

    def remove(self, ident: str) -> None:
        """Drop a record (withdrawn upstream, or gone from the source)."""
        if ident in self._modified:
            self._delete(ident)
            del self._modified[ident]
            self.stats.removed += 1

    def _delete(self, ident: str) -> None:
        names = self._db.execute("SELECT name FROM affected WHERE vuln_id = ?", (ident,))
        self._dirty.update(name for (name,) in names)
        self._db.execute("DELETE FROM affected WHERE vuln_id = ?", (ident,))
        self._db.execute("DELETE FROM vulns WHERE id = ?", (ident,))

    def commit(self, source: str, now: dt.datetime | None = None) -> StoreInfo:
        """Write `meta`, then atomically replace the live database with the new one."""
        try:
            self._index_packages()
            records = self._db.execute("SELECT COUNT(*) FROM vulns").fetchone()[0]
            packages = self._db.execute("SELECT COUNT(DISTINCT name) FROM affected").fetchone()[0]
            newest = max(self._modified.values(), default=None)
            imported = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
            meta = {
                "schema_version": str(SCHEMA_VERSION),
                "source": source,
                "imported_at": imported.isoformat(),
                "records": str(records),
                "packages": str(packages),
                "newest_record": newest.strftime("%Y-%m-%dT%H:%M:%SZ") if newest else "",
            }
            self._db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", meta.items())
            self._db.execute("COMMIT")
            self._db.execute("VACUUM")
            self._db.close()
            with open(self._tmp, "rb") as handle:
                os.fsync(handle.fileno())
            os.replace(self._tmp, self.path)
        except BaseException:
            self.abort()
            raise
        return info_from_meta(self.path, meta)

    def _index_packages(self) -> None:
        """Rebuild the `packages` row of every package whose advisories changed."""
        from bastion.advisories.compiled import CompiledAffected
        from bastion.advisories.segments import PackageIndex

        for name in sorted(self._dirty):
            rows = self._db.execute(
                "SELECT a.vuln_id, v.aliases, v.published, a.bounds, a.versions, a.fixes,"
                " a.functions FROM affected a JOIN vulns v ON v.id = a.vuln_id WHERE a.name = ?",
                (name,),
            ).fetchall()
            if not rows:
                self._db.execute("DELETE FROM packages WHERE name = ?", (name,))
                continue
            # Grouping reads only these fields of a record.
            index = PackageIndex.build(
                [
                    (
                        VulnRecord(ident, aliases=split(aliases), published=published),
                        CompiledAffected.decode(bounds, versions, fixes),
                        split(functions),
                    )
                    for ident, aliases, published, bounds, versions, fixes, functions in rows
                ]
            )
            self._db.execute(
                "INSERT OR REPLACE INTO packages VALUES (?,?,?,?,?,?,?)", (name, *index.encode())
            )
        self._dirty.clear()

    def abort(self) -> None:
        """Discard the new database; the live one stays as it was."""
        with suppress(sqlite3.Error):
            self._db.close()
        self._tmp.unlink(missing_ok=True)


def _moment(text: str) -> dt.datetime:
    """A record's `modified` as an aware datetime (the oldest possible when missing)."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return dt.datetime.min.replace(tzinfo=dt.UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
