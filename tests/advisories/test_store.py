"""The store: import, lookup, atomic replacement, corruption, zips, incremental updates."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pytest

from bastion.advisories import importer
from bastion.advisories.importer import ImportResult, import_path, import_zip, update_records
from bastion.advisories.local import LocalSource
from bastion.advisories.model import parse_record
from bastion.advisories.records import NoAdvisoryData
from bastion.advisories.store import SCHEMA_VERSION, Store, default_path
from bastion.advisories.writer import StoreWriter
from bastion.errors import InputError, SourceError
from bastion.findings import Diagnostic, Severity

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "advisories"


def test_default_path_honours_the_env_override(cache_dir: Path) -> None:
    assert default_path() == cache_dir / "advisories.sqlite3"


def test_import_counts_and_meta(fixture_db: ImportResult, cache_dir: Path) -> None:
    stats = fixture_db.stats
    assert (stats.stored, stats.withdrawn, stats.not_pypi) == (12, 1, 1)
    assert (fixture_db.files, fixture_db.skipped) == (14, 0)
    with Store.open() as store:
        info = store.info()
    assert info.path == cache_dir / "advisories.sqlite3"
    assert (info.schema, info.records, info.packages) == (SCHEMA_VERSION, 12, 3)
    assert info.source == str((FIXTURES / "records").resolve())
    assert info.newest_record == "2099-09-01T00:00:00Z"
    assert info.imported_at is not None


def test_lookup_returns_every_advisory_of_the_package(fixture_db: ImportResult) -> None:
    with Store.open() as store:
        found = store.lookup(["demo", "evil-pkg", "absent"])
    assert sorted(a.record.id for a in found["demo"]) == [
        "GHSA-aaaa-bbbb-cccc",
        "GHSA-chai-nnnn-aaaa",
        "OSV-2099-6",
        "PYSEC-2099-1",
        "PYSEC-2099-11",
        "PYSEC-2099-2",
        "PYSEC-2099-3",
        "PYSEC-2099-4",
        "PYSEC-2099-5",
        "PYSEC-2099-9",
    ]
    assert found["absent"] == []
    ghsa = next(a for a in found["demo"] if a.record.id == "GHSA-aaaa-bbbb-cccc")
    assert ghsa.record.severity == Severity.HIGH
    assert (ghsa.record.score, ghsa.record.vector) == (
        7.5,
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N",
    )
    assert ghsa.record.references == (
        "https://example.org/advisories/GHSA-aaaa-bbbb-cccc",
        "https://example.org/demo/issue/1",
    )
    assert ghsa.record.cwe == ("CWE-22",)
    assert ghsa.affected_functions == ("demo.files.read",)
    (mal,) = found["evil-pkg"]
    assert mal.record.malicious and mal.record.severity == Severity.CRITICAL


def test_broken_files_are_skipped_and_the_rest_imported(cache_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    for name in ("bad.yaml", "bad.json", "noid.json", "badshape.json"):
        (folder / name).write_bytes((FIXTURES / "broken" / name).read_bytes())
    (folder / "good.json").write_bytes((FIXTURES / "records/other/MAL-2099-1.json").read_bytes())
    (folder / "notes.txt").write_text("not a record")
    diagnostics: list[Diagnostic] = []
    result = import_path(folder, diagnostics)
    assert (result.info.records, result.files, result.skipped) == (1, 5, 4)
    lines = sorted(str(d) for d in diagnostics)
    assert lines[0] == f"{folder}/bad.json:2: skipped: not valid JSON: Expecting value"
    # libyaml and the pure-Python loader word the problem differently; the place is the same.
    assert lines[1].startswith(f"{folder}/bad.yaml:4: skipped: not valid YAML: while parsing")
    assert lines[2:] == [
        f"{folder}/badshape.json: skipped: BROKEN-3: affected must be a list",
        f"{folder}/noid.json: skipped: record has no id",
    ]


def test_a_failed_import_leaves_the_previous_database(
    fixture_db: ImportResult, cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = (cache_dir / "advisories.sqlite3").read_bytes()

    def explode(self: StoreWriter, source: str, now: object = None) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(StoreWriter, "commit", explode)
    with pytest.raises(SourceError, match=r"disk full.*the previous one is unchanged"):
        import_path(FIXTURES / "records" / "other", [])
    assert (cache_dir / "advisories.sqlite3").read_bytes() == before
    assert sorted(p.name for p in cache_dir.iterdir()) == ["advisories.sqlite3"]  # no temp left


def test_an_interrupted_import_leaves_the_previous_database(
    fixture_db: ImportResult, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(importer, "parse_bytes", interrupted)
    with pytest.raises(KeyboardInterrupt):
        import_path(FIXTURES / "records", [])
    with Store.open() as store:
        assert store.info().records == 12
    assert sorted(p.name for p in cache_dir.iterdir()) == ["advisories.sqlite3"]


def test_an_import_without_records_changes_nothing(
    fixture_db: ImportResult, tmp_path: Path
) -> None:
    with pytest.raises(InputError, match="no PyPI advisories found"):
        import_path(FIXTURES / "broken", [])
    with Store.open() as store:
        assert store.info().records == 12


def test_no_database_says_how_to_get_one(cache_dir: Path) -> None:
    with pytest.raises(NoAdvisoryData) as caught:
        LocalSource()
    message = str(caught.value)
    assert "bastion db import PATH" in message
    assert "bastion db update" in message
    assert "--source osv-api" in message
    assert caught.value.exit_code == 3


@pytest.mark.parametrize("content", [b"garbage bytes, not sqlite" * 100, b""])
def test_a_corrupt_database_names_the_fix(cache_dir: Path, content: bytes) -> None:
    cache_dir.mkdir()
    (cache_dir / "advisories.sqlite3").write_bytes(content)
    with pytest.raises(SourceError) as caught:
        Store.open()
    assert "bastion db import PATH" in str(caught.value)
    assert "bastion db update" in str(caught.value)


def test_a_truncated_database_is_detected(fixture_db: ImportResult, cache_dir: Path) -> None:
    path = cache_dir / "advisories.sqlite3"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(SourceError, match="rebuild it with"), Store.open() as store:
        store.lookup(["demo"])


def test_another_schema_version_is_refused(fixture_db: ImportResult, cache_dir: Path) -> None:
    import sqlite3

    path = cache_dir / "advisories.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    with pytest.raises(SourceError, match="schema version 999"):
        Store.open()


def _zip_of(folder: Path, extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*.json")):
            archive.writestr(path.name, path.read_bytes())
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_import_from_a_path_and_from_a_file_object(cache_dir: Path, tmp_path: Path) -> None:
    data = _zip_of(FIXTURES / "records", {"README.txt": b"skip me", "dir/": b""})
    zip_path = tmp_path / "all.zip"
    zip_path.write_bytes(data)
    result = import_path(zip_path, [])
    assert result.info.records == 6  # the JSON fixtures (withdrawn and npm-only left out)
    assert result.info.source == str(zip_path.resolve())
    again = import_zip(io.BytesIO(data), [], label="https://example.org/PyPI/all.zip")
    assert again.info.records == 6
    assert again.info.source == "https://example.org/PyPI/all.zip"


def test_a_truncated_zip_is_one_clear_error(cache_dir: Path, tmp_path: Path) -> None:
    data = _zip_of(FIXTURES / "records")
    zip_path = tmp_path / "all.zip"
    zip_path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="not a readable zip file") as caught:
        import_zip(zip_path, [])
    assert str(zip_path) in str(caught.value)


def test_oversized_or_damaged_members_are_skipped(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = json.dumps(
        {
            "id": "PYSEC-1",
            "affected": [{"package": {"ecosystem": "PyPI", "name": "a"}, "versions": ["1"]}],
        }
    )
    big = json.dumps({"id": "PYSEC-2", "details": "x" * 5000, "affected": []})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("PYSEC-1.json", small)
        archive.writestr("PYSEC-2.json", big)
    monkeypatch.setattr(importer, "MAX_MEMBER_BYTES", 1000)
    diagnostics: list[Diagnostic] = []
    result = import_zip(io.BytesIO(buffer.getvalue()), diagnostics)
    assert result.info.records == 1
    assert [str(d) for d in diagnostics] == ["<zip>:PYSEC-2.json: skipped: larger than 1000 bytes"]


def test_incremental_update_adds_replaces_and_removes(
    fixture_db: ImportResult, cache_dir: Path
) -> None:
    newer = parse_record(
        {
            "id": "PYSEC-2099-3",
            "modified": "2100-01-01T00:00:00Z",
            "details": "updated",
            "affected": [{"package": {"ecosystem": "PyPI", "name": "demo"}, "versions": ["9"]}],
        }
    )
    older = parse_record(
        {
            "id": "PYSEC-2099-4",
            "modified": "1999-01-01T00:00:00Z",
            "affected": [{"package": {"ecosystem": "PyPI", "name": "demo"}, "versions": ["9"]}],
        }
    )
    withdrawn = parse_record(
        {
            "id": "PYSEC-2099-5",
            "modified": "2100-01-01T00:00:00Z",
            "withdrawn": "2100-01-01T00:00:00Z",
        }
    )
    added = parse_record(
        {
            "id": "PYSEC-2100-1",
            "modified": "2100-01-01T00:00:00Z",
            "affected": [{"package": {"ecosystem": "PyPI", "name": "fresh"}, "versions": ["1"]}],
        }
    )
    result = update_records(
        [("u1", newer), ("u2", older), ("u3", withdrawn), ("u4", added)],
        removed=["PYSEC-2099-9"],
        diagnostics=[],
        label="osv update",
    )
    assert (result.stats.stored, result.stats.older, result.stats.withdrawn) == (2, 1, 1)
    assert result.stats.removed == 2
    with Store.open() as store:
        info = store.info()
        times = store.modified_times()
        demo = {a.record.id: a for a in store.lookup(["demo"])["demo"]}
    assert info.records == 12 - 2 + 1
    assert info.source == "osv update"
    assert times["PYSEC-2099-3"] == "2100-01-01T00:00:00Z"
    assert times["PYSEC-2099-4"] == "2099-03-02T00:00:00Z"  # the older copy did not win
    assert demo["PYSEC-2099-3"].record.details == "updated"
    assert "PYSEC-2099-5" not in demo and "PYSEC-2099-9" not in demo


def test_the_store_file_is_replaced_not_rewritten(
    fixture_db: ImportResult, cache_dir: Path
) -> None:
    path = cache_dir / "advisories.sqlite3"
    inode = os.stat(path).st_ino
    import_path(FIXTURES / "records", [])
    assert os.stat(path).st_ino != inode
