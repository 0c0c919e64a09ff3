"""`bastion db update`: keep the local database in step with OSV's PyPI export.

OSV publishes, under one folder (`DEFAULT_EXPORT_URL`, configurable):

- `all.zip`: every PyPI record, one JSON file each;
- `modified_id.csv`: one `<RFC 3339 modified>,<ID>` line per record, newest first;
- `<ID>.json`: each record on its own.

A **full** update streams `all.zip` into a temporary file beside the database (size-capped:
`MAX_EXPORT_BYTES`) and imports it with `importer.import_zip`, which replaces the database
atomically. OSV publishes no checksum or signature for the export, so none is checked: its
integrity rests on TLS, the announced length and the zip's own CRCs (a damaged member is
skipped with a warning, a truncated file is refused).

An **incremental** update reads `modified_id.csv` and fetches only what changed:

- a record the database holds whose listed `modified` is newer than the stored one;
- a record the database does not hold, listed as modified after the newest stored record
  minus `OVERLAP` (older ones were in the last export and left out on purpose: withdrawn,
  not PyPI, or unreadable; the overlap covers records that reach the export late);
- a record the database holds that the list no longer names is removed.

Fetched records go through `importer.update_records`: withdrawn ones are dropped, the rest
replace their old copies, and the new file is swapped in atomically. The database's `source`
is the export URL, so the next run knows it can be incremental.

A full download is done instead when there is no usable database, when it came from another
source, when it is older than `FULL_AFTER`, when more than `MAX_INCREMENTAL` records changed
(one zip is cheaper than thousands of requests), when the list would remove more than half of
the records (a list that short is more likely broken than true), or when asked (`--full`).

Any failure leaves the previous database as it was (the writer builds beside it) and is a
`SourceError` (exit 3).
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from bastion.errors import InputError, SourceError
from bastion.findings import Diagnostic, Location

if TYPE_CHECKING:
    from bastion.advisories.model import Advisory
    from bastion.advisories.store import StoreInfo
    from bastion.net import HttpClient

DEFAULT_EXPORT_URL = "https://osv-vulnerabilities.storage.googleapis.com/PyPI"
#: PyPI's all.zip is tens of MB; anything near this is not an OSV export.
MAX_EXPORT_BYTES = 1024 * 1024 * 1024
MAX_LIST_BYTES = 64 * 1024 * 1024
MAX_RECORD_BYTES = 32 * 1024 * 1024
FULL_AFTER = dt.timedelta(days=30)
MAX_INCREMENTAL = 2000
OVERLAP = dt.timedelta(days=2)

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")


@dataclass(frozen=True, slots=True)
class UpdateResult:
    """What an update did. `full_reason` is why a full download was done (None: incremental)."""

    info: StoreInfo
    full_reason: str | None
    added: int
    updated: int
    removed: int
    fetched: int
    downloaded_bytes: int

    @property
    def mode(self) -> str:
        return "incremental" if self.full_reason is None else "full"


def update_database(
    export_url: str,
    client: HttpClient,
    diagnostics: list[Diagnostic],
    *,
    full: bool = False,
    store_path: Path | None = None,
    now: dt.datetime | None = None,
) -> UpdateResult:
    """Bring the database at `store_path` (default: the user's) up to date from the export."""
    from bastion.advisories.store import default_path

    base = export_url.rstrip("/")
    path = store_path or default_path()
    moment = now or dt.datetime.now(dt.UTC)
    before, reason = _plan(path, base, full, moment)
    if reason is None and before is not None:
        outcome = _incremental(base, client, diagnostics, path, before)
        if isinstance(outcome, UpdateResult):
            return outcome
        reason = outcome
    return _full(
        base, client, diagnostics, path, reason=reason or "no usable local database", before=before
    )


# --- which kind of update ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Before:
    info: StoreInfo
    modified: dict[str, str]


def _plan(path: Path, base: str, full: bool, now: dt.datetime) -> tuple[_Before | None, str | None]:
    """The current database (if readable) and why a full download is needed (None: it is not)."""
    from bastion.advisories.store import Store

    try:
        with Store.open(path) as store:
            before = _Before(store.info(), store.modified_times())
    except SourceError as exc:
        if not path.is_file():
            return None, "no local database yet"
        return None, f"the local database is unusable ({exc})"
    info = before.info
    if full:
        return before, "--full was given"
    if info.source != base:
        return before, f"the local database came from {info.source}"
    if info.imported_at is None or now - info.imported_at > FULL_AFTER:
        return before, f"the local database is older than {FULL_AFTER.days} days"
    return before, None


# --- full --------------------------------------------------------------------------------


def _full(
    base: str,
    client: HttpClient,
    diagnostics: list[Diagnostic],
    path: Path,
    *,
    reason: str,
    before: _Before | None,
) -> UpdateResult:
    from bastion.advisories.importer import import_zip

    url = f"{base}/all.zip"
    path.parent.mkdir(parents=True, exist_ok=True)
    # Beside the database (same disk, not a small /tmp); unlinked when closed, even on a crash.
    with tempfile.TemporaryFile(prefix=".all.zip.", dir=path.parent) as handle:
        size = client.download(url, handle, max_bytes=MAX_EXPORT_BYTES)
        handle.seek(0)
        try:
            result = import_zip(handle, diagnostics, store_path=path, label=base)
        except InputError as exc:
            raise SourceError(
                f"{url}: not a usable OSV export ({exc.reason}); the previous database is unchanged"
            ) from None
    return _result(path, before, result.info, reason, fetched=0, size=size)


# --- incremental -------------------------------------------------------------------------


def _incremental(
    base: str, client: HttpClient, diagnostics: list[Diagnostic], path: Path, before: _Before
) -> UpdateResult | str:
    """Apply what changed since the database was built, or say why a full download is better."""
    from bastion.advisories.importer import parse_bytes, update_records
    from bastion.net import HttpStatusError

    list_url = f"{base}/modified_id.csv"
    listed = parse_modified_list(
        client.get(list_url, max_bytes=MAX_LIST_BYTES), list_url, diagnostics
    )
    if not listed:
        raise SourceError(f"{list_url} lists no records; the previous database is unchanged")
    known = before.modified
    newest = _moment(before.info.newest_record or "")
    since = newest - OVERLAP if newest is not None else None
    wanted = []
    for ident, moment in listed.items():
        stored = known.get(ident)
        if stored is not None:
            stored_moment = _moment(stored)
            if stored_moment is None or moment > stored_moment:
                wanted.append(ident)
        elif since is None or moment >= since:
            wanted.append(ident)
    removed = [ident for ident in known if ident not in listed]
    if len(wanted) > MAX_INCREMENTAL:
        return f"{len(wanted):,} records changed"
    if len(removed) > len(known) // 2:
        return f"{list_url} no longer lists {len(removed):,} of {len(known):,} records"
    urls = {f"{base}/{quote(ident, safe='')}.json": ident for ident in wanted}
    bodies, errors = client.fetch_all([(url, None) for url in urls], max_bytes=MAX_RECORD_BYTES)
    for url, error in sorted(errors.items()):
        if isinstance(error, HttpStatusError) and error.status == 404:
            # Listed, then gone: the next list will not name it either.
            diagnostics.append(
                Diagnostic("skipped: listed as changed but not found", Location(url))
            )
            continue
        raise SourceError(f"{error}; the previous database is unchanged")
    advisories: list[tuple[str, Advisory]] = []
    for url in sorted(bodies, key=urls.__getitem__):
        advisory = parse_bytes(bodies[url], url, diagnostics, fmt="json")
        if advisory is not None:
            advisories.append((url, advisory))
    result = update_records(advisories, removed, diagnostics, label=base, store_path=path)
    return _result(path, before, result.info, None, fetched=len(bodies), size=0)


def parse_modified_list(
    data: bytes, origin: str, diagnostics: list[Diagnostic]
) -> dict[str, dt.datetime]:
    """`{ID: modified}` from `modified_id.csv` lines `<modified>,<ID>` (an ID may carry its
    folder, `PyPI/ID`). Unreadable lines are skipped with a warning."""
    listed: dict[str, dt.datetime] = {}
    text = data.decode("utf-8", errors="replace")
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        stamp, _, ident = line.partition(",")
        ident = ident.strip().rsplit("/", 1)[-1]
        moment = _moment(stamp.strip())
        if moment is None or not _ID.match(ident):
            diagnostics.append(
                Diagnostic(
                    f"skipped: expected <modified>,<ID>, got {line[:80]!r}",
                    Location(origin, number),
                )
            )
            continue
        if ident not in listed or listed[ident] < moment:
            listed[ident] = moment
    return listed


def _moment(text: str) -> dt.datetime | None:
    """An RFC 3339 timestamp as an aware datetime; None when it is not one."""
    if not text or "T" not in text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _result(
    path: Path,
    before: _Before | None,
    info: StoreInfo,
    reason: str | None,
    *,
    fetched: int,
    size: int,
) -> UpdateResult:
    """Count what changed by comparing the databases before and after."""
    from bastion.advisories.store import Store

    old = before.modified if before is not None else {}
    with Store.open(path) as store:
        new = store.modified_times()
    return UpdateResult(
        info=info,
        full_reason=reason,
        added=sum(1 for ident in new if ident not in old),
        updated=sum(
            1 for ident, modified in new.items() if ident in old and old[ident] != modified
        ),
        removed=sum(1 for ident in old if ident not in new),
        fetched=fetched,
        downloaded_bytes=size,
    )
