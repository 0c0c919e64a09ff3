from __future__ import annotations

import os
import stat
import threading
import time
from pathlib import Path

import pytest

from bastion.fsutil import write_atomic


def test_writes_a_new_file_with_umask_permissions(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    old = os.umask(0o022)
    try:
        write_atomic(target, "{}\n")
    finally:
        os.umask(old)
    assert target.read_text() == "{}\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_replaces_a_file_keeping_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    target.write_text("old")
    target.chmod(0o640)
    write_atomic(target, "new")
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.txt"
    target.write_text("old")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="No space left"):
        write_atomic(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError):
        write_atomic(tmp_path, "x")


def test_a_special_file_is_written_to_not_replaced(tmp_path: Path) -> None:
    """`-o /dev/null` or a named pipe must stay what it is (replacing it would swap a device
    for a plain file); a FIFO stands in for /dev/null here."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write_atomic(fifo, "through the pipe\n")
    reader.join(timeout=10)
    assert received == [b"through the pipe\n"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]


def test_a_failure_to_create_the_temporary_names_the_target(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder" / "report.json"
    with pytest.raises(FileNotFoundError) as caught:
        write_atomic(missing, "x")
    assert caught.value.filename == str(missing)


def test_stale_temporaries_of_killed_runs_are_removed(tmp_path: Path) -> None:
    import subprocess
    import sys

    from bastion.fsutil import remove_stale_temporaries

    target = tmp_path / "advisories.sqlite3"
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead_pid = int(gone.stdout)
    stale = tmp_path / f".advisories.sqlite3.{dead_pid}.abc123.tmp"
    mine = tmp_path / f".advisories.sqlite3.{os.getpid()}.1.tmp"
    live = tmp_path / f".advisories.sqlite3.{os.getppid()}.2.tmp"
    other = tmp_path / f".other.sqlite3.{dead_pid}.3.tmp"
    for path in (stale, mine, live, other):
        path.write_text("x")
    assert remove_stale_temporaries(target) == 1
    assert not stale.exists()
    assert mine.exists() and live.exists() and other.exists()
    day_old = time.time() - 2 * 24 * 3600
    os.utime(live, (day_old, day_old))
    assert remove_stale_temporaries(target) == 1
    assert not live.exists()
