"""`bastion db`: the local advisory database (`import PATH`, `info`, `update`).

The database lives in the user cache dir (`$BASTION_CACHE_DIR` overrides it); see
`bastion.advisories.store`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from bastion.errors import SourceError

#: At most this many import warnings are printed one by one; the rest are counted.
MAX_WARNINGS_SHOWN = 20


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
    sub.add_parser("update", help="download the latest OSV PyPI advisories")


def run(args: argparse.Namespace) -> int:
    command: str = args.db_command
    if command == "import":
        return _import(Path(args.import_path), verbose=args.verbose)
    if command == "info":
        return _info()
    raise SourceError(
        "`bastion db update` cannot download advisories in this build yet; get the OSV export "
        "yourself (https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip) and run "
        "`bastion db import all.zip`"
    )


def _import(path: Path, *, verbose: bool) -> int:
    from bastion.advisories.importer import import_path
    from bastion.findings import Diagnostic

    diagnostics: list[Diagnostic] = []
    result = import_path(path, diagnostics)
    shown = diagnostics if verbose else diagnostics[:MAX_WARNINGS_SHOWN]
    for diagnostic in shown:
        print(f"bastion: warning: {diagnostic}", file=sys.stderr)
    if len(diagnostics) > len(shown):
        print(
            f"bastion: {len(diagnostics) - len(shown)} more warnings (use -v to see them all)",
            file=sys.stderr,
        )
    stats = result.stats
    notes = [f"{stats.withdrawn} withdrawn"] if stats.withdrawn else []
    if stats.not_pypi:
        notes.append(f"{stats.not_pypi} without PyPI packages")
    if result.skipped:
        notes.append(f"{result.skipped} unreadable")
    if stats.older:
        notes.append(f"{stats.older} older duplicates")
    left_out = f"; left out: {', '.join(notes)}" if notes else ""
    print(
        f"imported {result.info.records:,} advisories for {result.info.packages:,} packages "
        f"from {result.files:,} files in {result.seconds:.1f} s{left_out}\n"
        f"database: {result.info.path}"
    )
    return 0


def _info() -> int:
    from bastion.advisories.source import describe_age
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
