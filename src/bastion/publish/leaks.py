"""Credentials in the working tree and in the whole git history, found without running
anything of the repository.

The tree: the files git tracks or would track (`git ls-files --cached --others
--exclude-standard`), else every file below the project (`.git`, venvs and caches aside).
The history: every object git has, through git's own plumbing: `cat-file
--batch-all-objects --batch-check` lists the blobs with their sizes, `cat-file --batch`
streams their content once each (a blob that many commits share is read once). Blobs larger
than `MAX_BLOB` or that git would call binary (a NUL byte in the first 8,000) are skipped and
counted. For a blob with a credential, `git log --all --find-object` names the first commit
and path where it appears (a deleted file included); a blob no ref reaches is said so.

git runs with `-c core.fsmonitor=false` and no pager, so that a hostile repository's
configuration cannot make these read-only commands run a program.
"""

from __future__ import annotations

import hashlib
import os
import subprocess  # nosec B404 -- git plumbing with fixed arguments, no shell
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bastion.errors import SourceError
from bastion.publish.secrets import Secret, find_secrets

MAX_FILE = 5 * 1024 * 1024
MAX_BLOB = 5 * 1024 * 1024
SKIP_DIRS = frozenset(
    {".git", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".nox", ".mypy_cache"}
)
GIT = ("git", "-c", "core.fsmonitor=false", "--no-pager")


def token_key(value: str) -> str:
    """A stable key for a credential that reveals nothing of it."""
    return hashlib.sha256(value.encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Found:
    secret: Secret
    path: Path


def is_repository(folder: Path) -> bool:
    return (folder / ".git").exists()


def tree_files(folder: Path) -> list[Path]:
    if is_repository(folder):
        try:
            output = _git(folder, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
        except SourceError:
            output = None
        if output is not None:
            names = [n for n in output.decode("utf-8", "surrogateescape").split("\0") if n]
            return [folder / n for n in names]
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        found.extend(Path(root) / name for name in sorted(files))
    return found


def scan_tree(folder: Path) -> list[Found]:
    found: list[Found] = []
    for path in tree_files(folder):
        try:
            if not path.is_file() or path.is_symlink() or path.stat().st_size > MAX_FILE:
                continue
            data = path.read_bytes()
        except OSError:
            continue
        if b"\0" in data[:8000]:
            continue
        found.extend(Found(secret, path) for secret in find_secrets(data))
    return found


@dataclass(slots=True)
class History:
    found: list[tuple[Secret, str, str]] = field(default_factory=list)
    """(secret, first commit, path); the commit is "" for a blob no ref reaches."""
    blobs: int = 0
    bytes: int = 0
    binary: int = 0
    large: int = 0
    seconds: float = 0.0


def scan_history(folder: Path) -> History:
    """Every blob of the repository (see the module docstring)."""
    started = time.perf_counter()
    history = History()
    listing = _git(
        folder,
        "cat-file",
        "--batch-all-objects",
        "--batch-check=%(objectname) %(objecttype) %(objectsize)",
    )
    wanted = []
    for line in listing.splitlines():
        parts = line.split()
        if len(parts) != 3 or parts[1] != b"blob":
            continue
        if int(parts[2]) > MAX_BLOB:
            history.large += 1
            continue
        wanted.append(parts[0])
    hits: dict[bytes, list[Secret]] = {}
    for oid, data in _blobs(folder, wanted):
        history.blobs += 1
        history.bytes += len(data)
        if b"\0" in data[:8000]:
            history.binary += 1
            continue
        secrets = find_secrets(data)
        if secrets:
            hits[oid] = secrets
    for oid, secrets in hits.items():
        commit, path = _first_appearance(folder, oid.decode())
        history.found.extend((secret, commit, path) for secret in secrets)
    history.seconds = time.perf_counter() - started
    return history


def _blobs(folder: Path, oids: list[bytes]) -> list[tuple[bytes, bytes]]:
    """The content of each blob, streamed by one `git cat-file --batch`."""
    if not oids:
        return []
    process = subprocess.Popen(  # nosec B603 -- git plumbing, fixed arguments
        [*GIT, "-C", str(folder), "cat-file", "--batch"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert process.stdin is not None and process.stdout is not None  # nosec B101 -- PIPE given

    def feed() -> None:
        assert process.stdin is not None  # nosec B101 -- PIPE given
        try:
            process.stdin.write(b"".join(oid + b"\n" for oid in oids))
        finally:
            process.stdin.close()

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    found = []
    out = process.stdout
    for _ in oids:
        header = out.readline()
        parts = header.split()
        if len(parts) != 3:
            break
        size = int(parts[2])
        data = out.read(size)
        out.read(1)  # the newline after the content
        found.append((parts[0], data))
    writer.join()
    process.wait()
    return found


def _first_appearance(folder: Path, oid: str) -> tuple[str, str]:
    """(first commit, path) where the blob `oid` appears; ("", "") when no ref reaches it."""
    try:
        output = _git(
            folder,
            "log",
            "--all",
            "--reverse",
            "--no-abbrev",
            "--raw",
            "--format=commit %H",
            f"--find-object={oid}",
        ).decode("utf-8", "replace")
    except SourceError:
        return "", ""
    commit = ""
    for line in output.splitlines():
        if line.startswith("commit "):
            commit = commit or line.split()[1]
        elif line.startswith(":") and "\t" in line:
            meta, _, path = line.partition("\t")
            if oid in meta.split()[3:4] or oid in meta:
                return commit, path
    return commit, ""


def _git(folder: Path, *arguments: str) -> bytes:
    try:
        result = subprocess.run(  # nosec B603 -- git plumbing, fixed arguments, no shell
            [*GIT, "-C", str(folder), *arguments], capture_output=True, check=False, timeout=600
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise SourceError(f"git {arguments[0]}: {exc}") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SourceError(f"git {arguments[0]} in {folder}: {(message or ['failed'])[-1]}")
    return result.stdout
