"""The scan cache: per-file results keyed by content, so unchanged files are not analysed again.

A key is the SHA-256 of the configuration id (bastion's version, a digest of the analyzer and
rule code) and of the file's project-relative path and bytes. Results are stored as compact
JSON in SQLite under `platformdirs.user_cache_dir("bastion")` (`BASTION_CACHE_DIR`
overrides). Nothing is ever unpickled. A cache that cannot be opened or read is ignored (and
rebuilt when possible): the scan then simply analyses everything. Entries unused for 30 days
are dropped when the cache is written.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
import time
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

SCHEMA = 1
_KEEP_DAYS = 30


def default_cache_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("bastion"))


@lru_cache(maxsize=4)
def config_id(pack: str, rule_ids: tuple[str, ...]) -> str:
    """Identifies everything besides a file that decides its result: bastion's version and
    the code of the analyzer and its rules (so editing a rule invalidates the cache)."""
    import bastion
    import bastion.code

    digest = hashlib.sha256(f"{SCHEMA}\0{bastion.__version__}\0{pack}\0".encode())
    digest.update(",".join(rule_ids).encode())
    code_dir = Path(bastion.code.__file__).parent
    for path in sorted(code_dir.rglob("*.py")):
        digest.update(path.relative_to(code_dir).as_posix().encode())
        with contextlib.suppress(OSError):
            digest.update(path.read_bytes())
    digest.update(Path(bastion.__file__).with_name("findings.py").read_bytes())
    return digest.hexdigest()


def file_key(config: str, relpath: str, data: bytes) -> str:
    digest = hashlib.sha256(config.encode())
    digest.update(b"\0" + relpath.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(data)
    return digest.hexdigest()


class ScanCache:
    """A SQLite table of `key -> JSON result`. Every failure degrades to "not cached"."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / f"scan-v{SCHEMA}.sqlite3"
        self._db: sqlite3.Connection | None = None
        self._failed = False
        self.warning: str | None = None

    def _connect(self) -> sqlite3.Connection | None:
        if self._db is not None or self._failed:
            return self._db
        for attempt in range(2):
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, timeout=5, isolation_level=None)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.execute(
                    "CREATE TABLE IF NOT EXISTS entries ("
                    "key TEXT PRIMARY KEY, data TEXT NOT NULL, used INTEGER NOT NULL)"
                )
                self._db = db
                return db
            except sqlite3.DatabaseError as exc:
                # Not a database (corrupt, truncated): start over once.
                self.warning = f"scan cache {self.path} was unusable ({exc}); rebuilt"
                if attempt == 0:
                    for suffix in ("", "-wal", "-shm"):
                        with contextlib.suppress(OSError):
                            Path(f"{self.path}{suffix}").unlink()
            except (sqlite3.Error, OSError) as exc:
                self.warning = f"scan cache {self.path} is not usable ({exc}); not caching"
                break
        self._failed = True
        return None

    def get_many(self, keys: Iterable[str]) -> dict[str, Mapping[str, Any]]:
        """The cached results among `keys`; unreadable entries count as missing."""
        db = self._connect()
        wanted = list(keys)
        if db is None or not wanted:
            return {}
        found: dict[str, Mapping[str, Any]] = {}
        stale: list[str] = []
        today = _today()
        query = "SELECT data, used FROM entries WHERE key = ?"
        try:
            for key in wanted:
                row = db.execute(query, (key,)).fetchone()
                if row is None:
                    continue
                data, used = row
                try:
                    record = json.loads(data)
                except ValueError:
                    continue
                if isinstance(record, dict):
                    found[key] = record
                    if used != today:
                        stale.append(key)
            if stale:
                self._touch(db, stale, today)
        except sqlite3.Error as exc:
            self.warning = f"scan cache {self.path} could not be read ({exc})"
            return found
        return found

    def _touch(self, db: sqlite3.Connection, keys: list[str], today: int) -> None:
        with contextlib.suppress(sqlite3.Error):
            db.execute("BEGIN")
            db.executemany("UPDATE entries SET used = ? WHERE key = ?", [(today, k) for k in keys])
            db.execute("COMMIT")

    def put_many(self, items: Iterable[tuple[str, str]]) -> None:
        """Store `(key, JSON text)` pairs and drop entries unused for a month."""
        db = self._connect()
        rows = list(items)
        if db is None or not rows:
            return
        today = _today()
        try:
            db.execute("BEGIN")
            db.executemany(
                "INSERT OR REPLACE INTO entries (key, data, used) VALUES (?, ?, ?)",
                [(key, data, today) for key, data in rows],
            )
            db.execute("DELETE FROM entries WHERE used < ?", (today - _KEEP_DAYS,))
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            self.warning = f"scan cache {self.path} could not be written ({exc})"
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")

    def close(self) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None


def _today() -> int:
    return int(time.time() // 86400)
