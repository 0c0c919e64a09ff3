"""The one HTTP client: every request bastion makes goes through `HttpClient`.

httpx does the HTTP (connections, TLS, keep-alive, timeouts). This module adds what every
caller needs done the same way, and which httpx leaves to its users:

- a `User-Agent` naming bastion and its version;
- bounded retries with exponential backoff and jitter on connection errors, timeouts, 429 and
  5xx, honouring `Retry-After` up to `MAX_RETRY_AFTER` seconds (a longer wait is a failure,
  not a hang); POSTs are retried too, since the only ones bastion sends are read-only
  queries (OSV's querybatch);
- TLS always verified, against `SSL_CERT_FILE` or `REQUESTS_CA_BUNDLE` when set, else certifi;
  plain `http://` is accepted only for loopback addresses (test servers, local mirrors), and a
  redirect from https to http is refused;
- response size caps, so a broken or hostile server cannot fill memory or disk;
- `--offline`: any request is a `SourceError` before a connection is attempted (the httpx
  client is not even created);
- `fetch_all`: parallel GETs through a thread pool of `max_workers` threads sharing one
  connection pool (httpx's `Client` may be shared between threads); a thread pool rather than
  httpx's async client keeps callers synchronous and the code small;
- an on-disk cache (`DiskCache`) for immutable responses, keyed by URL and a version tag
  (e.g. an OSV record's `modified`): one file per URL, written atomically, never pickled;
- conditional GETs (`get_response` with `If-None-Match` / `If-Modified-Since`): a 304 is an
  answer, not an error, for callers that keep their own validators (the package index);
- `map`: any function over many items on the same thread pool, for callers whose requests
  are not plain GETs;
- one DNS lookup per host, shared by the parallel connections (`bastion.dns`).

Every failure, after retries, is a `SourceError` (exit 3) of one line naming the method, the
URL and what failed. `HttpStatusError` (a `SourceError`) carries the status for callers that
treat some statuses (404) specially.

httpx is imported only when the first request is made.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import os
import random
import ssl
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from bastion.errors import InputError, SourceError

if TYPE_CHECKING:
    import httpx

T = TypeVar("T")
R = TypeVar("R")

CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 30.0
RETRIES = 3  # attempts after the first
BACKOFF_SECONDS = 0.5  # first retry waits about this long, then doubles
MAX_RETRY_AFTER = 30.0  # a server asking for a longer wait gets a SourceError instead
MAX_WORKERS = 32
MAX_RESPONSE_BYTES = 64 * 1024 * 1024
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
CHUNK = 64 * 1024
#: How much of an error answer's body is kept (`HttpStatusError.body`).
ERROR_BODY_BYTES = 4096


class Response:
    """A whole answer: its status (200, or 304 for a conditional GET), body and headers."""

    __slots__ = ("body", "headers", "status")

    def __init__(self, status: int, body: bytes, headers: Mapping[str, str]) -> None:
        self.status = status
        self.body = body
        self.headers = headers


class HttpStatusError(SourceError):
    """The server answered with an error status (after retries, for retryable ones);
    `body` is the start of its answer (at most `ERROR_BODY_BYTES`: some APIs explain)."""

    def __init__(self, message: str, status: int, body: bytes = b"") -> None:
        super().__init__(message)
        self.status = status
        self.body = body


def user_agent() -> str:
    """`bastion/VERSION`, plus `(+URL)` when the installed metadata names a project URL.

    The URL comes only from the package's own metadata (`[project.urls]`), never from a
    constant here: a user agent must not send server operators to a made-up address.
    """
    from bastion import __version__

    url = project_url()
    return f"bastion/{__version__} (+{url})" if url else f"bastion/{__version__}"


def project_url() -> str | None:
    """The first `Project-URL` of the installed bastion distribution, or None."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        entries = metadata("bastion").get_all("Project-URL") or []
    except PackageNotFoundError:
        return None
    for entry in entries:
        _label, _, url = str(entry).partition(",")
        if url.strip().startswith("https://"):
            return url.strip()
    return None


def cache_root() -> Path:
    """bastion's cache folder: `$BASTION_CACHE_DIR`, else the platform's user cache dir."""
    override = os.environ.get("BASTION_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("bastion"))


def check_base_url(url: str, option: str) -> str:
    """`url` without a trailing slash, or `InputError` when it is not an https URL (or http
    to a loopback address) with a host."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"{option} {url!r}: expected an https:// URL")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise InputError(
            f"{option} {url}: plain http is accepted only for loopback addresses; use https"
        )
    return url.strip().rstrip("/")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def tls_context() -> ssl.SSLContext:
    """Verify certificates against `SSL_CERT_FILE` / `REQUESTS_CA_BUNDLE`, else certifi."""
    for variable in ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE"):
        bundle = os.environ.get(variable)
        if bundle:
            try:
                if Path(bundle).is_dir():
                    return ssl.create_default_context(capath=bundle)
                return ssl.create_default_context(cafile=bundle)
            except (OSError, ssl.SSLError) as exc:
                raise SourceError(
                    f"cannot load the CA certificates in {variable}={bundle} ({exc})"
                ) from None
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


class DiskCache:
    """Immutable responses on disk: one file per URL, valid for one version tag.

    A file holds a JSON header line (`{"url": ..., "tag": ...}`) and then the body bytes.
    `get(url, tag)` returns the body only when the stored tag is `tag`, so a new tag (a newer
    `modified`) is a miss and its response replaces the old one.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, url: str) -> Path:
        return self.folder / (hashlib.sha256(url.encode()).hexdigest()[:40] + ".cache")

    def get(self, url: str, tag: str) -> bytes | None:
        stored = read_headed(self._path(url))
        if stored is None or stored[0].get("url") != url or stored[0].get("tag") != tag:
            return None
        return stored[1]

    def put(self, url: str, tag: str, body: bytes) -> None:
        write_headed(self._path(url), {"url": url, "tag": tag}, body)


def read_headed(path: Path) -> tuple[dict[str, Any], bytes] | None:
    """A cache file: its JSON header line (a table) and the body after it; None when the
    file is missing, unreadable or not of that form (a miss, never an error)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    header, newline, body = data.partition(b"\n")
    if not newline:
        return None
    try:
        meta = json.loads(header)
    except ValueError:
        return None
    return (meta, body) if isinstance(meta, dict) else None


def write_headed(path: Path, meta: Mapping[str, Any], body: bytes) -> None:
    """Write a cache file atomically (`read_headed` reads it back); a cache that cannot be
    written is no error, it only costs a download next time."""
    from bastion.fsutil import write_atomic

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps(dict(meta)).encode() + b"\n" + body)
    except OSError:
        pass


class HttpClient:
    """See the module docstring. Use as a context manager, or call `close()`."""

    def __init__(
        self,
        *,
        offline: bool = False,
        connect_timeout: float = CONNECT_TIMEOUT,
        read_timeout: float = READ_TIMEOUT,
        retries: int = RETRIES,
        backoff: float | None = None,
        max_workers: int = MAX_WORKERS,
        cache: DiskCache | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.offline = offline
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.retries = retries
        self.backoff = BACKOFF_SECONDS if backoff is None else backoff
        self.max_workers = max(1, max_workers)
        self.cache = cache
        self.sleep = sleep
        self._client: httpx.Client | None = None

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    # --- requests ----------------------------------------------------------------------

    def get(
        self,
        url: str,
        *,
        max_bytes: int = MAX_RESPONSE_BYTES,
        headers: Mapping[str, str] | None = None,
    ) -> bytes:
        """The body of `GET url` (`headers`: extra request headers, such as `Accept`)."""
        return self._request("GET", url, None, max_bytes, None, extra_headers=headers)

    def get_response(
        self,
        url: str,
        *,
        max_bytes: int = MAX_RESPONSE_BYTES,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """`GET url` with its status and headers; a 304 (the request sent `If-None-Match`
        or `If-Modified-Since`) is returned with an empty body, other 4xx/5xx raise."""
        meta: list[Response] = []
        body = self._request("GET", url, None, max_bytes, None, extra_headers=headers, meta=meta)
        answer = meta[0]
        answer.body = body
        return answer

    def get_cached(
        self,
        url: str,
        tag: str | None,
        *,
        max_bytes: int = MAX_RESPONSE_BYTES,
        headers: Mapping[str, str] | None = None,
    ) -> bytes:
        """`GET url` through the disk cache: the stored body if it was stored with `tag`.

        Without a tag (or a cache) this is a plain `get`.
        """
        if self.cache is None or tag is None:
            return self.get(url, max_bytes=max_bytes, headers=headers)
        body = self.cache.get(url, tag)
        if body is None:
            body = self.get(url, max_bytes=max_bytes, headers=headers)
            self.cache.put(url, tag, body)
        return body

    def post_json(self, url: str, payload: Any, *, max_bytes: int = MAX_RESPONSE_BYTES) -> Any:
        """`POST url` with a JSON body; the decoded JSON answer."""
        body = json.dumps(payload, separators=(",", ":")).encode()
        return decode_json(self._request("POST", url, body, max_bytes, None), "POST", url)

    def download(self, url: str, sink: IO[bytes], *, max_bytes: int) -> int:
        """Stream `GET url` into `sink` (seekable: a retry starts it over); the byte count."""
        self._request("GET", url, None, max_bytes, sink)
        return sink.tell()

    def fetch_all(
        self,
        requests: Sequence[tuple[str, str | None]],
        *,
        max_bytes: int = MAX_RESPONSE_BYTES,
        headers: Mapping[str, str] | None = None,
    ) -> tuple[dict[str, bytes], dict[str, SourceError]]:
        """`get_cached(url, tag)` for every `(url, tag)`, `max_workers` at a time.

        Returns the bodies and, separately, the errors by URL, so that the caller decides
        whether one failure fails everything. Cache hits are served without the pool.
        """
        bodies: dict[str, bytes] = {}
        errors: dict[str, SourceError] = {}
        missing: list[tuple[str, str | None]] = []
        for url, tag in dict(requests).items():
            cached = self.cache.get(url, tag) if self.cache is not None and tag else None
            if cached is None:
                missing.append((url, tag))
            else:
                bodies[url] = cached
        if not missing:
            return bodies, errors
        if self.offline:
            raise self._offline_error(missing[0][0])

        def fetch(item: tuple[str, str | None]) -> bytes | SourceError:
            try:
                return self.get_cached(item[0], item[1], max_bytes=max_bytes, headers=headers)
            except SourceError as exc:
                return exc

        outcomes = self.map(fetch, missing)
        for (url, _tag), outcome in zip(missing, outcomes, strict=True):
            if isinstance(outcome, SourceError):
                errors[url] = outcome
            else:
                bodies[url] = outcome
        return bodies, errors

    def map(self, function: Callable[[T], R], items: Sequence[T]) -> list[R]:
        """`function` of each item, in order, `max_workers` at a time on one connection pool.
        `function` should catch what it wants kept apart (`SourceError`); anything else it
        raises propagates. Offline, `function` still runs: its requests fail as always."""
        if len(items) <= 1 or self.offline:
            return [function(item) for item in items]
        self._http()  # made here, once, not by racing worker threads
        workers = min(self.max_workers, len(items))
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="bastion-http")
        try:
            outcomes = list(pool.map(function, items))
        except BaseException:  # Ctrl-C: do not wait for the queued requests
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown()
        return outcomes

    # --- the machinery -----------------------------------------------------------------

    def _offline_error(self, url: str) -> SourceError:
        return SourceError(f"offline: not fetching {url} (--offline forbids network access)")

    def _http(self) -> httpx.Client:
        if self._client is None:
            import httpx

            from bastion.dns import share_lookups

            share_lookups()  # many connections at once, one DNS lookup (bastion.dns)

            self._client = httpx.Client(
                headers={"User-Agent": user_agent()},
                timeout=httpx.Timeout(self.read_timeout, connect=self.connect_timeout),
                limits=httpx.Limits(
                    max_connections=self.max_workers, max_keepalive_connections=self.max_workers
                ),
                verify=tls_context(),
                follow_redirects=True,
                max_redirects=5,
            )
        return self._client

    def _request(
        self,
        method: str,
        url: str,
        body: bytes | None,
        max_bytes: int,
        sink: IO[bytes] | None,
        *,
        extra_headers: Mapping[str, str] | None = None,
        meta: list[Response] | None = None,
    ) -> bytes:
        """The body; with `meta`, a `Response` (status, headers) is appended to it too, and
        a 304 is an answer (`meta` is only given for conditional GETs)."""
        if self.offline:
            raise self._offline_error(url)
        import httpx

        client = self._http()
        headers = dict(extra_headers or {})
        if body is not None:
            headers["Content-Type"] = "application/json"
        attempt = 0
        while True:
            wait: float | None = None
            try:
                with client.stream(method, url, content=body, headers=headers) as response:
                    if url.startswith("https:") and response.url.scheme != "https":
                        raise SourceError(f"{method} {url}: redirected to plain http; refused")
                    status = response.status_code
                    if meta is not None and status == 304:
                        meta.append(Response(status, b"", dict(response.headers)))
                        return b""
                    if status in RETRY_STATUSES and attempt < self.retries:
                        wait = self._retry_after(response, method, url, attempt)
                    elif status >= 400:
                        tries = f" after {attempt + 1} attempts" if attempt else ""
                        reason = f"HTTP {status} {response.reason_phrase}".rstrip()
                        raise HttpStatusError(
                            f"{method} {url}: {reason}{tries}", status, _peek(response)
                        )
                    else:
                        body = _read(response, method, url, max_bytes, sink)
                        if meta is not None:
                            meta.append(Response(status, body, dict(response.headers)))
                        return body
            except httpx.TransportError as exc:
                if attempt >= self.retries or not _retryable(exc):
                    tries = f" after {attempt + 1} attempts" if attempt else ""
                    raise SourceError(f"{method} {url}: {_describe(exc)}{tries}") from None
            except (httpx.RequestError, httpx.InvalidURL) as exc:
                raise SourceError(f"{method} {url}: {_describe(exc)}") from None
            if sink is not None:
                sink.seek(0)
                sink.truncate()
            self.sleep(wait if wait is not None else self._backoff(attempt))
            attempt += 1

    def _backoff(self, attempt: int) -> float:
        base: float = self.backoff * (2**attempt)
        return base + random.uniform(0, self.backoff)  # noqa: S311  # nosec B311 -- retry jitter, not a secret

    def _retry_after(self, response: httpx.Response, method: str, url: str, attempt: int) -> float:
        asked = _parse_retry_after(response.headers.get("Retry-After"))
        if asked is None:
            return self._backoff(attempt)
        if asked > MAX_RETRY_AFTER:
            raise HttpStatusError(
                f"{method} {url}: HTTP {response.status_code}; the server asks to retry after "
                f"{asked:.0f} s (more than bastion waits, {MAX_RETRY_AFTER:.0f} s)",
                response.status_code,
            )
        return max(asked, 0.0)


def decode_json(body: bytes, method: str, url: str) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise SourceError(f"{method} {url}: the answer is not JSON ({exc})") from None


def _read(
    response: httpx.Response, method: str, url: str, max_bytes: int, sink: IO[bytes] | None
) -> bytes:
    too_big = SourceError(f"{method} {url}: the answer is larger than {max_bytes:,} bytes")
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_big
    size = 0
    chunks: list[bytes] = []
    for chunk in response.iter_bytes(CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise too_big
        if sink is None:
            chunks.append(chunk)
        else:
            sink.write(chunk)
    return b"".join(chunks)


def _peek(response: httpx.Response) -> bytes:
    """The start of an error answer's body; whatever cannot be read is left out."""
    import httpx

    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in response.iter_bytes(ERROR_BODY_BYTES):
            chunks.append(chunk)
            size += len(chunk)
            if size >= ERROR_BODY_BYTES:
                break
    except httpx.HTTPError:
        pass
    return b"".join(chunks)[:ERROR_BODY_BYTES]


def _parse_retry_after(value: str | None) -> float | None:
    """Seconds from a `Retry-After` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    from email.utils import parsedate_to_datetime

    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        return None
    return moment.timestamp() - time.time()


def _causes(exc: BaseException) -> Iterable[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _retryable(exc: BaseException) -> bool:
    """Connection problems and timeouts are retried; TLS verification failures and bad URLs
    are not (another try gives the same answer)."""
    import httpx

    if isinstance(exc, httpx.UnsupportedProtocol):
        return False
    return not any(isinstance(cause, ssl.SSLCertVerificationError) for cause in _causes(exc))


def _describe(exc: BaseException) -> str:
    import httpx

    if any(isinstance(cause, ssl.SSLCertVerificationError) for cause in _causes(exc)):
        return f"TLS certificate verification failed ({exc})"
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out ({type(exc).__name__})"
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect ({exc})"
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError):
        return f"the connection broke ({exc})"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
