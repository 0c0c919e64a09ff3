"""`PackageIndex`: what checks ask an index; `SimpleIndex`: the answer from a PEP 691 index.

The index URL is `--index-url` (a `[tool.bastion]` key too), default PyPI's
`https://pypi.org/simple/`. A project the index does not have (HTTP 404) is None, not an
error: "unknown to the index" is itself a finding for the checks that ask. Any other failure
is a `SourceError` (exit 3 unless the user allows partial results). Many projects are asked
at once through `HttpClient.map`; pages are kept on disk (`bastion.index.cache`) and
revalidated with the index's `ETag` / `Last-Modified` once older than the TTL.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

from bastion.errors import SourceError
from bastion.index.cache import DEFAULT_TTL, PageCache, StoredPage
from bastion.index.model import ProjectFiles, ProjectView
from bastion.index.simple import ACCEPT, parse_project, read_file_entry
from bastion.inventory.model import normalize_name

if TYPE_CHECKING:
    from bastion.config import Settings
    from bastion.net import HttpClient, Response

DEFAULT_INDEX_URL = "https://pypi.org/simple/"

#: A project page is small; PyPI's largest (thousands of files) are a few MB.
MAX_PAGE_BYTES = 32 * 1024 * 1024


#: Indexes that serve PEP 740 provenance at `/integrity/NAME/VERSION/FILE/provenance`.
INTEGRITY_HOSTS = frozenset({"pypi.org", "test.pypi.org"})


class PackageIndex(Protocol):
    """What bastion asks a package index."""

    url: str

    def project(self, name: str) -> ProjectFiles | None:
        """The project's page, or None when the index does not have the project."""
        ...

    def projects(
        self, names: Iterable[str], *, refresh: bool = False
    ) -> dict[str, ProjectFiles | None]:
        """`project()` of each name (normalized), asked concurrently; `refresh` asks the
        index even for pages stored less than the TTL ago."""
        ...

    def fetch_many(self, urls: list[str]) -> dict[str, Response]:
        """The answers at `urls` (a 200 or a 404), asked concurrently."""
        ...

    def integrity_url(self, name: str, version: str, filename: str) -> str | None:
        """Where the index serves a file's provenance apart from its page, if it does."""
        ...

    def close(self) -> None: ...


class SimpleIndex:
    """A PEP 691 index at `url`, asked through `http`, its pages kept in `cache`."""

    def __init__(
        self,
        url: str,
        http: HttpClient,
        *,
        cache: PageCache | None = None,
        ttl: float = DEFAULT_TTL,
    ) -> None:
        self.url = url.rstrip("/") + "/"
        self.http = http
        self.cache = cache
        self.ttl = ttl
        self.requests = 0
        """How many requests this client sent (for the report's status line)."""
        self._seen: dict[str, tuple[float, ProjectFiles]] = {}  # url -> (fetched, page)

    def project_url(self, name: str) -> str:
        return f"{self.url}{normalize_name(name)}/"

    def project(self, name: str) -> ProjectFiles | None:
        return self.projects([name])[normalize_name(name)]

    def projects(
        self, names: Iterable[str], *, refresh: bool = False
    ) -> dict[str, ProjectFiles | None]:
        wanted = {normalize_name(name): self.project_url(name) for name in names}
        result: dict[str, ProjectFiles | None] = {}
        to_ask: list[tuple[str, str, StoredPage | None]] = []
        for name, url in wanted.items():
            if not refresh:
                view = self._stored_view(name, url)
                if view is not None:
                    result[name] = view
                    continue
            stored = self.cache.get(url) if self.cache is not None else None
            if stored is not None and not refresh and stored.fresh(self.ttl):
                page = self._parse_stored(stored, url)
                if page is not None:
                    result[name] = page
                    self._seen[url] = (stored.fetched, page)
                    continue
                stored = None
            to_ask.append((name, url, stored))
        outcomes = self.http.map(self._ask, to_ask)
        now = time.time()
        for (name, url, _stored), outcome in zip(to_ask, outcomes, strict=True):
            if isinstance(outcome, SourceError):
                raise outcome
            result[name] = outcome
            if outcome is not None:
                self._seen[url] = (now, outcome)
        return result

    def _stored_view(self, name: str, url: str) -> ProjectView | None:
        """The page's stored summary, when it is younger than the TTL."""
        if self.cache is None:
            return None
        stored = self.cache.get_summary(url)
        if stored is None or not 0 <= time.time() - stored[0] < self.ttl:
            return None
        view = ProjectView.read(
            url, stored[1], lambda: self._whole_page(name, url), read_file_entry
        )
        if view is not None:
            self._seen[url] = (stored[0], view)
        return view

    def _whole_page(self, name: str, url: str) -> ProjectFiles:
        """The whole page behind a summary: the stored one, else asked again."""
        stored = self.cache.get(url) if self.cache is not None else None
        page = self._parse_stored(stored, url) if stored is not None else None
        if page is not None:
            return page
        outcome = self._ask((name, url, None))
        if isinstance(outcome, SourceError):
            raise outcome
        return outcome if outcome is not None else ProjectFiles(name, url)

    def _ask(self, item: tuple[str, str, StoredPage | None]) -> ProjectFiles | SourceError | None:
        from bastion.net import HttpStatusError

        _name, url, stored = item
        headers = {"Accept": ACCEPT, **(stored.validators() if stored is not None else {})}
        self.requests += 1
        try:
            answer = self.http.get_response(url, max_bytes=MAX_PAGE_BYTES, headers=headers)
        except HttpStatusError as exc:
            return None if exc.status == 404 else exc
        except SourceError as exc:
            return exc
        now = time.time()
        if answer.status == 304 and stored is not None:
            body = stored.body
            etag, modified = stored.etag, stored.last_modified
        else:
            body = answer.body
            etag, modified = answer.headers.get("etag"), answer.headers.get("last-modified")
        try:
            page = parse_project(body, url)
        except SourceError as exc:
            return exc
        if self.cache is not None:
            self.cache.put(url, StoredPage(body, now, etag, modified))
        return page

    def _parse_stored(self, stored: StoredPage, url: str) -> ProjectFiles | None:
        try:
            return parse_project(stored.body, url)
        except SourceError:
            return None  # a damaged cache file: ask again

    def fetch_many(self, urls: list[str]) -> dict[str, Response]:
        """The answers at `urls` (provenance objects ...), asked concurrently: a 200 or a
        404 (with the start of its body). Any other failure is a `SourceError`."""
        from bastion.net import HttpStatusError, Response

        def one(url: str) -> Response | SourceError:
            self.requests += 1
            try:
                return Response(200, self.http.get(url, max_bytes=MAX_PAGE_BYTES), {})
            except HttpStatusError as exc:
                return Response(404, exc.body, {}) if exc.status == 404 else exc
            except SourceError as exc:
                return exc

        found: dict[str, Response] = {}
        for url, outcome in zip(urls, self.http.map(one, urls), strict=True):
            if isinstance(outcome, SourceError):
                raise outcome
            found[url] = outcome
        return found

    def integrity_url(self, name: str, version: str, filename: str) -> str | None:
        """PyPI's integrity API URL of a file's provenance; None for other indexes."""
        from urllib.parse import urlsplit

        parts = urlsplit(self.url)
        if parts.hostname not in INTEGRITY_HOSTS:
            return None
        return (
            f"{parts.scheme}://{parts.netloc}/integrity/{normalize_name(name)}/{version}/"
            f"{filename}/provenance"
        )

    def close(self) -> None:
        """Store a summary of each page read (unless an unchanged one is stored already)."""
        if self.cache is not None:
            for url, (fetched, page) in self._seen.items():
                if isinstance(page, ProjectView) and not page.grew:
                    continue
                if not page.wanted:
                    continue
                try:
                    summary = page.summary()
                except SourceError:
                    continue  # a malformed entry: nothing worth storing (already reported)
                self.cache.put_summary(url, fetched, summary)
        self._seen.clear()
        self.http.close()


def open_index(settings: Settings, url: str | None = None) -> SimpleIndex:
    """The index at `url`, else the one the settings name (`index_url`), else PyPI, through a
    client that honours `offline`, its pages cached under bastion's cache folder."""
    from bastion.net import HttpClient, cache_root, check_base_url

    chosen = url or str(settings.get("index_url") or DEFAULT_INDEX_URL)
    checked = check_base_url(chosen, "--index-url")
    ttl = settings.get("index_ttl")
    return SimpleIndex(
        checked,
        HttpClient(offline=bool(settings.get("offline", False))),
        cache=PageCache(cache_root() / "index"),
        ttl=float(ttl) if ttl is not None else DEFAULT_TTL,
    )
