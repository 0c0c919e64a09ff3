"""`bastion.net`, the one HTTP client, against a fake server on 127.0.0.1."""

from __future__ import annotations

import importlib.util
import io
import socket
import ssl
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from bastion import __version__
from bastion.errors import InputError, SourceError
from bastion.net import (
    DiskCache,
    HttpClient,
    HttpStatusError,
    cache_root,
    check_base_url,
    tls_context,
    user_agent,
)

LIVE = Path(__file__).resolve().parent / "fixtures" / "advisories" / "live"


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


@pytest.fixture
def server() -> Iterator[Any]:
    with fake.FakeServer() as running:
        yield running


@pytest.fixture
def sleeps() -> list[float]:
    return []


def client(sleeps: list[float], **options: Any) -> HttpClient:
    options.setdefault("retries", 3)
    return HttpClient(backoff=0.0, sleep=sleeps.append, **options)


def test_user_agent_names_bastion_and_its_version() -> None:
    from bastion.net import project_url

    url = project_url()
    expected = f"bastion/{__version__}" + (f" (+{url})" if url else "")
    assert user_agent() == expected
    assert "bastion-security" not in user_agent()  # no made-up address


def test_get_sends_the_user_agent_and_returns_the_body(server: Any, sleeps: list[float]) -> None:
    server.routes["GET", "/hello"] = fake.Reply(body=b"hi there")
    with client(sleeps) as http:
        assert http.get(f"{server.url}/hello") == b"hi there"
    (request,) = server.requests
    assert request.headers["User-Agent"] == user_agent()
    assert sleeps == []


def test_post_json_sends_json_and_decodes_the_answer(server: Any, sleeps: list[float]) -> None:
    server.routes["POST", "/echo"] = fake.json_reply({"ok": [1, 2]})
    with client(sleeps) as http:
        assert http.post_json(f"{server.url}/echo", {"queries": ["a"]}) == {"ok": [1, 2]}
    (request,) = server.requests
    assert request.json() == {"queries": ["a"]}
    assert request.headers["Content-Type"] == "application/json"


def test_an_answer_that_is_not_json_is_a_source_error(server: Any, sleeps: list[float]) -> None:
    server.routes["POST", "/echo"] = fake.Reply(body=b"<html>")
    with client(sleeps) as http, pytest.raises(SourceError, match=r"the answer is not JSON"):
        http.post_json(f"{server.url}/echo", {})


def test_5xx_is_retried_until_it_succeeds(server: Any, sleeps: list[float]) -> None:
    server.routes["GET", "/flaky"] = [fake.Reply(503), fake.Reply(502), fake.Reply(body=b"ok")]
    with client(sleeps) as http:
        assert http.get(f"{server.url}/flaky") == b"ok"
    assert server.paths() == ["/flaky"] * 3
    assert len(sleeps) == 2


def test_retry_after_is_honoured(server: Any, sleeps: list[float]) -> None:
    server.routes["GET", "/busy"] = [
        fake.Reply(429, headers={"Retry-After": "7"}),
        fake.Reply(body=b"ok"),
    ]
    with client(sleeps) as http:
        assert http.get(f"{server.url}/busy") == b"ok"
    assert sleeps == [7.0]


def test_a_retry_after_beyond_the_cap_fails_at_once(server: Any, sleeps: list[float]) -> None:
    server.routes["GET", "/busy"] = fake.Reply(503, headers={"Retry-After": "3600"})
    with client(sleeps) as http, pytest.raises(HttpStatusError) as caught:
        http.get(f"{server.url}/busy")
    assert str(caught.value) == (
        f"GET {server.url}/busy: HTTP 503; the server asks to retry after 3600 s "
        "(more than bastion waits, 30 s)"
    )
    assert len(server.requests) == 1 and sleeps == []


def test_retries_are_bounded(server: Any, sleeps: list[float]) -> None:
    server.routes["GET", "/down"] = fake.Reply(500)
    with client(sleeps, retries=2) as http, pytest.raises(HttpStatusError) as caught:
        http.get(f"{server.url}/down")
    assert str(caught.value) == (
        f"GET {server.url}/down: HTTP 500 Internal Server Error after 3 attempts"
    )
    assert caught.value.status == 500
    assert len(server.requests) == 3 and len(sleeps) == 2


def test_404_is_not_retried(server: Any, sleeps: list[float]) -> None:
    with client(sleeps) as http, pytest.raises(HttpStatusError) as caught:
        http.get(f"{server.url}/missing")
    assert caught.value.status == 404
    assert str(caught.value) == f"GET {server.url}/missing: HTTP 404 Not Found"
    assert len(server.requests) == 1 and sleeps == []


def test_a_dropped_connection_is_retried(server: Any, sleeps: list[float]) -> None:
    server.routes["GET", "/file"] = [
        fake.Reply(body=b"x" * 5000, drop_after=100),
        fake.Reply(body=b"complete"),
    ]
    with client(sleeps) as http:
        assert http.get(f"{server.url}/file") == b"complete"
    assert len(server.requests) == 2


def test_a_download_starts_over_after_a_broken_connection(server: Any, sleeps: list[float]) -> None:
    body = bytes(range(256)) * 40
    server.routes["GET", "/big"] = [fake.Reply(body=body, drop_after=1000), fake.Reply(body=body)]
    sink = io.BytesIO()
    with client(sleeps) as http:
        assert http.download(f"{server.url}/big", sink, max_bytes=len(body)) == len(body)
    assert sink.getvalue() == body


def test_a_connection_that_always_breaks_is_a_source_error(
    server: Any, sleeps: list[float]
) -> None:
    server.routes["GET", "/big"] = fake.Reply(body=b"x" * 5000, drop_after=10)
    with client(sleeps, retries=1) as http, pytest.raises(SourceError) as caught:
        http.download(f"{server.url}/big", io.BytesIO(), max_bytes=10_000)
    message = str(caught.value)
    assert message.startswith(f"GET {server.url}/big: the connection broke (")
    assert message.endswith(") after 2 attempts")


def test_a_slow_server_times_out(server: Any, sleeps: list[float]) -> None:
    server.routes["GET", "/slow"] = fake.Reply(body=b"late", delay=1.0)
    with client(sleeps, retries=1, read_timeout=0.1) as http, pytest.raises(SourceError) as caught:
        http.get(f"{server.url}/slow")
    assert str(caught.value) == f"GET {server.url}/slow: timed out (ReadTimeout) after 2 attempts"


def test_a_refused_connection_is_a_source_error(sleeps: list[float]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/x"
    with client(sleeps, retries=1) as http, pytest.raises(SourceError) as caught:
        http.get(url)
    assert str(caught.value).startswith(f"GET {url}: cannot connect (")
    assert str(caught.value).endswith(" after 2 attempts")


def test_offline_fails_before_any_connection(server: Any, sleeps: list[float]) -> None:
    http = client(sleeps, offline=True)
    with pytest.raises(SourceError) as caught:
        http.get(f"{server.url}/x")
    assert str(caught.value) == (
        f"offline: not fetching {server.url}/x (--offline forbids network access)"
    )
    with pytest.raises(SourceError, match=r"^offline: not fetching"):
        http.fetch_all([(f"{server.url}/y", None)])
    assert server.requests == []
    assert http._client is None  # not even a connection pool was made


def test_answers_larger_than_the_cap_are_refused(server: Any, sleeps: list[float]) -> None:
    server.routes["GET", "/huge"] = fake.Reply(body=b"x" * 2000)
    with client(sleeps) as http, pytest.raises(SourceError) as caught:
        http.get(f"{server.url}/huge", max_bytes=1000)
    assert str(caught.value) == f"GET {server.url}/huge: the answer is larger than 1,000 bytes"
    assert len(server.requests) == 1


def test_the_disk_cache_serves_a_tag_it_has(
    server: Any, sleeps: list[float], tmp_path: Path
) -> None:
    server.routes["GET", "/vulns/A"] = [fake.Reply(body=b"first"), fake.Reply(body=b"second")]
    url = f"{server.url}/vulns/A"
    with client(sleeps, cache=DiskCache(tmp_path / "http")) as http:
        assert http.get_cached(url, "2024-01-01T00:00:00Z") == b"first"
        assert http.get_cached(url, "2024-01-01T00:00:00Z") == b"first"
        assert len(server.requests) == 1
        assert http.get_cached(url, "2024-02-01T00:00:00Z") == b"second"  # a newer version
        assert len(server.requests) == 2
        assert http.get_cached(url, None) == b"second"  # no tag: never cached
        assert len(server.requests) == 3
    assert len(list((tmp_path / "http").iterdir())) == 1  # one file per URL


def test_a_damaged_cache_file_is_a_miss(server: Any, sleeps: list[float], tmp_path: Path) -> None:
    server.routes["GET", "/vulns/A"] = fake.Reply(body=b"fresh")
    url = f"{server.url}/vulns/A"
    cache = DiskCache(tmp_path)
    cache.put(url, "t", b"stored")
    (path,) = tmp_path.iterdir()
    path.write_bytes(b"garbage without a header")
    with client(sleeps, cache=cache) as http:
        assert http.get_cached(url, "t") == b"fresh"
    assert cache.get(url, "t") == b"fresh"


def test_the_cache_lives_in_bastion_cache_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BASTION_CACHE_DIR", str(tmp_path / "here"))
    assert cache_root() == tmp_path / "here"


def test_fetch_all_runs_in_parallel_within_the_limit(server: Any, sleeps: list[float]) -> None:
    for number in range(12):
        server.routes["GET", f"/r/{number}"] = fake.Reply(body=str(number).encode(), delay=0.02)
    urls = [(f"{server.url}/r/{number}", None) for number in range(12)]
    urls.append((f"{server.url}/r/missing", None))
    with client(sleeps, max_workers=3) as http:
        bodies, errors = http.fetch_all(urls)
    assert bodies == {f"{server.url}/r/{n}": str(n).encode() for n in range(12)}
    assert list(errors) == [f"{server.url}/r/missing"]
    assert isinstance(errors[f"{server.url}/r/missing"], HttpStatusError)
    assert 1 <= server.max_in_flight <= 3


def test_fetch_all_serves_cache_hits_without_a_request(
    server: Any, sleeps: list[float], tmp_path: Path
) -> None:
    cache = DiskCache(tmp_path)
    cache.put(f"{server.url}/r/1", "t1", b"cached")
    server.routes["GET", "/r/2"] = fake.Reply(body=b"fetched")
    with client(sleeps, cache=cache) as http:
        bodies, errors = http.fetch_all([(f"{server.url}/r/1", "t1"), (f"{server.url}/r/2", "t2")])
    assert bodies == {f"{server.url}/r/1": b"cached", f"{server.url}/r/2": b"fetched"}
    assert errors == {}
    assert server.paths() == ["/r/2"]
    assert cache.get(f"{server.url}/r/2", "t2") == b"fetched"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://api.osv.dev/", "https://api.osv.dev"),
        ("http://127.0.0.1:8765", "http://127.0.0.1:8765"),
        ("http://localhost:1/base/", "http://localhost:1/base"),
        ("http://[::1]:80", "http://[::1]:80"),
    ],
)
def test_base_urls_accepted(url: str, expected: str) -> None:
    assert check_base_url(url, "--osv-url") == expected


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "http://api.osv.dev",
            "--osv-url http://api.osv.dev: plain http is accepted only for "
            "loopback addresses; use https",
        ),
        ("ftp://example.org", "--osv-url 'ftp://example.org': expected an https:// URL"),
        ("api.osv.dev", "--osv-url 'api.osv.dev': expected an https:// URL"),
    ],
)
def test_base_urls_refused(url: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        check_base_url(url, "--osv-url")
    assert str(caught.value) == message


def test_tls_uses_ssl_cert_file_then_requests_ca_bundle(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[dict[str, Any]] = []
    real = ssl.create_default_context

    def spy(**kwargs: Any) -> ssl.SSLContext:
        seen.append(kwargs)
        return real()

    monkeypatch.setattr(ssl, "create_default_context", spy)
    monkeypatch.setenv("SSL_CERT_FILE", "/certs/a.pem")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/certs/b.pem")
    context = tls_context()
    monkeypatch.delenv("SSL_CERT_FILE")
    tls_context()
    monkeypatch.delenv("REQUESTS_CA_BUNDLE")
    tls_context()
    import certifi

    assert seen == [
        {"cafile": "/certs/a.pem"},
        {"cafile": "/certs/b.pem"},
        {"cafile": certifi.where()},
    ]
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname


def test_an_unreadable_ca_bundle_is_a_source_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "missing.pem"))
    with pytest.raises(SourceError, match=r"^cannot load the CA certificates in SSL_CERT_FILE="):
        tls_context()
