"""Project pages of the index, kept on disk between runs.

A page changes whenever a file is uploaded or yanked, so it is not immutable the way an OSV
record of a given `modified` is: a stored page is used as is for `ttl` seconds (default 10
minutes, `--index-ttl`), and after that revalidated with the validators the index sent
(`ETag` as `If-None-Match`, `Last-Modified` as `If-Modified-Since`): a 304 costs one small
round trip and refreshes the age. What verify concludes from a page that predates a
surprising answer is rechecked with a fresh one (a lock hash the stored page does not list
may be a file uploaded since), so a long TTL never produces a false alarm.

One file per page URL: a JSON header line (`url`, `fetched`, `etag`, `last-modified`), then
the body as the index sent it; written atomically; never pickled. Beside it, a `.summary`
of what the last run read of the page (its status and versions, the files of the versions
it asked for): a run that asks the same versions of a fresh page reads that and not the
page (the pages of a 56-project lock are 21 MB of JSON). A file that cannot be read or
parsed is a miss.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_TTL = 600.0


@dataclass(frozen=True, slots=True)
class StoredPage:
    body: bytes
    fetched: float
    etag: str | None = None
    last_modified: str | None = None

    def fresh(self, ttl: float, now: float | None = None) -> bool:
        age = (time.time() if now is None else now) - self.fetched
        return 0 <= age < ttl

    def validators(self) -> dict[str, str]:
        """The conditional request headers that revalidate this page."""
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


class PageCache:
    """Stored project pages under `folder`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, url: str) -> Path:
        return self.folder / (hashlib.sha256(url.encode()).hexdigest()[:40] + ".page")

    def get(self, url: str) -> StoredPage | None:
        from bastion.net import read_headed

        stored = read_headed(self._path(url))
        if stored is None or stored[0].get("url") != url:
            return None
        meta, body = stored
        fetched = meta.get("fetched")
        if not isinstance(fetched, int | float):
            return None
        etag, modified = meta.get("etag"), meta.get("last-modified")
        return StoredPage(
            body=body,
            fetched=float(fetched),
            etag=etag if isinstance(etag, str) else None,
            last_modified=modified if isinstance(modified, str) else None,
        )

    def get_summary(self, url: str) -> tuple[float, Any] | None:
        """The stored summary of the page at `url` (`ProjectFiles.summary()`) and when
        the page it sums up was fetched; None when there is none."""
        from bastion.net import read_headed

        stored = read_headed(self._path(url).with_suffix(".summary"))
        if stored is None or stored[0].get("url") != url:
            return None
        fetched = stored[0].get("fetched")
        if not isinstance(fetched, int | float):
            return None
        return float(fetched), stored[0].get("summary")

    def put_summary(self, url: str, fetched: float, summary: Any) -> None:
        from bastion.net import write_headed

        write_headed(
            self._path(url).with_suffix(".summary"),
            {"url": url, "fetched": fetched, "summary": summary},
            b"",
        )

    def put(self, url: str, page: StoredPage) -> None:
        from bastion.net import write_headed

        meta = {
            "url": url,
            "fetched": page.fetched,
            "etag": page.etag,
            "last-modified": page.last_modified,
        }
        write_headed(self._path(url), meta, page.body)
