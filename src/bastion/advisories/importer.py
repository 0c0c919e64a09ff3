"""Fill the local store from OSV records: a folder of JSON/YAML files, or an OSV zip export.

Entry points:

- `import_path(path)`: a folder (searched recursively for `.json`, `.yaml`, `.yml`), a zip
  export, or a single record file; replaces the database (`bastion db import PATH`).
- `import_zip(path_or_fileobj, ...)`: OSV's `PyPI/all.zip` (one JSON record per member; a
  zip of a folder of JSON/YAML records is read the same way), from
  a path or an open binary file, e.g. a download held in memory or a temporary file. With
  `incremental=True` the records are applied on top of the current database instead of
  replacing it. This is the entry point for `bastion db update`'s full download.
- `update_records(pairs, removed, ...)`: apply individually fetched `(origin, record)` pairs
  (OSV's `modified_id.csv` lists what changed; fetch those, parse each with `parse_bytes`)
  and drop removed IDs, on top of the current database. `Store.modified_times()` says what is
  there, and `Store.info().source` where it came from.

An unreadable zip raises `InputError`; a database that cannot be written raises `SourceError`.

Whatever the entry point, nothing is executed: JSON with `json`, YAML with libyaml's safe
loader (`yaml.CSafeLoader`, else `yaml.SafeLoader`) in a variant that keeps unquoted numbers as
text, so `fixed: 1.10` stays "1.10" instead of becoming the float 1.1. Zip members are read in
memory, never extracted; only record members up to `MAX_MEMBER_BYTES` are read. Only PyPI
`affected` entries are kept; withdrawn records are left out. A record that cannot be read is
skipped with a warning naming the file (and line, for syntax errors); the rest is imported.
The new database replaces the old one only when the import finishes (see `writer`).

Parsing is single-process: the 2,660-record PyPA database imports in about a second with
libyaml (see docs/advisory-data.md), well inside the 3 s budget, so worker processes would only
add start-up cost and compete for the machine's cores.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from bastion.advisories.model import Advisory, RecordError, parse_record
from bastion.advisories.store import StoreInfo, default_path
from bastion.advisories.writer import StoreWriter, WriteStats
from bastion.documents import has_surrogates
from bastion.errors import InputError, SourceError
from bastion.findings import Diagnostic, Location

MAX_MEMBER_BYTES = 32 * 1024 * 1024
RECORD_SUFFIXES = (".json", ".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did: the new database's info, and what happened to the records."""

    info: StoreInfo
    stats: WriteStats
    files: int
    skipped: int
    seconds: float


@lru_cache(maxsize=1)
def _yaml_loader() -> Any:
    """libyaml's safe loader (or the pure-Python one) that resolves no ints or floats."""
    import yaml

    base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    numeric = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
    resolvers = {
        first: [(tag, pattern) for tag, pattern in entries if tag not in numeric]
        for first, entries in base.yaml_implicit_resolvers.items()
    }
    return type("OSVSafeLoader", (base,), {"yaml_implicit_resolvers": resolvers})


def parse_bytes(
    data: bytes, origin: str, diagnostics: list[Diagnostic], *, fmt: str | None = None
) -> Advisory | None:
    """Parse one record (`fmt` "json" or "yaml", else from `origin`'s suffix); None if bad.

    Problems become warnings in `diagnostics`, located at `origin` (and the line, if known).
    """
    kind = fmt or ("yaml" if origin.lower().endswith((".yaml", ".yml")) else "json")
    try:
        raw = _decode(data, kind)
    except _SyntaxProblem as problem:
        diagnostics.append(
            Diagnostic(
                f"skipped: not valid {kind.upper()}: {problem.reason}",
                Location(origin, problem.line),
            )
        )
        return None

    def warn(message: str) -> None:
        diagnostics.append(Diagnostic(message, Location(origin)))

    try:
        return parse_record(raw, warn)
    except RecordError as exc:
        diagnostics.append(Diagnostic(f"skipped: {exc}", Location(origin)))
        return None


class _SyntaxProblem(Exception):
    def __init__(self, reason: str, line: int | None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


def _decode(data: bytes, kind: str) -> Any:
    if kind == "json":
        try:
            # Decoded strictly here: `json.loads` of bytes lets surrogates through.
            raw = json.loads(data.decode("utf-8-sig"))
        except json.JSONDecodeError as exc:
            raise _SyntaxProblem(exc.msg, exc.lineno) from None
        except UnicodeDecodeError as exc:
            raise _SyntaxProblem(f"not UTF-8 ({exc.reason})", None) from None
        except RecursionError:
            raise _SyntaxProblem("nested too deeply", None) from None
        except ValueError as exc:  # an integer over the conversion limit
            raise _SyntaxProblem(str(exc).split(";")[0], None) from None
        if b"\\u" in data and has_surrogates(raw):
            raise _SyntaxProblem("a string holds a lone surrogate (\\ud800-\\udfff)", None)
        return raw
    import yaml

    try:
        raw = yaml.load(data, Loader=_yaml_loader())  # noqa: S506 - a SafeLoader subclass  # nosec B506 -- the loader is a yaml.SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = " ".join(p for p in (exc.context, exc.problem) if p) or "syntax error"
        raise _SyntaxProblem(reason, mark.line + 1 if mark else None) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise _SyntaxProblem(str(exc).splitlines()[0] if str(exc) else "unreadable", None) from None
    except RecursionError:
        raise _SyntaxProblem("nested too deeply", None) from None
    except ValueError as exc:  # a timestamp or number the loader cannot build
        raise _SyntaxProblem(str(exc).split(";")[0] or "unreadable value", None) from None
    if (b"\\u" in data or b"\\U" in data) and has_surrogates(raw):
        raise _SyntaxProblem("a string holds a lone surrogate (\\ud800-\\udfff)", None)
    return raw


@dataclass(slots=True)
class Tally:
    """Record files read, and how many of them were skipped as unreadable."""

    files: int = 0
    skipped: int = 0


Records = Iterator[tuple[str, Advisory]]


def _parsed(
    data: bytes, origin: str, diagnostics: list[Diagnostic], tally: Tally, fmt: str | None = None
) -> Records:
    tally.files += 1
    advisory = parse_bytes(data, origin, diagnostics, fmt=fmt)
    if advisory is None:
        tally.skipped += 1
    else:
        yield origin, advisory


def iter_folder(folder: Path, diagnostics: list[Diagnostic], tally: Tally) -> Records:
    """`(file, record)` for every record file in `folder` and below, in sorted path order."""
    paths: list[str] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        paths.extend(os.path.join(root, f) for f in files if f.lower().endswith(RECORD_SUFFIXES))
    for path in sorted(paths):
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            tally.files += 1
            tally.skipped += 1
            diagnostics.append(Diagnostic(f"skipped: cannot read: {exc.strerror}", Location(path)))
            continue
        yield from _parsed(data, path, diagnostics, tally)


def iter_zip(
    source: str | Path | IO[bytes], diagnostics: list[Diagnostic], tally: Tally
) -> Records:
    """`(zip:member, record)` for every record of an OSV zip export, read in memory.

    Raises `InputError` when the file is not a readable zip (e.g. a truncated download); a
    damaged or oversized member is skipped with a warning.
    """
    label = str(source) if isinstance(source, str | Path) else getattr(source, "name", "<zip>")
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise InputError(
            f"not a readable zip file ({exc}); is the download complete?", label
        ) from None
    with archive:
        for member in archive.infolist():
            if member.is_dir() or not _is_record_member(member.filename):
                continue
            where = f"{label}:{member.filename}"
            too_big = Diagnostic(f"skipped: larger than {MAX_MEMBER_BYTES} bytes", Location(where))
            if member.file_size > MAX_MEMBER_BYTES:
                tally.files += 1
                tally.skipped += 1
                diagnostics.append(too_big)
                continue
            try:
                with archive.open(member) as handle:
                    data = handle.read(MAX_MEMBER_BYTES + 1)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError) as exc:
                tally.files += 1
                tally.skipped += 1
                diagnostics.append(
                    Diagnostic(f"skipped: damaged zip member ({exc})", Location(where))
                )
                continue
            if len(data) > MAX_MEMBER_BYTES:
                tally.files += 1
                tally.skipped += 1
                diagnostics.append(too_big)
                continue
            yield from _parsed(data, where, diagnostics, tally)


def _is_record_member(name: str) -> bool:
    """A `.json`/`.yaml`/`.yml` member outside hidden folders (a zip of a folder of records,
    such as GitHub's download of the PyPA advisory database, holds YAML in sub-folders)."""
    parts = name.split("/")
    if any(part.startswith(".") or part == "__MACOSX" for part in parts):
        return False
    return name.lower().endswith(RECORD_SUFFIXES)


def import_path(
    path: str | Path,
    diagnostics: list[Diagnostic],
    *,
    store_path: Path | None = None,
) -> ImportResult:
    """Replace the database with the records at `path` (folder, zip, or one record file)."""
    target = Path(path)
    if target.is_dir():
        return _import(
            lambda tally: iter_folder(target, diagnostics, tally),
            str(target.resolve()),
            diagnostics,
            store_path,
            incremental=False,
        )
    if not target.is_file():
        raise InputError("no such file or directory", target)
    if zipfile.is_zipfile(target):
        return import_zip(target, diagnostics, store_path=store_path)
    if target.suffix.lower() in RECORD_SUFFIXES:
        try:
            data = target.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror}", target) from None
        return _import(
            lambda tally: _parsed(data, str(target), diagnostics, tally),
            str(target.resolve()),
            diagnostics,
            store_path,
            incremental=False,
        )
    raise InputError(
        "not a folder of OSV records, an OSV zip export or an OSV .json/.yaml record", target
    )


def import_zip(
    source: str | Path | IO[bytes],
    diagnostics: list[Diagnostic],
    *,
    store_path: Path | None = None,
    label: str | None = None,
    incremental: bool = False,
) -> ImportResult:
    """Import an OSV zip export from a path or an open binary file.

    `label` is what `db info` and reports show as the source (default: the path).
    `incremental`: apply on top of the current database instead of replacing it.
    Raises `InputError` for an unreadable zip; callers that downloaded it may turn that into a
    `SourceError`.
    """
    if label is None:
        label = str(Path(source).resolve()) if isinstance(source, str | Path) else "<zip>"
    return _import(
        lambda tally: iter_zip(source, diagnostics, tally),
        label,
        diagnostics,
        store_path,
        incremental=incremental,
    )


def update_records(
    advisories: Iterable[tuple[str, Advisory]],
    removed: Iterable[str],
    diagnostics: list[Diagnostic],
    *,
    label: str,
    store_path: Path | None = None,
) -> ImportResult:
    """Apply `(origin, record)` pairs and drop `removed` IDs on top of the current database."""

    def records(tally: Tally) -> Records:
        for origin, advisory in advisories:
            tally.files += 1
            yield origin, advisory

    return _import(records, label, diagnostics, store_path, incremental=True, removed=removed)


def _import(
    produce: Callable[[Tally], Records],
    label: str,
    diagnostics: list[Diagnostic],
    store_path: Path | None,
    *,
    incremental: bool,
    removed: Iterable[str] = (),
) -> ImportResult:
    started = time.perf_counter()
    path = store_path or default_path()
    base = path if incremental and path.is_file() else None
    tally = Tally()
    try:
        with StoreWriter(path, base=base) as writer:
            for origin, advisory in produce(tally):
                writer.add(advisory, _warner(diagnostics, origin))
            for ident in removed:
                writer.remove(ident)
            if not incremental and writer.stats.stored == 0:
                raise InputError(
                    f"no PyPI advisories found ({tally.files} record "
                    f"file{'s' if tally.files != 1 else ''} read, {tally.skipped} skipped); "
                    "the current database is unchanged",
                    label,
                )
            info = writer.commit(label)
    except (OSError, sqlite3.Error) as exc:
        raise SourceError(
            f"cannot write the advisory database {path} ({exc}); the previous one is unchanged"
        ) from None
    return ImportResult(
        info, writer.stats, tally.files, tally.skipped, time.perf_counter() - started
    )


def _warner(diagnostics: list[Diagnostic], origin: str) -> Callable[[str], None]:
    location = Location(origin)
    return lambda message: diagnostics.append(Diagnostic(message, location))
