"""Installed files against what was installed: every distribution's RECORD, like debsums.

A wheel install writes `*.dist-info/RECORD` (PEP 376, PEP 627): one CSV row per installed
file, its path relative to the site-packages directory (scripts as `../../../bin/x`), its
digest (`sha256=` and the URL-safe base64 digest, no padding) and size. This module reads
every RECORD of an environment, hashes every listed file that has a digest (bytecode and
RECORD itself have none), and walks site-packages and the venv's `bin/` for code that no
RECORD lists: `.py` modules, `.pth` files (they run at every interpreter start) and scripts.

Nothing is imported or run. Files are read in 1 MiB blocks by a thread pool of one thread
per core (hashlib releases the GIL while it hashes, so threads use every core). A RECORD
row is trusted only as far as the environment reaches: a path that leaves the environment's
folder (`../../../../etc/passwd`), or names anything but a regular file, is reported and
not read, so that a hostile RECORD can make bastion read neither a device nor a secret.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import os
import stat
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

BLOCK = 1024 * 1024
_BATCH = 32
#: RECORD digests hashlib knows; PEP 376 forbids md5 and sha1 for RECORD.
ALGORITHMS = frozenset({"sha256", "sha384", "sha512", "sha3_256", "blake2b", "blake2s"})
#: What a venv's `bin/` holds that no RECORD lists: the interpreter links, the activation
#: scripts `venv` and `virtualenv` write.
VENV_OWN = frozenset(
    {
        "activate",
        "activate.csh",
        "activate.fish",
        "activate.nu",
        "activate.ps1",
        "Activate.ps1",
        "activate.bat",
        "activate_this.py",
        "deactivate.bat",
        "pydoc.bat",
        "deactivate",
    }
)


_METADATA_DIRS = (".dist-info", ".egg-info")


@dataclass(frozen=True, slots=True)
class Distribution:
    name: str
    version: str
    dist_info: Path


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an installed file. `kind`: `modified`, `missing`, `unlisted`,
    `no-record` (a distribution without RECORD), `outside` (a RECORD row that leaves the
    environment, or names no regular file)."""

    kind: str
    path: Path
    distribution: Distribution | None = None
    detail: str = ""


@dataclass(slots=True)
class Report:
    """What checking one environment found, and how much it read."""

    problems: list[Problem] = field(default_factory=list)
    distributions: int = 0
    files: int = 0
    bytes: int = 0
    seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class _Listed:
    path: str
    algorithm: str
    digest: str
    size: int | None
    distribution: Distribution
    limit: _Limit


def check_environment(
    site_dirs: list[Path], root: Path | None, *, workers: int | None = None
) -> Report:
    """Check every distribution in `site_dirs`; `root` is the environment's folder (a venv:
    its `bin/` is checked too, and no RECORD path may leave it)."""
    started = time.perf_counter()
    report = Report()
    limit = _Limit((root or (site_dirs[0] if site_dirs else Path("/"))).resolve())
    listed: set[str] = set()
    batch: list[_Listed] = []
    pending = []
    # Batches, not one task per file: most files are small, and a task costs more than
    # hashing a few kilobytes. They are hashed while the next RECORDs are read.
    with ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
        for site in site_dirs:
            for distribution in _distributions(site, report):
                report.distributions += 1
                for entry in _record_rows(distribution, site, limit, report, listed):
                    batch.append(entry)
                    if len(batch) == _BATCH:
                        pending.append(pool.submit(_check_batch, batch))
                        batch = []
        if batch:
            pending.append(pool.submit(_check_batch, batch))
        for future in pending:
            for problem, size in future.result():
                report.files += 1
                report.bytes += size
                if problem is not None:
                    report.problems.append(problem)
    for site in site_dirs:
        report.problems.extend(_unlisted_code(site, listed))
    if root is not None and (root / "pyvenv.cfg").is_file():
        report.problems.extend(_unlisted_scripts(root, listed))
    report.seconds = time.perf_counter() - started
    return report


def _distributions(site: Path, report: Report) -> Iterator[Distribution]:
    try:
        entries = sorted(site.iterdir())
    except OSError:
        return
    for entry in entries:
        if entry.suffix == ".dist-info" and entry.is_dir():
            name, version = _name_version(entry)
            yield Distribution(name, version, entry)
        elif entry.suffix == ".egg-info":
            name, version = _name_version(entry)
            report.distributions += 1
            report.problems.append(
                Problem(
                    "no-record",
                    entry,
                    Distribution(name, version, entry),
                    "an egg-info install (setup.py install or develop) records no hashes",
                )
            )


def _name_version(meta: Path) -> tuple[str, str]:
    """Name and version from METADATA / PKG-INFO headers, else from the folder's name."""
    stem = meta.name.rsplit(".", 1)[0]
    fallback_name, _, fallback_version = stem.partition("-")
    candidates = (meta / "METADATA", meta / "PKG-INFO", meta) if meta.is_dir() else (meta,)
    for candidate in candidates:
        try:
            with open(candidate, encoding="utf-8", errors="replace") as handle:
                head = handle.read(64 * 1024)
        except OSError:
            continue
        name = version = None
        for line in head.splitlines():
            if not line.strip():
                break
            if line.lower().startswith("name:"):
                name = line.split(":", 1)[1].strip()
            elif line.lower().startswith("version:"):
                version = line.split(":", 1)[1].strip()
        if name:
            return name, version or fallback_version.split("-", 1)[0]
    return fallback_name, fallback_version.split("-", 1)[0]


def _record_rows(
    distribution: Distribution, site: Path, limit: _Limit, report: Report, listed: set[str]
) -> Iterator[_Listed]:
    record = distribution.dist_info / "RECORD"
    try:
        with open(record, encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
    except FileNotFoundError:
        report.problems.append(
            Problem("no-record", distribution.dist_info, distribution, "no RECORD file")
        )
        return
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        report.problems.append(
            Problem("no-record", record, distribution, f"RECORD cannot be read ({exc})")
        )
        return
    base = str(site)
    join, normpath = os.path.join, os.path.normpath
    for row in rows:
        if not row or not row[0]:
            continue
        text = normpath(join(base, row[0]))
        listed.add(text)
        digest = row[1] if len(row) > 1 else ""
        if not digest:
            continue  # bytecode, RECORD itself: no digest to compare
        algorithm, _, value = digest.partition("=")
        if algorithm not in ALGORITHMS or not value:
            detail = f"RECORD has an unusable digest {digest!r}"
            report.problems.append(Problem("modified", Path(text), distribution, detail))
            continue
        if not limit.holds_folder(text):
            report.problems.append(
                Problem(
                    "outside",
                    Path(text),
                    distribution,
                    "RECORD names a file outside the environment",
                )
            )
            continue
        size = int(row[2]) if len(row) > 2 and row[2].isdigit() else None
        yield _Listed(text, algorithm, value, size, distribution, limit)


class _Limit:
    """Whether a path lies inside the environment's folder once links are followed. A
    folder's real path is looked up once (an environment has thousands of files in a few
    hundred folders); only a file that is itself a link is resolved on its own."""

    def __init__(self, root: Path) -> None:
        self.root = str(root)
        self.prefix = self.root.rstrip(os.sep) + os.sep
        self._folders: dict[str, str] = {}

    def holds_folder(self, path: str) -> bool:
        """Whether the folder of `path` (a normalized path), links followed, lies
        inside the environment (the file itself may still be a link: the check of the file
        looks, as it stats it)."""
        return self._inside(self._real(path.rpartition(os.sep)[0]))

    def _real(self, folder: str) -> str:
        """`os.path.realpath(folder)`, built on the parent's cached real path: one `lstat`
        per new folder, where realpath would take one per component of every path."""
        real = self._folders.get(folder)
        if real is not None:
            return real
        if not os.path.isabs(folder):
            real = self._folders[folder] = self._real(os.path.abspath(folder))
            return real
        parent, _, name = folder.rpartition(os.sep)
        if not name:
            real = os.path.realpath(folder or os.sep)
        else:
            candidate = os.path.join(self._real(parent) if parent else os.sep, name)
            real = os.path.realpath(candidate) if os.path.islink(candidate) else candidate
        self._folders[folder] = real
        return real

    def link_inside(self, path: str) -> bool:
        """Whether the link at `path` leads inside the environment (thread-safe: no cache)."""
        return self._inside(os.path.realpath(path))

    def _inside(self, real: str) -> bool:
        return real == self.root or real.startswith(self.prefix)


def _check_batch(entries: list[_Listed]) -> list[tuple[Problem | None, int]]:
    return [_check_file(entry) for entry in entries]


def _check_file(entry: _Listed) -> tuple[Problem | None, int]:
    """(a problem or None, the bytes read)."""
    path = entry.path
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            if not entry.limit.link_inside(path):
                return Problem(
                    "outside",
                    Path(path),
                    entry.distribution,
                    "RECORD names a file outside the environment",
                ), 0
            info = os.stat(path)
    except FileNotFoundError:
        return Problem(
            "missing", Path(path), entry.distribution, "listed in RECORD, not on disk"
        ), 0
    except OSError as exc:
        return Problem(
            "missing", Path(path), entry.distribution, f"cannot be read ({exc.strerror})"
        ), 0
    if not stat.S_ISREG(info.st_mode):
        return Problem("outside", Path(path), entry.distribution, "not a regular file; not read"), 0
    hasher = hashlib.new(entry.algorithm)
    read = 0
    buffer = _buffer()
    view = memoryview(buffer)
    try:
        with open(path, "rb", buffering=0) as handle:
            while size := handle.readinto(buffer):
                hasher.update(view[:size])
                read += size
    except OSError as exc:
        return Problem(
            "missing", Path(path), entry.distribution, f"cannot be read ({exc.strerror})"
        ), read
    actual = base64.urlsafe_b64encode(hasher.digest()).rstrip(b"=").decode("ascii")
    if actual != entry.digest.rstrip("="):
        size_note = (
            f", {read:,} bytes where RECORD says {entry.size:,}"
            if entry.size not in (None, read)
            else ""
        )
        return Problem(
            "modified",
            Path(path),
            entry.distribution,
            f"its {entry.algorithm} differs from RECORD{size_note}",
        ), read
    return None, read


_local = threading.local()


def _buffer() -> bytearray:
    """This thread's read buffer (one per thread, not one allocation per file)."""
    buffer: bytearray | None = getattr(_local, "buffer", None)
    if buffer is None:
        buffer = _local.buffer = bytearray(BLOCK)
    return buffer


def _unlisted_code(site: Path, listed: set[str]) -> Iterator[Problem]:
    """`.py` and `.pth` files under `site` that no RECORD lists (bytecode caches and the
    metadata folders themselves left out)."""
    for folder, dirs, files in os.walk(site):
        dirs[:] = [
            d for d in dirs if d != "__pycache__" and not d.endswith((".dist-info", ".egg-info"))
        ]
        for name in files:
            if not name.endswith((".py", ".pth")):
                continue
            path = os.path.join(folder, name)
            if os.path.normpath(path) not in listed:
                yield Problem("unlisted", Path(path), None, "no RECORD lists it")


def _unlisted_scripts(root: Path, listed: set[str]) -> Iterator[Problem]:
    """Files in the venv's `bin/` (`Scripts\\` on Windows) that no RECORD lists, except the
    interpreter's links and the activation scripts."""
    for folder in (root / "bin", root / "Scripts"):
        try:
            entries = sorted(folder.iterdir())
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            if name in VENV_OWN or name.startswith(("python", "pypy")):
                continue
            if os.path.normpath(entry) not in listed and entry.is_file():
                yield Problem("unlisted", entry, None, "a script no RECORD lists")
