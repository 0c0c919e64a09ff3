"""`--source osv-api`: the live OSV API source, against a fake OSV API and the shared osv-server.

The records in tests/fixtures/advisories/live/records are imported into a local database too,
so every comparison is "same records, same findings" between the two sources.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from bastion.advisories.importer import import_path
from bastion.advisories.local import LocalSource
from bastion.advisories.osv_api import OsvApiSource, open_source
from bastion.advisories.source import open_source as open_any_source
from bastion.cli import main
from bastion.config import Settings
from bastion.errors import InputError, SourceError
from bastion.net import DiskCache, HttpClient

LIVE = Path(__file__).resolve().parents[1] / "fixtures" / "advisories" / "live"
RECORDS = LIVE / "records"
OSV_SERVER = Path(__file__).resolve().parents[3] / "shared" / "tools" / "osv-server"

PINS = [
    ("alpha", "1.1"),
    ("alpha", "1.2"),
    ("alpha", "1.3"),
    ("alpha", "2.1"),
    ("beta", "1.5"),
    ("beta", "2.5"),
    ("beta", "3.0"),
    ("gamma-lib", "0.1.0"),
    ("gamma-lib", "0.2.0"),
    ("unknown", "1.0"),
]


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


def fixture_records() -> dict[str, dict[str, Any]]:
    return {path.stem: json.loads(path.read_text()) for path in sorted(RECORDS.glob("*.json"))}


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("BASTION_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def local(cache: Path) -> Iterator[LocalSource]:
    import_path(RECORDS, [])
    source = LocalSource()
    yield source
    source.close()


@pytest.fixture
def osv() -> Iterator[Any]:
    with fake.FakeServer() as server:
        api = fake.FakeOsv(server, fixture_records())
        api.server = server
        yield api


def api_source(url: str, cache: Path, **options: Any) -> OsvApiSource:
    client = HttpClient(backoff=0.0, retries=1, sleep=lambda _s: None, cache=DiskCache(cache))
    return OsvApiSource(url, client, **options)


def test_same_results_as_the_local_database(osv: Any, local: LocalSource, cache: Path) -> None:
    source = api_source(osv.server.url, cache / "http")
    assert source.audit(PINS) == local.audit(PINS)
    assert source.diagnostics == []


def test_exact_results(osv: Any, cache: Path) -> None:
    results = api_source(osv.server.url, cache / "http").audit(PINS)
    summary = {
        pin: (
            [(v.group.primary.id, v.group.aliases, v.fix_versions) for v in r.vulnerabilities],
            r.upgrade,
        )
        for pin, r in results.items()
    }
    assert summary == {
        # 1.2 fixes PYSEC-2098-1 but is itself affected by PYSEC-2098-2: the upgrade is 1.3.
        ("alpha", "1.1"): (
            [("PYSEC-2098-1", ("CVE-2098-0001", "GHSA-alfa-0001-aaaa"), ("1.2",))],
            "1.3",
        ),
        ("alpha", "1.2"): ([("PYSEC-2098-2", ("CVE-2098-0002",), ("1.3",))], "1.3"),
        ("alpha", "1.3"): ([], None),
        ("alpha", "2.1"): ([("OSV-2098-4", (), ())], None),
        ("beta", "1.5"): (
            [("GHSA-beta-0002-bbbb", ("CVE-2098-0005",), ()), ("OSV-2098-4", (), ("3.0",))],
            "3.0",
        ),
        ("beta", "2.5"): (
            [("GHSA-beta-0002-bbbb", ("CVE-2098-0005",), ()), ("OSV-2098-4", (), ("3.0",))],
            "3.0",
        ),
        ("beta", "3.0"): ([], None),
        ("gamma-lib", "0.1.0"): ([("MAL-2098-1", (), ())], None),
        ("gamma-lib", "0.2.0"): ([], None),
        ("unknown", "1.0"): ([], None),
    }
    beta = results["beta", "1.5"].vulnerabilities[0]
    assert beta.affected_functions == ("beta.Template.compile", "beta.render")
    assert beta.group.primary.severity.label == "critical"


def test_packages_are_queried_without_a_version(osv: Any, cache: Path) -> None:
    api_source(osv.server.url, cache).audit([("alpha", "1.1"), ("beta", "2.5")])
    (query,) = [r.json() for r in osv.server.requests if r.method == "POST"]
    assert query == {
        "queries": [
            {"package": {"name": "alpha", "ecosystem": "PyPI"}},
            {"package": {"name": "beta", "ecosystem": "PyPI"}},
        ]
    }
    # every advisory of both packages, the withdrawn one included, is fetched once
    assert sorted(osv.server.paths("GET")) == [
        "/v1/vulns/GHSA-alfa-0001-aaaa",
        "/v1/vulns/GHSA-beta-0002-bbbb",
        "/v1/vulns/OSV-2098-4",
        "/v1/vulns/PYSEC-2098-1",
        "/v1/vulns/PYSEC-2098-2",
        "/v1/vulns/PYSEC-2098-3",
    ]


def test_querybatch_holds_at_most_1000_queries(osv: Any, cache: Path) -> None:
    pins = [(f"pkg-{number}", "1.0") for number in range(2345)]
    results = api_source(osv.server.url, cache).audit(pins)
    sizes = [len(r.json()["queries"]) for r in osv.server.requests if r.method == "POST"]
    assert sizes == [1000, 1000, 345]
    assert len(results) == 2345
    assert all(not r.vulnerabilities for r in results.values())


def test_page_tokens_are_followed(osv: Any, local: LocalSource, cache: Path) -> None:
    osv.page_size = 2
    source = api_source(osv.server.url, cache / "http")
    assert source.audit(PINS) == local.audit(PINS)
    rounds = [r.json()["queries"] for r in osv.server.requests if r.method == "POST"]
    # alpha has 5 records (2 per page), beta 2, gamma-lib 1: alpha alone needs a third page
    assert [[q["package"]["name"] for q in batch] for batch in rounds] == [
        ["alpha", "beta", "gamma-lib", "unknown"],
        ["alpha"],
        ["alpha"],
    ]
    assert [q.get("page_token") for q in rounds[1] + rounds[2]] == ["2", "4"]


def test_endless_paging_is_a_source_error(cache: Path) -> None:
    with fake.FakeServer() as server:
        server.routes["POST", "/v1/querybatch"] = fake.json_reply(
            {"results": [{"next_page_token": "again"}]}
        )
        with pytest.raises(SourceError) as caught:
            api_source(server.url, cache).audit([("alpha", "1.0")])
    assert str(caught.value) == (
        f"POST {server.url}/v1/querybatch: still paging after 100 rounds; the server looks broken"
    )


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"results": []}, "expected 2 results, got 0; not an OSV API answer"),
        ({"nothing": 1}, "expected 2 results, got no; not an OSV API answer"),
        ({"results": [{}, {"vulns": [{"modified": "x"}]}]}, "a result lists a vulnerability"),
    ],
)
def test_an_answer_of_the_wrong_shape_is_a_source_error(
    cache: Path, answer: dict[str, Any], message: str
) -> None:
    with fake.FakeServer() as server:
        server.routes["POST", "/v1/querybatch"] = fake.json_reply(answer)
        with pytest.raises(SourceError) as caught:
            api_source(server.url, cache).audit([("alpha", "1.0"), ("beta", "1.0")])
    assert str(caught.value).startswith(f"POST {server.url}/v1/querybatch: {message}")


def test_a_record_that_cannot_be_fetched_fails_the_audit(osv: Any, cache: Path) -> None:
    osv.failing_ids.add("PYSEC-2098-2")
    with pytest.raises(SourceError) as caught:
        api_source(osv.server.url, cache).audit(PINS)
    assert str(caught.value) == (
        f"GET {osv.server.url}/v1/vulns/PYSEC-2098-2: HTTP 500 Internal Server Error "
        "after 2 attempts"
    )


def test_allow_partial_leaves_out_only_the_packages_concerned(
    osv: Any, local: LocalSource, cache: Path
) -> None:
    osv.failing_ids.add("PYSEC-2098-2")
    source = api_source(osv.server.url, cache / "http", allow_partial=True)
    results = source.audit(PINS)
    expected = {pin: r for pin, r in local.audit(PINS).items() if pin[0] != "alpha"}
    assert results == expected
    assert [str(d) for d in source.diagnostics] == [
        "OSV API: 1 package(s) were NOT checked for known vulnerabilities (--allow-partial): "
        f"alpha; GET {osv.server.url}/v1/vulns/PYSEC-2098-2: HTTP 500 Internal Server Error "
        "after 2 attempts"
    ]


def test_allow_partial_survives_a_failed_querybatch(cache: Path) -> None:
    with fake.FakeServer() as server:
        server.routes["POST", "/v1/querybatch"] = fake.Reply(503)
        source = api_source(server.url, cache, allow_partial=True)
        assert source.audit([("alpha", "1.0")]) == {}
    (diagnostic,) = source.diagnostics
    assert str(diagnostic).startswith(
        "OSV API: 1 package(s) were NOT checked for known vulnerabilities (--allow-partial): "
        f"alpha; POST {server.url}/v1/querybatch: HTTP 503"
    )


def test_a_warm_cache_fetches_no_records(osv: Any, cache: Path) -> None:
    first = api_source(osv.server.url, cache).audit(PINS)
    osv.server.requests.clear()
    assert api_source(osv.server.url, cache).audit(PINS) == first
    assert osv.server.paths() == ["/v1/querybatch"]


def test_a_record_with_a_newer_modified_is_fetched_again(osv: Any, cache: Path) -> None:
    api_source(osv.server.url, cache).audit(PINS)
    record = osv.records["PYSEC-2098-2"]
    record["modified"] = "2099-01-01T00:00:00Z"
    record["affected"][0]["ranges"][0]["events"][1] = {"fixed": "1.2.1"}
    osv.server.requests.clear()
    results = api_source(osv.server.url, cache).audit([("alpha", "1.1"), ("alpha", "1.2")])
    assert osv.server.paths("GET") == ["/v1/vulns/PYSEC-2098-2"]
    assert results["alpha", "1.1"].upgrade == "1.2.1"


def test_a_record_that_is_not_osv_is_skipped_with_a_warning(osv: Any, cache: Path) -> None:
    broken = copy.deepcopy(osv.records)
    broken["PYSEC-2098-2"]["affected"] = "not a list"
    with fake.FakeServer() as server:
        api = fake.FakeOsv(server, osv.records)
        server.fallback = lambda request: (
            fake.json_reply(broken["PYSEC-2098-2"])
            if request.path == "/v1/vulns/PYSEC-2098-2"
            else api.answer(request)
        )
        source = api_source(server.url, cache)
        results = source.audit([("alpha", "1.2")])
    assert results["alpha", "1.2"].vulnerabilities == ()
    assert [str(d) for d in source.diagnostics] == [
        f"{server.url}/v1/vulns/PYSEC-2098-2: skipped: PYSEC-2098-2: affected must be a list"
    ]


def test_versions_that_are_not_pep_440_are_reported_once_and_the_rest_is_used(
    osv: Any, cache: Path
) -> None:
    odd = copy.deepcopy(osv.records)
    odd["PYSEC-2098-2"]["affected"][0]["versions"] = ["1.2", "1.2-patched-by-hand"]
    with fake.FakeServer() as server:
        api = fake.FakeOsv(server, odd)
        server.fallback = api.answer
        source = api_source(server.url, cache)
        results = source.audit([("alpha", "1.2"), ("alpha", "1.1")])
    assert [v.group.primary.id for v in results["alpha", "1.2"].vulnerabilities] == ["PYSEC-2098-2"]
    # One warning, though two pins of the package were audited; no local import shows it.
    assert [str(d) for d in source.diagnostics] == [
        "OSV API: PYSEC-2098-2: alpha: 1 listed version(s) not PEP 440 (1.2-patched-by-hand); "
        "skipped"
    ]


def test_describe_says_it_is_live(osv: Any, cache: Path) -> None:
    status = api_source(osv.server.url + "/", cache).describe()
    assert status.line() == f"advisories: OSV API at {osv.server.url} (live)"
    assert status.age() is None  # no staleness warning for live data


def test_open_source_from_settings(cache: Path) -> None:
    settings = Settings(values={"source": "osv-api", "osv_url": "http://127.0.0.1:9/osv/"})
    source = open_any_source(settings)
    assert isinstance(source, OsvApiSource)
    assert source.url == "http://127.0.0.1:9/osv"
    assert source.client.cache is not None and source.client.cache.folder == cache / "http"
    with pytest.raises(InputError, match="plain http is accepted only for loopback"):
        open_source(Settings(values={"osv_url": "http://osv.example.org"}))


@pytest.mark.parametrize(
    "given",
    [
        "http://127.0.0.1:9/osv",
        "http://127.0.0.1:9/osv/v1/query",  # what pip-audit's --osv-url takes
        "http://127.0.0.1:9/osv/v1/querybatch/",
        "http://127.0.0.1:9/osv/v1",
    ],
)
def test_the_osv_url_may_be_the_root_or_an_endpoint_under_it(cache: Path, given: str) -> None:
    source = open_any_source(Settings(values={"source": "osv-api", "osv_url": given}))
    assert isinstance(source, OsvApiSource)
    assert source.url == "http://127.0.0.1:9/osv"


def write_project(tmp_path: Path) -> tuple[Path, Path]:
    project = tmp_path / "project"
    project.mkdir()
    requirements = project / "requirements.txt"
    requirements.write_text("".join(f"{n}=={v}\n" for n, v in PINS))
    return project, requirements


def run_audit(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code = main(["audit", "--format", "json", *args])
    out, _err = capsys.readouterr()
    return code, json.loads(out)


def test_the_cli_gives_the_same_report_from_both_sources(
    osv: Any, local: LocalSource, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project, requirements = write_project(tmp_path)
    common = ("-r", str(requirements), str(project))
    code_db, from_db = run_audit(capsys, *common)
    code_api, from_api = run_audit(
        capsys, "--source", "osv-api", "--osv-url", osv.server.url, *common
    )
    assert code_db == code_api == 1
    assert from_api["data_status"] == [f"advisories: OSV API at {osv.server.url} (live)"]
    assert len(from_api["findings"]) == 8
    for key in ("findings", "diagnostics", "summary"):
        assert from_api[key] == from_db[key]


def test_the_cli_reports_what_allow_partial_left_out(
    osv: Any, cache: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    osv.failing_ids.add("MAL-2098-1")
    osv.server.routes["GET", "/v1/vulns/MAL-2098-1"] = fake.Reply(404)  # not retried: fast
    project, requirements = write_project(tmp_path)
    code, report = run_audit(
        capsys,
        "--source",
        "osv-api",
        "--osv-url",
        osv.server.url,
        "--allow-partial",
        "-r",
        str(requirements),
        str(project),
    )
    assert code == 1
    assert "MAL-2098-1" not in {f["id"] for f in report["findings"]}
    assert len(report["findings"]) == 7
    assert any(
        "1 package(s) were NOT checked for known vulnerabilities (--allow-partial): gamma-lib;"
        in str(d)
        for d in report["diagnostics"]
    )


@pytest.fixture
def osv_server(cache: Path) -> Iterator[str]:
    """The shared osv-server over the fixture records, on a free loopback port."""
    if not OSV_SERVER.is_file():
        pytest.skip("../shared/tools/osv-server is not present")
    process = subprocess.Popen(
        [sys.executable, str(OSV_SERVER), str(RECORDS), "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # "serving 7 OSV records on http://127.0.0.1:PORT"
        assert line.startswith("serving 7 OSV records on http://127.0.0.1:"), line
        yield line.split()[-1]
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_osv_server_gives_the_local_databases_results(
    osv_server: str, local: LocalSource, cache: Path
) -> None:
    source = api_source(osv_server, cache / "http")
    assert source.audit(PINS) == local.audit(PINS)
    assert source.diagnostics == []


@pytest.mark.network
def test_the_real_osv_api(cache: Path) -> None:
    source = open_source(Settings(values={}))
    try:
        results = source.audit([("jinja2", "2.4.1")])
    finally:
        source.close()
    result = results["jinja2", "2.4.1"]
    assert len(result.vulnerabilities) >= 5
    assert result.upgrade is not None
