"""`bastion db update`: full and incremental updates from a fake OSV export on 127.0.0.1."""

from __future__ import annotations

import copy
import datetime as dt
import importlib.util
import io
import json
import sqlite3
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from bastion.advisories import update
from bastion.advisories.importer import import_path
from bastion.advisories.local import LocalSource
from bastion.advisories.store import Store
from bastion.advisories.update import UpdateResult, parse_modified_list, update_database
from bastion.cli import main
from bastion.errors import SourceError
from bastion.findings import Diagnostic
from bastion.net import HttpClient

LIVE = Path(__file__).resolve().parents[1] / "fixtures" / "advisories" / "live"
RECORDS = LIVE / "records"


def load_fakeserver() -> ModuleType:
    name = "bastion_tests_fakeserver"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, LIVE / "fakeserver.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


fake = load_fakeserver()


class Export:
    """OSV's PyPI export folder (`/PyPI/all.zip`, `modified_id.csv`, `ID.json`), built from
    `records` at each request, so tests change the export by changing `records`."""

    def __init__(self, server: Any) -> None:
        self.server = server
        self.records: dict[str, dict[str, Any]] = {
            path.stem: json.loads(path.read_text()) for path in sorted(RECORDS.glob("*.json"))
        }
        self.unlisted: set[str] = set()  # in the zip but not in modified_id.csv
        server.fallback = self.answer

    @property
    def url(self) -> str:
        return f"{self.server.url}/PyPI"

    def zip_bytes(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for ident, record in sorted(self.records.items()):
                archive.writestr(f"{ident}.json", json.dumps(record))
        return buffer.getvalue()

    def csv_bytes(self) -> bytes:
        rows = sorted(
            ((r["modified"], i) for i, r in self.records.items() if i not in self.unlisted),
            reverse=True,
        )
        return "".join(f"{modified},{ident}\n" for modified, ident in rows).encode()

    def answer(self, request: Any) -> Any:
        if request.path == "/PyPI/all.zip":
            return fake.Reply(body=self.zip_bytes())
        if request.path == "/PyPI/modified_id.csv":
            return fake.Reply(body=self.csv_bytes())
        ident = request.path.removeprefix("/PyPI/").removesuffix(".json")
        if ident in self.records:
            return fake.json_reply(self.records[ident])
        return fake.Reply(404)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("BASTION_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def export() -> Iterator[Export]:
    with fake.FakeServer() as server:
        yield Export(server)


def run_update(export: Export, **options: Any) -> tuple[UpdateResult, list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    client = HttpClient(backoff=0.0, retries=1, sleep=lambda _s: None)
    with client:
        result = update_database(export.url, client, diagnostics, **options)
    return result, diagnostics


def counts(result: UpdateResult) -> tuple[str, int, int, int, int]:
    return (result.mode, result.added, result.updated, result.removed, result.fetched)


def set_meta(cache: Path, key: str, value: str) -> None:
    with sqlite3.connect(cache / "advisories.sqlite3") as db:
        db.execute("UPDATE meta SET value = ? WHERE key = ?", (value, key))
    db.close()


def days_ago(days: int) -> str:
    return (dt.datetime.now(dt.UTC) - dt.timedelta(days=days)).replace(microsecond=0).isoformat()


def test_the_first_update_downloads_the_whole_export(cache: Path, export: Export) -> None:
    result, diagnostics = run_update(export)
    assert counts(result) == ("full", 6, 0, 0, 0)  # 7 records, one withdrawn
    assert result.full_reason == "no local database yet"
    assert result.downloaded_bytes == len(export.zip_bytes())
    assert export.server.paths() == ["/PyPI/all.zip"]
    assert diagnostics == []
    info = result.info
    assert (info.source, info.records, info.packages) == (export.url, 6, 3)
    assert info.newest_record == "2098-06-01T00:00:00Z"
    assert info.imported_at is not None
    assert dt.datetime.now(dt.UTC) - info.imported_at < dt.timedelta(minutes=5)
    assert sorted(p.name for p in cache.iterdir()) == ["advisories.sqlite3"]  # no temp file


def test_the_next_update_fetches_only_what_changed(cache: Path, export: Export) -> None:
    run_update(export)
    records = export.records
    changed = records["GHSA-beta-0002-bbbb"]
    changed["modified"] = "2098-07-01T00:00:00Z"
    changed["affected"][0]["versions"] = ["1.0", "1.5", "2.0"]  # 2.5 no longer affected
    withdrawn = records["PYSEC-2098-2"]
    withdrawn["modified"] = "2098-07-02T00:00:00Z"
    withdrawn["withdrawn"] = "2098-07-02T00:00:00Z"
    added = copy.deepcopy(records["PYSEC-2098-1"])
    added.update(id="PYSEC-2098-9", modified="2098-07-03T00:00:00Z", aliases=[])
    records["PYSEC-2098-9"] = added
    del records["MAL-2098-1"]  # gone from the export
    export.server.requests.clear()

    result, diagnostics = run_update(export)

    assert counts(result) == ("incremental", 1, 1, 2, 3)
    assert diagnostics == []
    assert sorted(export.server.paths()) == [
        "/PyPI/GHSA-beta-0002-bbbb.json",
        "/PyPI/PYSEC-2098-2.json",
        "/PyPI/PYSEC-2098-9.json",
        "/PyPI/modified_id.csv",
    ]
    assert (result.info.source, result.info.records) == (export.url, 5)
    source = LocalSource()
    try:
        results = source.audit([("beta", "2.5"), ("alpha", "1.2"), ("gamma-lib", "0.1.0")])
    finally:
        source.close()
    assert [v.group.primary.id for v in results["beta", "2.5"].vulnerabilities] == ["OSV-2098-4"]
    assert [v.group.primary.id for v in results["alpha", "1.2"].vulnerabilities] == []
    assert results["gamma-lib", "0.1.0"].vulnerabilities == ()


def test_an_update_with_nothing_new_only_renews_the_time(cache: Path, export: Export) -> None:
    run_update(export)
    set_meta(cache, "imported_at", days_ago(3))
    export.server.requests.clear()
    result, _ = run_update(export)
    assert counts(result) == ("incremental", 0, 0, 0, 0)
    assert export.server.paths() == ["/PyPI/modified_id.csv"]
    assert result.info.imported_at is not None
    assert dt.datetime.now(dt.UTC) - result.info.imported_at < dt.timedelta(minutes=5)


def test_records_left_out_on_purpose_are_not_fetched_again(cache: Path, export: Export) -> None:
    run_update(export)  # PYSEC-2098-3 is withdrawn: not stored, but listed
    export.records["PYSEC-2098-3"]["modified"] = "2097-01-01T00:00:00Z"  # long before the rest
    export.server.requests.clear()
    result, _ = run_update(export)
    assert counts(result) == ("incremental", 0, 0, 0, 0)
    assert export.server.paths() == ["/PyPI/modified_id.csv"]


@pytest.mark.parametrize(
    ("prepare", "reason"),
    [
        (lambda cache, export: set_meta(cache, "imported_at", days_ago(40)), "older than 30 days"),
        (
            lambda cache, export: set_meta(cache, "source", "/somewhere/else"),
            "came from /somewhere",
        ),
    ],
)
def test_a_full_download_when_the_database_is_old_or_foreign(
    cache: Path, export: Export, prepare: Any, reason: str
) -> None:
    run_update(export)
    prepare(cache, export)
    export.server.requests.clear()
    result, _ = run_update(export)
    assert result.mode == "full"
    assert result.full_reason is not None and reason in result.full_reason
    assert export.server.paths() == ["/PyPI/all.zip"]
    assert counts(result) == ("full", 0, 0, 0, 0)
    assert result.info.source == export.url


def test_a_database_imported_from_a_folder_is_replaced(cache: Path, export: Export) -> None:
    import_path(RECORDS, [])
    result, _ = run_update(export)
    assert result.full_reason == f"the local database came from {RECORDS.resolve()}"
    assert result.info.source == export.url


def test_full_is_forced_with_the_flag(cache: Path, export: Export) -> None:
    run_update(export)
    result, _ = run_update(export, full=True)
    assert (result.mode, result.full_reason) == ("full", "--full was given")


def test_many_changes_are_cheaper_as_a_full_download(
    cache: Path, export: Export, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_update(export)
    monkeypatch.setattr(update, "MAX_INCREMENTAL", 1)
    for ident in ("PYSEC-2098-1", "PYSEC-2098-2"):
        export.records[ident]["modified"] = "2098-08-01T00:00:00Z"
    export.server.requests.clear()
    result, _ = run_update(export)
    assert (result.mode, result.full_reason) == ("full", "2 records changed")
    assert counts(result) == ("full", 0, 2, 0, 0)
    assert export.server.paths() == ["/PyPI/modified_id.csv", "/PyPI/all.zip"]


def test_a_list_that_drops_most_records_is_not_trusted(cache: Path, export: Export) -> None:
    run_update(export)
    export.unlisted = {"PYSEC-2098-1", "PYSEC-2098-2", "GHSA-alfa-0001-aaaa", "OSV-2098-4"}
    result, _ = run_update(export)
    assert result.full_reason == f"{export.url}/modified_id.csv no longer lists 4 of 6 records"
    assert result.info.records == 6


def test_an_interrupted_download_leaves_the_previous_database(cache: Path, export: Export) -> None:
    run_update(export)
    database = cache / "advisories.sqlite3"
    before = database.read_bytes()
    export.records["PYSEC-2098-1"]["modified"] = "2098-09-01T00:00:00Z"
    body = export.zip_bytes()
    export.server.routes["GET", "/PyPI/all.zip"] = fake.Reply(body=body, drop_after=len(body) // 2)
    with pytest.raises(SourceError) as caught:
        run_update(export, full=True)
    message = str(caught.value)
    assert message.startswith(f"GET {export.url}/all.zip: the connection broke (")
    assert message.endswith(" after 2 attempts")
    assert database.read_bytes() == before
    assert sorted(p.name for p in cache.iterdir()) == ["advisories.sqlite3"]
    with Store.open() as store:
        assert store.info().records == 6


def test_a_download_that_is_not_a_zip_leaves_the_previous_database(
    cache: Path, export: Export
) -> None:
    run_update(export)
    before = (cache / "advisories.sqlite3").read_bytes()
    export.server.routes["GET", "/PyPI/all.zip"] = fake.Reply(body=b"<html>maintenance</html>")
    with pytest.raises(SourceError) as caught:
        run_update(export, full=True)
    assert str(caught.value).startswith(f"{export.url}/all.zip: not a usable OSV export (")
    assert str(caught.value).endswith("; the previous database is unchanged")
    assert (cache / "advisories.sqlite3").read_bytes() == before


def test_a_download_over_the_size_cap_is_refused(
    cache: Path, export: Export, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(update, "MAX_EXPORT_BYTES", 100)
    with pytest.raises(SourceError) as caught:
        run_update(export)
    assert str(caught.value) == f"GET {export.url}/all.zip: the answer is larger than 100 bytes"
    assert not (cache / "advisories.sqlite3").exists()


def test_a_failed_record_download_leaves_the_previous_database(cache: Path, export: Export) -> None:
    run_update(export)
    before = (cache / "advisories.sqlite3").read_bytes()
    export.records["PYSEC-2098-1"]["modified"] = "2098-09-01T00:00:00Z"
    export.server.routes["GET", "/PyPI/PYSEC-2098-1.json"] = fake.Reply(500)
    with pytest.raises(SourceError) as caught:
        run_update(export)
    assert str(caught.value) == (
        f"GET {export.url}/PYSEC-2098-1.json: HTTP 500 Internal Server Error after 2 attempts; "
        "the previous database is unchanged"
    )
    assert (cache / "advisories.sqlite3").read_bytes() == before


def test_a_listed_record_that_is_gone_is_skipped_with_a_warning(
    cache: Path, export: Export
) -> None:
    run_update(export)
    export.records["PYSEC-2098-1"]["modified"] = "2098-09-01T00:00:00Z"
    export.server.routes["GET", "/PyPI/PYSEC-2098-1.json"] = fake.Reply(404)
    result, diagnostics = run_update(export)
    assert counts(result) == ("incremental", 0, 0, 0, 0)
    assert [str(d) for d in diagnostics] == [
        f"{export.url}/PYSEC-2098-1.json: skipped: listed as changed but not found"
    ]


def test_an_empty_list_is_a_source_error(cache: Path, export: Export) -> None:
    run_update(export)
    export.server.routes["GET", "/PyPI/modified_id.csv"] = fake.Reply(body=b"")
    with pytest.raises(SourceError) as caught:
        run_update(export)
    assert str(caught.value) == (
        f"{export.url}/modified_id.csv lists no records; the previous database is unchanged"
    )


def test_offline_refuses_before_any_request(cache: Path, export: Export) -> None:
    with HttpClient(offline=True) as client, pytest.raises(SourceError) as caught:
        update_database(export.url, client, [])
    assert str(caught.value) == (
        f"offline: not fetching {export.url}/all.zip (--offline forbids network access)"
    )
    assert export.server.requests == []


def test_parse_modified_list() -> None:
    data = (
        b"2024-06-02T10:00:00.123456789Z,GHSA-aaaa-bbbb-cccc\n"
        b"\n"
        b"2024-06-01T00:00:00Z,PyPI/PYSEC-2024-1\n"
        b"yesterday,PYSEC-2024-2\n"
        b"2024-05-01T00:00:00Z,../../etc/passwd x\n"
        b"2023-01-01T00:00:00Z,GHSA-aaaa-bbbb-cccc\n"
    )
    diagnostics: list[Diagnostic] = []
    listed = parse_modified_list(data, "modified_id.csv", diagnostics)
    assert listed == {
        "GHSA-aaaa-bbbb-cccc": dt.datetime(2024, 6, 2, 10, 0, 0, 123456, tzinfo=dt.UTC),
        "PYSEC-2024-1": dt.datetime(2024, 6, 1, tzinfo=dt.UTC),
    }
    assert [str(d) for d in diagnostics] == [
        "modified_id.csv:4: skipped: expected <modified>,<ID>, got 'yesterday,PYSEC-2024-2'",
        "modified_id.csv:5: skipped: expected <modified>,<ID>, got "
        "'2024-05-01T00:00:00Z,../../etc/passwd x'",
    ]


def test_the_command_prints_what_changed(
    cache: Path, export: Export, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "update", "--osv-export-url", export.url + "/"]) == 0
    out, err = capsys.readouterr()
    size = len(export.zip_bytes())
    assert out.splitlines() == [
        f"updated from {export.url} (full download of {size:,} bytes: no local database yet)",
        "changes: 6 added, 0 updated, 0 removed",
        "now: 6 advisories for 3 packages, newest record 2098-06-01, imported just now",
        f"database: {cache / 'advisories.sqlite3'}",
    ]
    assert err == ""
    export.records["MAL-2098-1"]["modified"] = "2098-09-01T00:00:00Z"
    assert main(["db", "update", "--osv-export-url", export.url]) == 0
    assert capsys.readouterr().out.splitlines()[:3] == [
        f"updated from {export.url} (incremental, 1 changed records fetched)",
        "changes: 0 added, 1 updated, 0 removed",
        "now: 6 advisories for 3 packages, newest record 2098-09-01, imported just now",
    ]


def test_the_export_url_can_come_from_pyproject(
    cache: Path,
    export: Export,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text(f'[tool.bastion]\nosv-export-url = "{export.url}"\n')
    monkeypatch.chdir(project)
    assert main(["db", "update"]) == 0
    assert capsys.readouterr().out.startswith(f"updated from {export.url} (full download of ")


def test_the_command_offline_is_exit_3_and_touches_nothing(
    cache: Path, export: Export, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "update", "--offline", "--osv-export-url", export.url]) == 3
    (line,) = capsys.readouterr().err.splitlines()
    assert line == (
        f"bastion: error: offline: not fetching {export.url}/all.zip "
        "(--offline forbids network access)"
    )
    assert export.server.requests == []


def test_the_command_refuses_plain_http_to_other_hosts(
    cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "update", "--osv-export-url", "http://mirror.example.org/PyPI"]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line == (
        "bastion: error: --osv-export-url http://mirror.example.org/PyPI: plain http is "
        "accepted only for loopback addresses; use https"
    )


@pytest.mark.network
def test_the_real_osv_export(cache: Path) -> None:
    diagnostics: list[Diagnostic] = []
    with HttpClient() as client:
        first = update_database(update.DEFAULT_EXPORT_URL, client, diagnostics)
        second = update_database(update.DEFAULT_EXPORT_URL, client, diagnostics)
    assert first.mode == "full" and first.info.records > 5000
    assert second.mode == "incremental"
