"""Project pages kept on disk: used while fresh, then revalidated with the index's ETag."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bastion.index.cache import PageCache, StoredPage
from bastion.index.client import SimpleIndex
from bastion.net import HttpClient
from support.fake_index import FakeFile, FakeIndex


@pytest.fixture
def index() -> Iterator[FakeIndex]:
    with FakeIndex() as running:
        running.add("demo", [FakeFile("demo-1.0-py3-none-any.whl", b"wheel")])
        yield running


def client(index: FakeIndex, folder: Path, ttl: float = 600) -> SimpleIndex:
    return SimpleIndex(index.url, HttpClient(retries=0), cache=PageCache(folder), ttl=ttl)


def test_a_fresh_stored_page_is_used_without_asking(index: FakeIndex, tmp_path: Path) -> None:
    first = client(index, tmp_path).project("demo")
    second = client(index, tmp_path).project("demo")
    assert first is not None and second is not None
    assert [f.filename for f in second.files] == ["demo-1.0-py3-none-any.whl"]
    assert len(index.requests) == 1


def test_a_stale_page_is_revalidated_and_a_304_reuses_it(index: FakeIndex, tmp_path: Path) -> None:
    client(index, tmp_path).project("demo")
    stale = client(index, tmp_path, ttl=0)
    page = stale.project("demo")
    assert page is not None and len(page.files) == 1
    assert len(index.requests) == 2
    assert index.requests[1].if_none_match.startswith('"')  # the stored ETag, sent back
    # The 304 refreshed the page's age: a client with a TTL again does not ask.
    client(index, tmp_path).project("demo")
    assert len(index.requests) == 2


def test_a_changed_page_replaces_the_stored_one(index: FakeIndex, tmp_path: Path) -> None:
    client(index, tmp_path).project("demo")
    index.projects["demo"].files.append(FakeFile("demo-1.1-py3-none-any.whl", b"new"))
    page = client(index, tmp_path, ttl=0).project("demo")
    assert page is not None and len(page.files) == 2
    again = client(index, tmp_path).project("demo")
    assert again is not None and len(again.files) == 2


def test_refresh_asks_even_while_fresh(index: FakeIndex, tmp_path: Path) -> None:
    client(index, tmp_path).project("demo")
    client(index, tmp_path).projects(["demo"], refresh=True)
    assert len(index.requests) == 2


def test_a_damaged_cache_file_is_a_miss(index: FakeIndex, tmp_path: Path) -> None:
    cache = PageCache(tmp_path)
    url = f"{index.url}demo/"
    cache.put(url, StoredPage(b"{broken", time.time(), '"x"'))
    page = client(index, tmp_path).project("demo")
    assert page is not None and len(page.files) == 1
    assert index.requests[0].if_none_match == ""  # nothing usable was stored to revalidate
    for path in tmp_path.iterdir():
        path.write_bytes(b"no header line")
    assert cache.get(url) is None


def test_an_index_without_validators_is_asked_again_after_the_ttl(
    index: FakeIndex, tmp_path: Path
) -> None:
    index.etags = False
    client(index, tmp_path).project("demo")
    client(index, tmp_path, ttl=0).project("demo")
    assert [r.if_none_match for r in index.requests] == ["", ""]


def test_a_later_run_reads_the_summary_of_the_versions_asked_not_the_page(
    index: FakeIndex, tmp_path: Path
) -> None:
    index.projects["demo"].files.append(FakeFile("demo-1.1-py3-none-any.whl", b"new"))
    first = client(index, tmp_path)
    page = first.project("demo")
    assert page is not None and [f.filename for f in page.files_of("1.0")] == [
        "demo-1.0-py3-none-any.whl"
    ]
    first.close()  # stores the summary
    pages = list(tmp_path.glob("*.page"))
    assert len(pages) == 1 and len(list(tmp_path.glob("*.summary"))) == 1
    body = pages[0].read_bytes()
    pages[0].write_bytes(body.partition(b"\n")[0] + b"\n{damaged")  # never read for 1.0
    second = client(index, tmp_path)
    again = second.project("demo")
    assert again is not None and [f.filename for f in again.files_of("1")] == [
        "demo-1.0-py3-none-any.whl"
    ]
    assert len(index.requests) == 1
    # Another version needs the whole page: the damaged one is asked for again.
    assert [f.filename for f in again.files_of("1.1")] == ["demo-1.1-py3-none-any.whl"]
    assert len(index.requests) == 2
    second.close()
    third = client(index, tmp_path).project("demo")
    assert third is not None
    assert [len(third.files_of(v)) for v in ("1.0", "1.1")] == [1, 1]
    assert len(index.requests) == 2
