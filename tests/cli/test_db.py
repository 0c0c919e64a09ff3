"""`bastion db import / info / update`, and `bastion audit` on a broken database."""

from __future__ import annotations

from pathlib import Path

import pytest

from bastion.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "advisories"


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("BASTION_CACHE_DIR", str(folder))
    return folder


def test_import_then_info(cache_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "import", str(FIXTURES / "records")]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].startswith("imported 12 advisories for 3 packages from 14 files in ")
    assert lines[0].endswith(" s; left out: 1 withdrawn, 1 without PyPI packages")
    assert lines[1] == f"database: {cache_dir / 'advisories.sqlite3'}"
    assert err.splitlines() == [
        f"bastion: warning: {FIXTURES / 'records/demo/PYSEC-2099-11.yaml'}: PYSEC-2099-11: demo: "
        "1 listed version(s) not PEP 440 (bad version); skipped",
        f"bastion: warning: {FIXTURES / 'records/demo/PYSEC-2099-11.yaml'}: PYSEC-2099-11: demo: "
        "fixed 'not a version!' is not a PEP 440 version; skipped",
    ]

    assert main(["db", "info"]) == 0
    info = dict(
        (key.strip(), value.strip())
        for key, value in (line.split(":", 1) for line in capsys.readouterr().out.splitlines())
    )
    assert info["source"] == str((FIXTURES / "records").resolve())
    assert info["records"] == "12"
    assert info["packages"] == "3"
    assert info["imported"].endswith("(just now)")
    assert info["newest record"] == "2099-09-01T00:00:00Z"
    assert info["file"] == str(cache_dir / "advisories.sqlite3")
    assert info["schema"] == "3"


def test_import_warnings_are_capped_unless_verbose(
    cache_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "records"
    folder.mkdir()
    (folder / "good.json").write_bytes((FIXTURES / "records/other/MAL-2099-1.json").read_bytes())
    for i in range(25):
        (folder / f"bad{i:02d}.json").write_text("{")
    assert main(["db", "import", str(folder)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 6
    assert err[-1] == "bastion: 20 more warnings (use -v to see them all)"
    assert main(["db", "import", "-v", str(folder)]) == 0
    assert len(capsys.readouterr().err.splitlines()) == 25


def test_import_of_a_missing_path_is_exit_2(
    cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "import", "/nonexistent/osv"]) == 2
    assert (
        capsys.readouterr().err == "bastion: error: /nonexistent/osv: no such file or directory\n"
    )


def test_import_of_something_else_is_exit_2(
    cache_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    assert main(["db", "import", str(other)]) == 2
    assert "not a folder of OSV records, an OSV zip export" in capsys.readouterr().err


def test_info_without_a_database_says_how_to_get_one(
    cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "info"]) == 3
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("bastion: error: no advisory data (")
    assert "`bastion db import PATH`" in line and "`bastion db update`" in line


def test_update_offline_is_a_clear_source_error(
    cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `db update` itself is tested offline against a fake export in tests/advisories/test_update.py
    assert main(["db", "update", "--offline"]) == 3
    (line,) = capsys.readouterr().err.splitlines()
    assert line == (
        "bastion: error: offline: not fetching "
        "https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip "
        "(--offline forbids network access)"
    )


def test_a_corrupt_database_is_one_line_and_exit_3(
    cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cache_dir.mkdir()
    (cache_dir / "advisories.sqlite3").write_bytes(b"\x00garbage" * 512)
    assert main(["db", "info"]) == 3
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"bastion: error: advisory database {cache_dir / 'advisories.sqlite3'}")
    assert line.endswith("rebuild it with `bastion db import PATH` or `bastion db update`")


def test_audit_with_a_corrupt_database_is_exit_3(
    cache_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cache_dir.mkdir()
    (cache_dir / "advisories.sqlite3").write_bytes(b"\x00garbage" * 512)
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("demo==1.1\n")
    code = main(["audit", "-r", str(requirements), str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 3, err
    assert "rebuild it with `bastion db import PATH` or `bastion db update`" in err
    assert "Traceback" not in err


def test_import_of_a_zip_of_a_folder_of_yaml_records(
    cache_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """GitHub's "Download ZIP" of the PyPA advisory database: YAML records in sub-folders."""
    import zipfile

    archive = tmp_path / "advisory-database-main.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for record in sorted((FIXTURES / "records" / "demo").glob("PYSEC-2099-[12].yaml")):
            zipped.writestr(f"advisory-database-main/vulns/demo/{record.name}", record.read_text())
        zipped.writestr("advisory-database-main/.github/workflow.yaml", "not: a record\n")
        zipped.writestr("__MACOSX/advisory-database-main/._PYSEC-2099-1.yaml", "\x00\x05")
    assert main(["db", "import", str(archive)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.startswith("imported 2 advisories for 1 package from 2 files in ")


def test_import_of_one_record_counts_in_the_singular(
    cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = FIXTURES / "records" / "other" / "MAL-2099-1.json"
    assert main(["db", "import", str(record)]) == 0
    assert capsys.readouterr().out.startswith("imported 1 advisory for 1 package from 1 file in ")


def test_a_failed_update_says_the_database_is_unchanged(
    cache_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from bastion.errors import SourceError
    from bastion.net import HttpClient

    def unreachable(self: HttpClient, url: str, *args: object, **kwargs: object) -> int:
        raise SourceError(f"GET {url}: cannot connect (Name or service not known) after 4 attempts")

    monkeypatch.setattr(HttpClient, "download", unreachable)
    assert main(["db", "import", str(FIXTURES / "records")]) == 0
    before = (cache_dir / "advisories.sqlite3").read_bytes()
    capsys.readouterr()
    assert main(["db", "update", "--full"]) == 3
    assert capsys.readouterr().err == (
        "bastion: error: GET https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip: "
        "cannot connect (Name or service not known) after 4 attempts; the local database is "
        "unchanged\n"
    )
    assert (cache_dir / "advisories.sqlite3").read_bytes() == before


def test_an_import_killed_mid_build_leaves_nothing_behind_after_the_next_run(
    cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import signal
    import subprocess
    import sys
    import time

    script = (
        "import sys, time\n"
        "from bastion.advisories.writer import StoreWriter\n"
        "writer = StoreWriter()\n"
        "print('building', flush=True)\n"
        "time.sleep(60)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "building"
    child.send_signal(signal.SIGKILL)
    child.wait()
    left = [p.name for p in cache_dir.iterdir() if p.name.endswith(".tmp")]
    assert len(left) == 1 and f".{child.pid}." in left[0]  # what kill -9 leaves
    time.sleep(0.01)
    assert main(["db", "import", str(FIXTURES / "records")]) == 0
    capsys.readouterr()
    assert [p.name for p in cache_dir.iterdir() if p.name.endswith(".tmp")] == []


def test_show_prints_one_advisory_by_any_id(
    cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "import", str(FIXTURES / "records")]) == 0
    capsys.readouterr()
    assert main(["db", "show", "CVE-2099-0001"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].endswith("(advisory)")
    assert "Packages: demo" in out
    assert main(["db", "show", "GHSA-none-none-none"]) == 2
    assert "no advisory 'GHSA-none-none-none' in the local database" in capsys.readouterr().err
