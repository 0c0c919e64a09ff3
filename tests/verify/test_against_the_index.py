"""V104, V201-V205: the lock against what the (fake) index published; the index failing."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.fake_index import FakeFile, FakeIndex
from verify.conftest import by_id, ids, sha, verify

WHEEL_10 = sha(b"demo wheel 1.0")
SDIST_10 = sha(b"demo sdist 1.0")
WHEEL_20 = sha(b"other wheel 2.0")


def lock(*lines: str) -> None:
    Path("requirements.txt").write_text("--require-hashes\n" + "".join(f"{x}\n" for x in lines))


def check(capsys: pytest.CaptureFixture[str], index: FakeIndex, *argv: str):
    return verify(capsys, "--index-url", index.url, *argv)


def test_a_lock_that_matches_the_index_is_clean(
    project: Path, index: FakeIndex, capsys: pytest.CaptureFixture[str]
) -> None:
    lock(
        f"demo==1.0 --hash=sha256:{WHEEL_10} --hash=sha256:{SDIST_10}",
        f"other==2.0 --hash=sha256:{WHEEL_20}",
    )
    code, report, err = check(capsys, index)
    assert (code, ids(report), err) == (0, [], "")
    assert report["data_status"][0] == (
        f"verify: 2 pinned dependencies checked against {index.url} (2 projects: 2 asked, "
        "0 from pages stored earlier)"
    )


def test_one_altered_hash_is_a_critical_finding_for_that_dependency_only(
    project: Path, index: FakeIndex, capsys: pytest.CaptureFixture[str]
) -> None:
    altered = "f" * 64
    lock(
        f"demo==1.0 --hash=sha256:{WHEEL_10} --hash=sha256:{altered}",
        f"other==2.0 --hash=sha256:{WHEEL_20}",
    )
    code, report, _err = check(capsys, index)
    assert code == 1
    (finding,) = report["findings"]
    assert (finding["id"], finding["severity"], finding["package"]["name"]) == (
        "V201",
        "critical",
        "demo",
    )
    assert finding["location"]["line"] == 2
    assert "1 hash match no file the index published (sha256:ffffffffffff…)" in finding["title"]
    # The page was asked for again, past the cache, before the alarm.
    assert [r.path for r in index.requests].count("/simple/demo/") == 2


def test_a_file_uploaded_since_the_page_was_stored_is_no_false_alarm(
    project: Path, index: FakeIndex, capsys: pytest.CaptureFixture[str]
) -> None:
    lock(f"demo==1.0 --hash=sha256:{WHEEL_10}")
    assert check(capsys, index)[0] == 0  # the page is now stored, fresh for 10 minutes
    late = FakeFile("demo-1.0-cp312-cp312-manylinux_2_17_x86_64.whl", b"late wheel")
    index.projects["demo"].files.append(late)
    lock(f"demo==1.0 --hash=sha256:{WHEEL_10} --hash=sha256:{late.sha256}")
    code, report, _err = check(capsys, index)
    assert (code, ids(report)) == (0, [])


def test_a_yanked_version_with_its_reason(
    project: Path, index: FakeIndex, capsys: pytest.CaptureFixture[str]
) -> None:
    lock(f"demo==1.1 --hash=sha256:{sha(b'demo wheel 1.1')}")
    (finding,) = by_id(check(capsys, index)[1], "V202")
    assert finding["title"] == "demo==1.1 was yanked from the index: broken build"
    lock(f"demo==1.0 --hash=sha256:{WHEEL_10}")
    assert by_id(check(capsys, index)[1], "V202") == []


def test_a_version_and_a_project_the_index_does_not_have(
    project: Path, index: FakeIndex, capsys: pytest.CaptureFixture[str]
) -> None:
    lock(f"demo==9.9 --hash=sha256:{WHEEL_10}", f"internal-billing==1.4 --hash=sha256:{WHEEL_20}")
    code, report, _err = check(capsys, index)
    assert (code, ids(report)) == (1, ["V203", "V204"])
    assert by_id(report, "V203")[0]["title"] == (
        "demo==9.9 is not on the index (3 other versions are)"
    )
    assert by_id(report, "V204")[0]["title"] == f"internal-billing is not on {index.url}"


def test_pep_440_equal_versions_are_the_same_version(
    project: Path, index: FakeIndex, capsys: pytest.CaptureFixture[str]
) -> None:
    lock(f"demo==1.0.0 --hash=sha256:{WHEEL_10}")
    code, report, _err = check(capsys, index)
    assert (code, ids(report)) == (0, [])


def test_an_archived_project(
    project: Path, index: FakeIndex, capsys: pytest.CaptureFixture[str]
) -> None:
    lock(f"old-thing==0.1 --hash=sha256:{sha(b'old thing')}")
    (finding,) = by_id(check(capsys, index)[1], "V205")
    assert finding["severity"] == "low"
    assert finding["title"].startswith("old-thing is archived on the index (no longer maintained)")


def test_a_quarantined_project_is_critical(
    project: Path, index: FakeIndex, capsys: pytest.CaptureFixture[str]
) -> None:
    index.add("evil", [FakeFile("evil-1.0.tar.gz", b"evil")], status="quarantined")
    lock(f"evil==1.0 --hash=sha256:{sha(b'evil')}")
    (finding,) = by_id(check(capsys, index)[1], "V205")
    assert finding["severity"] == "critical"


def test_locked_to_the_sdist_where_wheels_exist(
    project: Path, index: FakeIndex, capsys: pytest.CaptureFixture[str]
) -> None:
    lock(f"demo==1.0 --hash=sha256:{SDIST_10}")
    (finding,) = by_id(check(capsys, index)[1], "V104")
    assert finding["title"] == (
        "demo==1.0 is locked to its sdist (demo-1.0.tar.gz); the index has 1 wheel"
    )
    lock(f"demo==1.2 --hash=sha256:{sha(b'demo sdist 1.2')}")  # 1.2 has no wheel
    assert by_id(check(capsys, index)[1], "V104") == []


def test_offline_the_index_is_not_asked_and_that_is_said(
    project: Path, index: FakeIndex, capsys: pytest.CaptureFixture[str]
) -> None:
    lock(f"demo==1.0 --hash=sha256:{'f' * 64}")
    code, report, _err = check(capsys, index, "--offline")
    assert (code, ids(report), index.requests) == (0, [], [])
    assert report["data_status"][0] == (
        "verify: the package index was not asked (--offline): V104, V201, V202, V203, V204, "
        "V205, V301, V302, V303 not checked"
    )


def test_an_index_that_cannot_be_asked_is_exit_3_unless_partial_results_are_allowed(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lock("demo==1.0", "other>=1")  # also an offline finding: V101 for other, V103 for both
    code, report, _err = verify(capsys, "--index-url", "http://127.0.0.1:9/simple/")
    assert code == 3
    assert report["incomplete"][0].startswith(
        "verify: the package index could not be asked (GET http://127.0.0.1:9/simple/demo/: "
    )
    assert "V101" in ids(report)  # what could be checked is still reported
    code, report, _err = verify(
        capsys, "--index-url", "http://127.0.0.1:9/simple/", "--allow-partial"
    )
    assert code == 1
    assert report["incomplete"] == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", "the answer is not JSON"),
        (b'{"name": "demo", "files": [{"filename": 7}]}', "files[0]"),
        (
            b'{"name": "demo", "files": [{"filename": "demo-1.0.tar.gz", "url": "x", '
            b'"hashes": {"sha256": 5}}]}',
            "files[0].hashes.sha256: expected a string",
        ),
    ],
)
def test_a_malformed_answer_is_exit_3_naming_the_url(
    project: Path,
    index: FakeIndex,
    capsys: pytest.CaptureFixture[str],
    body: bytes,
    message: str,
) -> None:
    index.broken["demo"] = body
    lock(f"demo==1.0 --hash=sha256:{WHEEL_10}")
    code, report, err = check(capsys, index)
    assert code == 3, report
    (line,) = report["incomplete"]
    assert f"GET {index.url}demo/" in line
    assert message in line
    assert "Traceback" not in err
