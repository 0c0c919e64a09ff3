"""Atomic file writes: a temporary file in the same folder, then `os.replace`."""

from __future__ import annotations

import itertools
import os
import stat
from pathlib import Path

_SEQUENCE = itertools.count()


def write_atomic(path: str | Path, data: str | bytes, encoding: str = "utf-8") -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never half.

    The new file gets the old one's permissions, or for a new file what `open()` would give
    (0666 less the umask), so a report stays readable by the CI step or colleague meant to
    read it. A path that exists and is not a regular file (`/dev/null`, `/dev/stdout`, a named
    pipe) is written to directly: replacing it would swap a device for a plain file. Raises
    `OSError` as `open()` would (a missing folder, a directory in the way, no permission).
    """
    target = Path(path)
    payload = data.encode(encoding) if isinstance(data, str) else data
    try:
        mode = target.stat().st_mode
    except OSError:
        mode = None
    if mode is not None and stat.S_ISDIR(mode):
        raise IsADirectoryError(21, "Is a directory", str(target))
    if mode is not None and not stat.S_ISREG(mode):
        with open(target, "wb") as handle:
            handle.write(payload)
        return
    permissions = stat.S_IMODE(mode) if mode is not None else _default_permissions()
    # pid + counter: unique among bastion processes; O_EXCL refuses anything already there.
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{next(_SEQUENCE)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
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
