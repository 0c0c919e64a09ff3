"""The package index client against a fake PEP 691 index on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bastion.config import Settings
from bastion.errors import SourceError
from bastion.index.client import SimpleIndex, open_index
from bastion.index.simple import parse_project
from bastion.net import HttpClient
from support.fake_index import SIMPLE_JSON, FakeFile, FakeIndex


@pytest.fixture
def index() -> Iterator[FakeIndex]:
    with FakeIndex() as running:
        running.add(
            "demo",
            [
                FakeFile("demo-1.0-py3-none-any.whl", b"wheel 1.0"),
                FakeFile("demo-1.0.tar.gz", b"sdist 1.0"),
                FakeFile("demo-1.1-py3-none-any.whl", b"wheel 1.1", yanked="broken build"),
                FakeFile("demo-1.2.tar.gz", b"sdist 1.2", provenance=b"{}"),
            ],
        )
        running.add(
            "old-thing",
            [FakeFile("old_thing-0.1.tar.gz", b"x")],
            status="archived",
            reason="no longer maintained",
        )
        yield running


def client_for(index: FakeIndex) -> SimpleIndex:
    return SimpleIndex(index.url, HttpClient(retries=0))


def test_a_project_page_gives_files_digests_yanked_and_provenance(index: FakeIndex) -> None:
    client = client_for(index)
    page = client.project("Demo")
    assert page is not None
    assert page.name == "demo"
    assert page.versions == ("1.0", "1.1", "1.2")
    assert page.status == "active"
    files = {f.filename: f for f in page.files}
    wheel = files["demo-1.0-py3-none-any.whl"]
    assert wheel.url == f"{index.root}/files/demo-1.0-py3-none-any.whl"
    assert wheel.digest() == FakeFile("x", b"wheel 1.0").sha256
    assert wheel.is_wheel and not wheel.is_sdist
    assert wheel.yanked is None
    assert files["demo-1.1-py3-none-any.whl"].yanked == "broken build"
    assert files["demo-1.2.tar.gz"].provenance == f"{index.root}/provenance/demo-1.2.tar.gz"
    assert [f.filename for f in page.files_of("1.0")] == [
        "demo-1.0-py3-none-any.whl",
        "demo-1.0.tar.gz",
    ]
    assert index.requests[-1].accept == SIMPLE_JSON
    assert index.requests[-1].path == "/simple/demo/"
    client.close()


def test_many_projects_at_once_and_unknown_ones_are_none(index: FakeIndex) -> None:
    client = client_for(index)
    pages = client.projects(["demo", "Old_Thing", "not-there"])
    assert pages["not-there"] is None
    old = pages["old-thing"]
    assert old is not None
    assert (old.status, old.status_reason) == ("archived", "no longer maintained")
    assert sorted(r.path for r in index.requests) == [
        "/simple/demo/",
        "/simple/not-there/",
        "/simple/old-thing/",
    ]
    client.close()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<html><body>demo</body></html>", "the index answered HTML"),
        (b"{not json", "the answer is not JSON"),
        (b"[]", "the answer: expected a table, got a list"),
        (b'{"name": "demo", "files": 3}', "files: expected a list, got an integer"),
        (
            b'{"name": "demo", "files": [{"filename": "a.whl", "url": 7}]}',
            "files[0].url: expected a string, got an integer",
        ),
        (
            b'{"name": "demo", "files": [], "meta": {"api-version": "2.0"}}',
            "meta.api-version: expected 1.x",
        ),
        (b'{"name": "demo", "project-status": {"status": "gone"}}', "project-status.status"),
        (
            b'{"name": "demo", "files": [{"filename": "a", "url": "u", "yanked": 1}]}',
            "files[0].yanked: expected true or false",
        ),
    ],
)
def test_a_malformed_answer_is_a_source_error_naming_the_url(
    index: FakeIndex, body: bytes, message: str
) -> None:
    index.broken["demo"] = body
    client = client_for(index)
    with pytest.raises(SourceError) as caught:
        page = client.project("demo")
        assert page is not None
        page.files  # a file entry is read when it is asked for  # noqa: B018
    assert f"GET {index.url}demo/" in str(caught.value)
    assert message in str(caught.value)
    client.close()


def test_offline_asks_nothing(index: FakeIndex) -> None:
    settings = Settings(values={"index_url": index.url, "offline": True})
    client = open_index(settings)
    with pytest.raises(SourceError, match="offline"):
        client.project("demo")
    assert index.requests == []


def test_the_default_index_is_pypi() -> None:
    client = open_index(Settings(values={}))
    assert client.url == "https://pypi.org/simple/"
    assert client.project_url("Foo_Bar") == "https://pypi.org/simple/foo-bar/"


def test_parse_project_resolves_relative_urls() -> None:
    body = (
        b'{"name": "x", "files": [{"filename": "x-1.tar.gz", "url": "../../f/x-1.tar.gz",'
        b' "hashes": {"SHA256": "AB"}}]}'
    )
    page = parse_project(body, "https://example.org/simple/x/")
    (item,) = page.files
    assert item.url == "https://example.org/f/x-1.tar.gz"
    assert item.hashes == {"sha256": "ab"}
