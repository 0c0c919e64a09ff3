"""The content-hash cache: hits, invalidation, corruption, and the environment override."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from bastion.code.cache import ScanCache, config_id, file_key
from bastion.code.runner import run_scan
from bastion.code.settings import ScanSettings

SOURCE = "import subprocess\nsubprocess.run(cmd, shell=True)\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    (root / "a.py").write_text(SOURCE)
    (root / "b.py").write_text("x = 1\n")
    return root


def settings(cache_dir: Path, **changes: object) -> ScanSettings:
    return replace(ScanSettings(cache_dir=cache_dir, jobs=1), **changes)  # type: ignore[arg-type]


def test_second_run_uses_the_cache_and_gives_the_same_findings(
    project: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    first = run_scan(project, settings(cache), project)
    second = run_scan(project, settings(cache), project)
    assert (first.stats.analysed, first.stats.cached) == (2, 0)
    assert (second.stats.analysed, second.stats.cached) == (0, 2)
    assert second.findings == first.findings
    assert [f.rule_id for f in second.findings] == ["B404", "B602"]


def test_a_changed_file_is_analysed_again(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run_scan(project, settings(cache), project)
    (project / "b.py").write_text("eval(input())\n")
    again = run_scan(project, settings(cache), project)
    assert (again.stats.analysed, again.stats.cached) == (1, 1)
    assert [f.rule_id for f in again.findings] == ["B404", "B602", "B307"]


def test_no_cache_neither_reads_nor_writes(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    result = run_scan(project, settings(cache, cache=False), project)
    assert result.stats.analysed == 2
    assert not cache.exists()


def test_a_corrupt_cache_is_rebuilt(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "scan-v1.sqlite3").write_bytes(b"this is not a database" * 100)
    first = run_scan(project, settings(cache), project)
    assert [f.rule_id for f in first.findings] == ["B404", "B602"]
    assert any("was unusable" in str(d) for d in first.diagnostics)
    second = run_scan(project, settings(cache), project)
    assert second.stats.cached == 2
    assert second.diagnostics == []


def test_unreadable_entries_count_as_missing(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run_scan(project, settings(cache), project)
    with sqlite3.connect(cache / "scan-v1.sqlite3") as db:
        db.execute("UPDATE entries SET data = 'not json'")
    again = run_scan(project, settings(cache), project)
    assert (again.stats.analysed, again.stats.cached) == (2, 0)
    assert [f.rule_id for f in again.findings] == ["B404", "B602"]


def test_keys_depend_on_content_path_and_configuration() -> None:
    config = config_id("security", ("B101", "B602"))
    assert config == config_id("security", ("B101", "B602"))
    assert config != config_id("security", ("B101",))
    key = file_key(config, "a.py", b"x = 1\n")
    assert key != file_key(config, "b.py", b"x = 1\n")
    assert key != file_key(config, "a.py", b"x = 2\n")
    assert key != file_key(config_id("security", ("B101",)), "a.py", b"x = 1\n")


def test_store_and_fetch_json_records(tmp_path: Path) -> None:
    store = ScanCache(tmp_path)
    store.put_many([("k1", json.dumps({"f": [], "s": [], "d": []}))])
    assert store.get_many(["k1", "k2"]) == {"k1": {"f": [], "s": [], "d": []}}
    store.close()


def test_env_var_overrides_the_cache_folder(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bastion.cli import main

    folder = tmp_path / "env-cache"
    monkeypatch.setenv("BASTION_CACHE_DIR", str(folder))
    assert main(["scan", str(project), "-f", "json", "-o", str(tmp_path / "out.json")]) == 1
    assert (folder / "scan-v1.sqlite3").is_file()
