"""Atomic file writes: a temporary file in the same folder, then `os.replace`.

Temporary files are named `.NAME.PID.N.tmp`, so that a run killed between creating one and
renaming it (kill -9, a power cut) leaves a file the next run can tell is stale: its process
is gone (`remove_stale_temporaries`). `write_output` adds what a file the user names needs:
no silent replacement of a read-only file or of a symbolic link, never one of the run's own
inputs, and errors that name the user's path.
"""

from __future__ import annotations

import itertools
import os
import re
import stat
import time
from collections.abc import Iterable
from pathlib import Path

from bastion.errors import InputError

_SEQUENCE = itertools.count()


def write_atomic(
    path: str | Path, data: str | bytes | Iterable[bytes], encoding: str = "utf-8"
) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never half.

    `data` may be pieces (an iterable of bytes), written as they come: a large report need
    not be held whole in memory.

    The new file gets the old one's permissions, or for a new file what `open()` would give
    (0666 less the umask), so a report stays readable by the CI step or colleague meant to
    read it. A path that exists and is not a regular file (`/dev/null`, `/dev/stdout`, a named
    pipe) is written to directly: replacing it would swap a device for a plain file. Raises
    `OSError` as `open()` would (a missing folder, a directory in the way, no permission).
    """
    target = Path(path)
    pieces: Iterable[bytes] = (
        (data.encode(encoding),)
        if isinstance(data, str)
        else (data,)
        if isinstance(data, bytes)
        else data
    )
    try:
        mode = target.stat().st_mode
    except OSError:
        mode = None
    if mode is not None and stat.S_ISDIR(mode):
        raise IsADirectoryError(21, "Is a directory", str(target))
    if mode is not None and not stat.S_ISREG(mode):
        with open(target, "wb") as handle:
            for piece in pieces:
                handle.write(piece)
        return
    permissions = stat.S_IMODE(mode) if mode is not None else _default_permissions()
    # pid + counter: unique among bastion processes; O_EXCL refuses anything already there.
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{next(_SEQUENCE)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:  # name the file the caller asked for, not the temporary one
        raise type(exc)(exc.errno, exc.strerror, str(target)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            for piece in pieces:
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, permissions)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _default_permissions() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_output(
    path: str | Path,
    data: bytes | Iterable[bytes],
    *,
    inputs: Iterable[str | Path] = (),
    what: str = "the file",
) -> None:
    """`write_atomic` for a file the user named (`-o FILE`), refusing with an InputError that
    names `path`: a read-only file (it would be replaced, its mode ignored), a symbolic link
    (the link would become a file and its target stay as it was), and any of `inputs` (the
    run's own inputs: `audit -r req.txt -o req.txt` must not destroy the requirements)."""
    target = Path(path)
    try:
        info = target.lstat()
    except OSError:
        info = None
    if info is not None and stat.S_ISLNK(info.st_mode):
        where = os.readlink(target)
        raise InputError(
            f"is a symbolic link (to {where}); not replaced: name the file itself", path
        )
    if info is not None and stat.S_ISREG(info.st_mode):
        if not info.st_mode & 0o222 or not os.access(target, os.W_OK):
            raise InputError("is read-only; not replaced (make it writable to overwrite)", path)
        if is_one_of(target, inputs):
            raise InputError("is one of this run's inputs; not overwritten", path)
    try:
        write_atomic(target, data)
    except OSError as exc:
        raise InputError(f"cannot write {what}: {exc.strerror or exc}", path) from None


def is_one_of(path: Path, others: Iterable[str | Path]) -> bool:
    """True when `path` is the same file as one of `others` (links and `..` resolved)."""
    try:
        real = os.path.realpath(path)
    except (OSError, ValueError):
        return False
    for other in others:
        try:
            if os.path.realpath(other) == real:
                return True
        except (OSError, ValueError):
            continue
    return False


# A pattern, not compiled at import: most runs never clean temporaries (start-up time).
_TEMPORARY = r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[^.]+\.tmp$"
STALE_AFTER_SECONDS = 24 * 3600


def remove_stale_temporaries(target: Path) -> int:
    """Delete the temporary files of writes to `target` whose process is gone (or that are a
    day old, in case their pid was reused); the number removed."""
    removed = 0
    try:
        entries = list(target.parent.iterdir())
    except OSError:
        return 0
    now = time.time()
    for entry in entries:
        match = re.match(_TEMPORARY, entry.name)
        if match is None or match.group("name") != target.name:
            continue
        pid = int(match.group("pid"))
        try:
            old = now - entry.stat().st_mtime > STALE_AFTER_SECONDS
        except OSError:
            continue
        if pid != os.getpid() and (old or not _alive(pid)):
            try:
                entry.unlink()
                removed += 1
            except OSError:
                continue
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # another user's process (or a number the OS refuses): leave its file
    return True
