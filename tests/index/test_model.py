"""`ProjectFiles.files_of`: a version's files by their names, PEP 440-equal, found the same
whether one version is looked up (the filtered scan) or the whole page is indexed."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from bastion.index.model import ProjectFiles, ProjectView
from bastion.index.simple import read_file_entry

NAMES = [
    "demo-1.0-py3-none-any.whl",
    "demo-1.0.0.tar.gz",
    "demo-01.0.zip",
    "demo-1.0.post1-py3-none-any.whl",
    "demo-1!1.0.tar.gz",
    "demo-v1.0-py2.py3-none-any.whl",
    "demo-2.10-cp312-cp312-win32.whl",
    "demo-2.1-cp312-cp312-win32.whl",
    "demo-10.2.tar.gz",
    "demo-1.0rc1.tar.gz",
    "demo-1.0-1-py3-none-any.whl",  # a build tag: still 1.0
    "demo-1.0.exe",  # neither format: never a file of any version
    "demo-not-a-version.tar.gz",
]


def page(names: list[str]) -> ProjectFiles:
    entries = [{"filename": n, "url": n, "hashes": {"sha256": "0" * 64}} for n in names]
    return ProjectFiles(
        "demo", "https://example.test/simple/demo/", entries, read_entry=read_file_entry
    )


def test_equal_versions_are_found_however_the_name_writes_them() -> None:
    files = page(NAMES)
    assert [f.filename for f in files.files_of("1")] == [
        "demo-1.0-py3-none-any.whl",
        "demo-1.0.0.tar.gz",
        "demo-01.0.zip",
        "demo-v1.0-py2.py3-none-any.whl",
        "demo-1.0-1-py3-none-any.whl",
    ]
    assert [f.filename for f in files.files_of("1!1.0")] == ["demo-1!1.0.tar.gz"]
    assert [f.filename for f in files.files_of("2.10")] == ["demo-2.10-cp312-cp312-win32.whl"]
    assert [f.filename for f in files.files_of("1.0rc1")] == ["demo-1.0rc1.tar.gz"]
    assert files.files_of("3.0") == []


@given(
    st.lists(st.sampled_from(NAMES), max_size=12),
    st.lists(
        st.sampled_from(
            ["1", "1.0", "1.0.0", "01", "1!1", "2.1", "2.10", "10.2", "1.0rc1", "1.post1"]
        ),
        min_size=1,
        max_size=5,
    ),
)
def test_the_filtered_scan_agrees_with_the_whole_index(names: list[str], asked: list[str]) -> None:
    scanned = page(names)
    indexed = page(names)
    indexed.files_of("99")  # three versions asked: the whole page is indexed from here on
    indexed.files_of("98")
    indexed.files_of("97")
    for version in asked:
        assert [f.filename for f in scanned.files_of(version)] == [
            f.filename for f in indexed.files_of(version)
        ], version


def test_a_stored_summary_answers_the_versions_asked_before_and_loads_the_page_for_others() -> None:
    whole = page(NAMES)
    assert len(whole.files_of("1.0")) == 5
    loads: list[int] = []

    def load() -> ProjectFiles:
        loads.append(1)
        return page(NAMES)

    summary = json.loads(json.dumps(whole.summary()))
    view = ProjectView.read(whole.url, summary, load, read_file_entry)
    assert view is not None
    assert [f.filename for f in view.files_of("1")] == [f.filename for f in whole.files_of("1")]
    assert (view.name, view.versions, view.status) == (whole.name, whole.versions, whole.status)
    assert loads == [] and not view.grew
    assert [f.filename for f in view.files_of("2.10")] == ["demo-2.10-cp312-cp312-win32.whl"]
    assert loads == [1] and view.grew
    # What is stored next keeps both versions, whichever way each was found.
    again = ProjectView.read(
        whole.url, json.loads(json.dumps(view.summary())), load, read_file_entry
    )
    assert again is not None
    assert len(again.files_of("1.0")) == 5
    assert len(again.files_of("2.10")) == 1
    assert loads == [1]


def test_a_summary_of_the_wrong_shape_is_no_view() -> None:
    good = page(NAMES)
    good.files_of("1.0")
    summary = good.summary()
    for broken in (
        None,
        [],
        {**summary, "name": 3},
        {**summary, "files": {"1": [[0]]}},
        {**summary, "files": {"1": [["0", {}]]}},
        {**summary, "attested": "yes"},
        {**summary, "last-serial": True},
        {**summary, "versions": [1]},
    ):
        assert ProjectView.read(good.url, broken, lambda: good, read_file_entry) is None


def test_attested_before_is_the_same_from_the_page_and_from_its_summary() -> None:
    entries = [
        {"filename": "demo-1.0.tar.gz", "url": "u", "hashes": {}, "upload-time": "2024-01-01"},
        {
            "filename": "demo-2.0.tar.gz",
            "url": "u",
            "hashes": {},
            "upload-time": "2025-01-01",
            "provenance": "https://example.test/p",
        },
    ]
    whole = ProjectFiles(
        "demo", "https://example.test/simple/demo/", entries, read_entry=read_file_entry
    )
    whole.files_of("1.0")
    view = ProjectView.read(whole.url, whole.summary(), lambda: whole, read_file_entry)
    assert view is not None
    for moment in (None, "2024-06-01", "2025-06-01", "2023-01-01"):
        assert view.attested_before(moment) == whole.attested_before(moment), moment
