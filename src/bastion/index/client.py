"""`PackageIndex`: what checks ask an index; `SimpleIndex`: the answer from a PEP 691 index.

The index URL is `--index-url` (a `[tool.bastion]` key too), default PyPI's
`https://pypi.org/simple/`. A project the index does not have (HTTP 404) is None, not an
error: "unknown to the index" is itself a finding for the checks that ask. Any other failure
is a `SourceError` (exit 3 unless the user allows partial results). Many projects are asked
at once through `HttpClient.fetch_all`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

from bastion.index.model import ProjectFiles
from bastion.index.simple import ACCEPT, parse_project
from bastion.inventory.model import normalize_name

if TYPE_CHECKING:
    from bastion.config import Settings
    from bastion.net import HttpClient

DEFAULT_INDEX_URL = "https://pypi.org/simple/"

#: A project page is small; PyPI's largest (thousands of files) are a few MB.
MAX_PAGE_BYTES = 32 * 1024 * 1024


class PackageIndex(Protocol):
    """What bastion asks a package index."""

    url: str

    def project(self, name: str) -> ProjectFiles | None:
        """The project's page, or None when the index does not have the project."""
        ...

    def projects(self, names: Iterable[str]) -> dict[str, ProjectFiles | None]:
        """`project()` of each name (normalized), asked concurrently."""
        ...

    def close(self) -> None: ...


class SimpleIndex:
    """A PEP 691 index at `url`, asked through `http`."""

    def __init__(self, url: str, http: HttpClient) -> None:
        self.url = url.rstrip("/") + "/"
        self.http = http

    def project_url(self, name: str) -> str:
        return f"{self.url}{normalize_name(name)}/"

    def project(self, name: str) -> ProjectFiles | None:
        return self.projects([name])[normalize_name(name)]

    def projects(self, names: Iterable[str]) -> dict[str, ProjectFiles | None]:
        from bastion.net import HttpStatusError

        wanted = {normalize_name(name): self.project_url(name) for name in names}
        bodies, errors = self.http.fetch_all(
            [(url, None) for url in wanted.values()],
            max_bytes=MAX_PAGE_BYTES,
            headers={"Accept": ACCEPT},
        )
        result: dict[str, ProjectFiles | None] = {}
        for name, url in wanted.items():
            error = errors.get(url)
            if isinstance(error, HttpStatusError) and error.status == 404:
                result[name] = None
            elif error is not None:
                raise error
            else:
                result[name] = parse_project(bodies[url], url)
        return result

    def close(self) -> None:
        self.http.close()


def open_index(settings: Settings) -> SimpleIndex:
    """The index the settings name (`index_url`), through a client that honours `offline`."""
    from bastion.net import HttpClient, check_base_url

    url = check_base_url(str(settings.get("index_url") or DEFAULT_INDEX_URL), "--index-url")
    return SimpleIndex(url, HttpClient(offline=bool(settings.get("offline", False))))
