"""What the CLI-level tests share: a throwaway project, an advisory database, one run."""

from __future__ import annotations

from pathlib import Path

import pytest

from bastion.cli import main


def enter_empty_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project folder, made the current directory, with its own (empty) cache dir."""
    folder = tmp_path / "project"
    folder.mkdir()
    monkeypatch.setenv("BASTION_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.chdir(folder)
    return folder


def import_records(tmp_path: Path, records: dict[str, str]) -> Path:
    """Write OSV records (file name -> text) and import them into `$BASTION_CACHE_DIR`."""
    from bastion.advisories.importer import import_path

    folder = tmp_path / "records"
    folder.mkdir()
    for name, text in records.items():
        (folder / name).write_text(text)
    import_path(folder, [])
    return tmp_path / "cache" / "advisories.sqlite3"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """`bastion ARGV...` in process: exit code, standard output, standard error."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err
