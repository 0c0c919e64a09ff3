"""`bastion db`: the local advisory database (`import PATH`, `info`, `update`, `show ID`).

The database lives in the user cache dir (`$BASTION_CACHE_DIR` overrides it); see
`bastion.advisories.store`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bastion.advisories.options import UPDATE_OPTIONS
from bastion.config import add_options

if TYPE_CHECKING:
    from bastion.findings import Diagnostic

#: At most this many import warnings are printed one by one; the rest are counted. Real
#: data has a few dozen records with non-PEP 440 versions (the PyPA snapshot: 30), which
#: the user cannot fix: a short sample says what kind they are, -v lists them all.
MAX_WARNINGS_SHOWN = 5


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="db_command", metavar="SUBCOMMAND", required=True)
    importer = sub.add_parser(
        "import",
        help="replace the database with OSV records from a folder, a zip export or a file",
        description="Replace the local advisory database with the OSV records at PATH: a "
        "folder of .json/.yaml/.yml records (searched recursively, e.g. a checkout of the PyPA "
        "advisory database), an OSV zip export such as PyPI/all.zip, or one record file.",
    )
    importer.add_argument("import_path", metavar="PATH", help="folder, zip or record file")
    importer.add_argument("-v", "--verbose", action="store_true", help="print every import warning")
    sub.add_parser("info", help="show what the local database holds and how old it is")
    updater = sub.add_parser(
        "update",
        help="download the latest OSV PyPI advisories (incremental after the first time)",
        description="Bring the local advisory database up to date with OSV's PyPI export: "
        "the whole export (all.zip) the first time, then only the records changed since "
        "(modified_id.csv). A failed update leaves the previous database as it was.",
    )
    updater.add_argument(
        "--full", action="store_true", help="download the whole export even if an update would do"
    )
    updater.add_argument("-v", "--verbose", action="store_true", help="print every warning")
    add_options(updater, UPDATE_OPTIONS)
    shower = sub.add_parser("show", help="print one advisory in full (any of its IDs)")
    shower.add_argument("advisory_id", metavar="ID", help="PYSEC-..., GHSA-..., CVE-..., MAL-...")


def run(args: argparse.Namespace) -> int:
    command: str = args.db_command
    if command == "import":
        return _import(Path(args.import_path), verbose=args.verbose)
    if command == "info":
        return _info()
    if command == "show":
        return _show(args.advisory_id)
    return _update(args)


def _show(ident: str) -> int:
    """One advisory from the local database (what `bastion explain ID` shows for one)."""
    from bastion.advisories.explain import explain_advisory
    from bastion.errors import InputError

    text = explain_advisory(ident, require_data=True)
    if text is None:
        raise InputError(f"no advisory {ident!r} in the local database (by ID or alias)")
    print(text, end="")
    return 0


def _import(path: Path, *, verbose: bool) -> int:
    from bastion.advisories.importer import import_path

    diagnostics: list[Diagnostic] = []
    try:
        result = import_path(path, diagnostics)
    finally:  # a failed import says why its records were skipped
        _print_warnings(diagnostics, verbose=verbose)
    stats = result.stats
    notes = [f"{stats.withdrawn} withdrawn"] if stats.withdrawn else []
    if stats.not_pypi:
        notes.append(f"{stats.not_pypi} without PyPI packages")
    if result.skipped:
        notes.append(f"{result.skipped} unreadable")
    if stats.older:
        notes.append(f"{stats.older} older duplicates")
    left_out = f"; left out: {', '.join(notes)}" if notes else ""
    info = result.info
    print(
        f"imported {_count(info.records, 'advisory', 'advisories')} for "
        f"{_count(info.packages, 'package', 'packages')} from "
        f"{_count(result.files, 'file', 'files')} in {result.seconds:.1f} s{left_out}\n"
        f"database: {info.path}"
    )
    return 0


def _info() -> int:
    from bastion.advisories.records import describe_age
    from bastion.advisories.store import Store

    with Store.open() as store:
        info = store.info()
    now = dt.datetime.now(dt.UTC)
    age = describe_age(now - info.imported_at) if info.imported_at else "unknown"
    print(
        f"source:        {info.source}\n"
        f"records:       {info.records:,}\n"
        f"packages:      {info.packages:,}\n"
        f"imported:      {info.imported_at.isoformat() if info.imported_at else 'unknown'}"
        f" ({age})\n"
        f"newest record: {info.newest_record or 'unknown'}\n"
        f"file:          {info.path}\n"
        f"schema:        {info.schema}"
    )
    return 0


def _update(args: argparse.Namespace) -> int:
    from bastion.advisories.records import describe_age
    from bastion.advisories.update import update_database
    from bastion.config import find_config, read_tool_table, resolve
    from bastion.errors import SourceError
    from bastion.net import HttpClient, check_base_url
    from bastion.redact import redact

    config_path = find_config(Path.cwd())
    table = read_tool_table(config_path) if config_path else {}
    settings = resolve(args, UPDATE_OPTIONS, table, config_path)
    export_url = check_base_url(settings["osv_export_url"], "--osv-export-url")
    diagnostics: list[Diagnostic] = []
    try:
        with HttpClient(offline=settings["offline"]) as client:
            result = update_database(export_url, client, diagnostics, full=args.full)
    except SourceError as exc:
        message = str(exc)
        if "unchanged" not in message and not settings["offline"]:
            message += "; the local database is unchanged"
        raise SourceError(message) from None
    finally:
        _print_warnings(diagnostics, verbose=args.verbose)
    info = result.info
    if result.full_reason is None:
        how = f"incremental, {result.fetched:,} changed records fetched"
    else:
        how = f"full download of {result.downloaded_bytes:,} bytes: {result.full_reason}"
    age = describe_age(dt.datetime.now(dt.UTC) - info.imported_at) if info.imported_at else "?"
    print(
        f"updated from {redact(export_url)} ({how})\n"
        f"changes: {result.added:,} added, {result.updated:,} updated, "
        f"{result.removed:,} removed\n"
        f"now: {info.records:,} advisories for {info.packages:,} packages, "
        f"newest record {(info.newest_record or 'unknown')[:10]}, imported {age}\n"
        f"database: {info.path}"
    )
    return 0


def _print_warnings(diagnostics: list[Diagnostic], *, verbose: bool) -> None:
    from bastion.redact import redact

    shown = diagnostics if verbose else diagnostics[:MAX_WARNINGS_SHOWN]
    for diagnostic in shown:
        print(f"bastion: warning: {redact(str(diagnostic))}", file=sys.stderr)
    if len(diagnostics) > len(shown):
        more = _count(len(diagnostics) - len(shown), "more warning", "more warnings")
        print(f"bastion: {more} (use -v to see them all)", file=sys.stderr)


def _count(value: int, singular: str, plural: str) -> str:
    return f"{value:,} {singular if value == 1 else plural}"
