"""V301-V303: PEP 740 provenance of locked files, the recorded publishers, trust on first use.

The attestation is the real one PyPI serves for `sigstore-3.6.1.tar.gz` (../shared/data):
these tests skip when that folder is absent. The fake index serves it as the file's
provenance, with the real digest on the page (the file's bytes are not needed).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bastion.index import client
from bastion.verify.provenance import Verified, describe, differences, verify_provenance
from support.fake_index import FakeFile, FakeIndex
from verify.conftest import by_id, ids, verify

ATTESTATIONS = Path(__file__).resolve().parents[3] / "shared" / "data" / "attestations"
PROVENANCE = ATTESTATIONS / "sigstore-3.6.1.tar.gz.provenance"
SDIST = "sigstore-3.6.1.tar.gz"
DIGEST = "ee60fdc9236fd6709271ad53b44027461360c3fde155d2af15482e4c451ff865"
OTHER_DIGEST = "0" * 64
PUBLISHER = {"kind": "GitHub", "repository": "sigstore/sigstore-python", "workflow": "release.yml"}

needs_shared = pytest.mark.skipif(not PROVENANCE.is_file(), reason="../shared/data is absent")


@pytest.fixture
def real_provenance() -> bytes:
    if not PROVENANCE.is_file():
        pytest.skip("../shared/data/attestations is absent")
    return PROVENANCE.read_bytes()


# --- verifying one provenance object ---------------------------------------------------


@needs_shared
def test_the_real_provenance_verifies_for_its_digest_and_names_its_publisher() -> None:
    verified = verify_provenance(PROVENANCE.read_bytes(), SDIST, DIGEST)
    assert verified == Verified(PUBLISHER)
    assert describe(PUBLISHER) == "GitHub sigstore/sigstore-python, workflow release.yml"


@needs_shared
def test_the_real_provenance_fails_for_another_digest() -> None:
    verified = verify_provenance(PROVENANCE.read_bytes(), SDIST, OTHER_DIGEST)
    assert verified.publisher is None
    assert verified.error is not None and "digest" in verified.error
    assert not verified.malformed


@needs_shared
def test_the_real_provenance_does_not_match_another_repository() -> None:
    seen = verify_provenance(PROVENANCE.read_bytes(), SDIST, DIGEST).publisher
    assert seen is not None
    expected = {**PUBLISHER, "repository": "someone/sigstore-fork"}
    assert differences(expected, seen) == [
        "repository sigstore/sigstore-python where someone/sigstore-fork was recorded"
    ]
    assert differences(PUBLISHER, seen) == []


def test_a_body_that_is_not_a_provenance_object_is_malformed_not_a_crash() -> None:
    for body in (b"<html>proxy error</html>", b"{}", b'{"version": 1}', b"\xff\xfe"):
        verified = verify_provenance(body, SDIST, DIGEST)
        assert verified.publisher is None and verified.malformed, body


# --- verify against a fake index -------------------------------------------------------


@pytest.fixture
def sigstore_index(real_provenance: bytes) -> Iterator[FakeIndex]:
    index = FakeIndex()
    index.add(
        "sigstore",
        [
            FakeFile(
                "sigstore-3.5.0.tar.gz",
                b"older",
                upload_time="2024-06-01T00:00:00.000000Z",
                provenance=real_provenance,
            ),
            FakeFile(
                SDIST,
                b"not the real bytes",
                digest=DIGEST,
                upload_time="2025-01-01T00:00:00.000000Z",
                provenance=real_provenance,
            ),
        ],
    )
    with index:
        yield index


def lock(digest: str = DIGEST) -> None:
    Path("requirements.txt").write_text(
        f"--require-hashes\nsigstore==3.6.1 --hash=sha256:{digest}\n"
    )


def record(repository: str = "sigstore/sigstore-python") -> None:
    Path(".bastion").mkdir(exist_ok=True)
    Path(".bastion/publishers.toml").write_text(
        f'[sigstore]\nkind = "GitHub"\nrepository = "{repository}"\nworkflow = "release.yml"\n'
    )


def check(
    capsys: pytest.CaptureFixture[str], index: FakeIndex, *argv: str
) -> tuple[int, dict[str, Any], str]:
    return verify(capsys, "--index-url", index.url, *argv)


def provenance_line(report: dict[str, Any]) -> str:
    (line,) = [x for x in report["data_status"] if "provenance" in x]
    return line


def test_a_locked_file_with_valid_provenance_is_clean_and_its_publisher_counted(
    project: Path, sigstore_index: FakeIndex, capsys: pytest.CaptureFixture[str]
) -> None:
    lock()
    code, report, err = check(capsys, sigstore_index)
    assert (code, ids(report), err) == (0, [], "")
    assert provenance_line(report) == (
        "verify: provenance (PEP 740) of 1 locked files: 1 attested and verified, 0 without "
        "provenance; no publishers recorded (--trust-on-first-use records them)"
    )
    assert (
        "verify: attested: sigstore by GitHub sigstore/sigstore-python, workflow release.yml"
        in report["data_status"]
    )


def test_provenance_that_does_not_verify_for_the_locked_digest_is_critical(
    project: Path, real_provenance: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    with FakeIndex() as index:
        index.add(
            "sigstore", [FakeFile(SDIST, b"x", digest=OTHER_DIGEST, provenance=real_provenance)]
        )
        lock(OTHER_DIGEST)
        code, report, _err = check(capsys, index)
    assert code == 1
    (finding,) = report["findings"]
    assert (finding["id"], finding["severity"], finding["package"]["name"]) == (
        "V301",
        "critical",
        "sigstore",
    )
    assert f"the provenance of {SDIST} does not verify" in finding["title"]


def test_trust_on_first_use_records_the_publisher_and_a_later_run_checks_it(
    project: Path, sigstore_index: FakeIndex, capsys: pytest.CaptureFixture[str]
) -> None:
    lock()
    code, report, _err = check(capsys, sigstore_index, "--trust-on-first-use")
    assert (code, ids(report)) == (0, [])
    assert any("recorded the publishers of 1 projects" in x for x in report["data_status"])
    text = Path(".bastion/publishers.toml").read_text()
    assert text.startswith("# Trusted publishers")
    assert '[sigstore]\nkind = "GitHub"\nrepository = "sigstore/sigstore-python"\n' in text
    code, report, _err = check(capsys, sigstore_index)
    assert (code, ids(report)) == (0, [])
    assert provenance_line(report).endswith("; publishers recorded in .bastion/publishers.toml")
    # Already recorded: nothing new is written.
    code, report, _err = check(capsys, sigstore_index, "--trust-on-first-use")
    assert "verify: --trust-on-first-use: no new publisher to record" in report["data_status"]
    assert Path(".bastion/publishers.toml").read_text() == text


def test_a_publisher_other_than_the_recorded_one_is_high(
    project: Path, sigstore_index: FakeIndex, capsys: pytest.CaptureFixture[str]
) -> None:
    lock()
    record("someone/sigstore-fork")
    code, report, _err = check(capsys, sigstore_index)
    assert code == 1
    (finding,) = by_id(report, "V302")
    assert finding["severity"] == "high"
    assert finding["title"] == (
        f"sigstore==3.6.1: {SDIST} was published by GitHub sigstore/sigstore-python, workflow "
        "release.yml, not the recorded GitHub someone/sigstore-fork, workflow release.yml"
    )
    assert ids(report) == ["V302"]


def test_the_recorded_publisher_in_pyproject_is_read_too(
    project: Path, sigstore_index: FakeIndex, capsys: pytest.CaptureFixture[str]
) -> None:
    lock()
    Path("pyproject.toml").write_text(
        '[tool.bastion.publishers.sigstore]\nkind = "GitHub"\n'
        'repository = "sigstore/sigstore-python"\nworkflow = "release.yml"\n'
    )
    code, report, err = check(capsys, sigstore_index, "-r", "requirements.txt")
    assert (code, ids(report)) == (0, []), err
    assert "pyproject.toml [tool.bastion.publishers]" in provenance_line(report)
    Path("pyproject.toml").write_text(
        '[tool.bastion.publishers.sigstore]\nkind = "GitLab"\nrepository = "x/y"\n'
    )
    code, report, _err = check(capsys, sigstore_index, "-r", "requirements.txt")
    assert (code, ids(report)) == (1, ["V302"])


def test_an_unattested_release_of_a_recorded_project_is_high(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record()
    with FakeIndex() as index:
        index.add("sigstore", [FakeFile(SDIST, b"x", digest=DIGEST)])
        lock()
        code, report, _err = check(capsys, index)
    assert code == 1
    (finding,) = report["findings"]
    assert (finding["id"], finding["severity"]) == ("V303", "high")
    assert "has no provenance, but the project recorded its publisher" in finding["title"]


def test_an_unattested_release_after_attested_ones_is_medium_and_before_them_quiet(
    project: Path, real_provenance: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    older = FakeFile(
        "sigstore-3.5.0.tar.gz",
        b"older",
        upload_time="2024-06-01T00:00:00.000000Z",
        provenance=real_provenance,
    )
    unattested = FakeFile(SDIST, b"x", digest=DIGEST, upload_time="2025-01-01T00:00:00.000000Z")
    lock()
    with FakeIndex() as index:
        index.add("sigstore", [older, unattested])
        code, report, _err = check(capsys, index)
    (finding,) = by_id(report, "V303")
    assert (code, finding["severity"], finding["confidence"]) == (1, "medium", "medium")
    assert "earlier releases of sigstore were attested" in finding["title"]
    # The attested release came later: this one predates the project's attestations.
    later = FakeFile(
        "sigstore-4.0.0.tar.gz",
        b"later",
        upload_time="2026-01-01T00:00:00.000000Z",
        provenance=real_provenance,
    )
    with FakeIndex() as index:
        index.add("sigstore", [unattested, later])
        code, report, _err = check(capsys, index)
    assert (code, ids(report)) == (0, [])


def test_a_page_silent_on_provenance_asks_the_integrity_api_for_recorded_projects(
    project: Path,
    real_provenance: bytes,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(client, "INTEGRITY_HOSTS", frozenset({"127.0.0.1"}))
    lock()
    with FakeIndex() as index:
        index.provenance_key = False  # a proxy that drops PEP 740's key
        index.add("sigstore", [FakeFile(SDIST, b"x", digest=DIGEST, provenance=real_provenance)])
        index.add("other", [])
        # Nothing recorded: the integrity API is not asked, the provenance is unknown.
        code, report, _err = check(capsys, index)
        assert (code, ids(report)) == (0, [])
        assert "1 unknown (the index's pages say nothing of provenance)" in provenance_line(report)
        assert not [r for r in index.requests if "/integrity/" in r.path]
        record()
        code, report, _err = check(capsys, index)
        assert (code, ids(report)) == (0, [])
        asked = [r.path for r in index.requests if "/integrity/" in r.path]
        assert asked == [f"/integrity/sigstore/3.6.1/{SDIST}/provenance"]
        assert "1 attested and verified" in provenance_line(report)
    # The integrity API has nothing for the file: unattested, and the project recorded one.
    with FakeIndex() as index:
        index.provenance_key = False
        index.add("sigstore", [FakeFile(SDIST, b"x", digest=DIGEST)])
        code, report, _err = check(capsys, index)
    assert (code, ids(report)) == (1, ["V303"])


def test_a_malformed_provenance_response_is_exit_3_naming_the_url(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lock()
    with FakeIndex() as index:
        index.add("sigstore", [FakeFile(SDIST, b"x", digest=DIGEST, provenance=b"<html>oops")])
        code, report, err = check(capsys, index)
        assert code == 3
        (incomplete,) = report["incomplete"]
        assert incomplete.startswith(
            f"verify: provenance could not be fetched ({index.root}/provenance/{SDIST}: "
            "not a PEP 740 provenance object ("
        )
        assert "Traceback" not in err
        code, report, _err = check(capsys, index, "--allow-partial")
    assert (code, ids(report)) == (0, [])


def test_offline_skips_the_provenance_rules_and_says_so(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lock()
    code, report, _err = verify(capsys, "--offline")
    assert code == 0
    (line,) = [x for x in report["data_status"] if "--offline" in x]
    assert "V301, V302, V303" in line


def test_a_publishers_file_of_the_wrong_shape_is_bad_input_with_its_line(
    project: Path, sigstore_index: FakeIndex, capsys: pytest.CaptureFixture[str]
) -> None:
    lock()
    Path(".bastion").mkdir()
    Path(".bastion/publishers.toml").write_text('# ours\n\n[sigstore]\nrepository = "a/b"\n')
    code, _report, err = check(capsys, sigstore_index)
    assert code == 2
    assert err.strip().endswith(
        ".bastion/publishers.toml:3: sigstore: a publisher is a table with at least `kind` "
        "(GitHub, GitLab, Google, CircleCI) and its repository and workflow"
    )


def test_an_integrity_api_that_answers_a_bare_404_is_a_failed_source_not_unattested(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(client, "INTEGRITY_HOSTS", frozenset({"127.0.0.1"}))
    lock()
    record()
    with FakeIndex() as index:
        index.provenance_key = False
        index.integrity_bare_404 = True  # as a proxy that does not reach the integrity API
        index.add("sigstore", [FakeFile(SDIST, b"x", digest=DIGEST)])
        code, report, _err = check(capsys, index)
        assert (code, ids(report)) == (3, [])
        (incomplete,) = report["incomplete"]
        assert f"/integrity/sigstore/3.6.1/{SDIST}/provenance: HTTP 404" in incomplete
        code, report, _err = check(capsys, index, "--allow-partial")
    assert (code, ids(report)) == (0, [])


def test_a_recorded_project_on_an_index_without_pep_740_is_a_partial_result(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lock()
    record()
    with FakeIndex() as index:  # 127.0.0.1 has no integrity API here
        index.provenance_key = False
        index.add("sigstore", [FakeFile(SDIST, b"x", digest=DIGEST)])
        code, report, _err = check(capsys, index)
    assert (code, ids(report)) == (3, [])
    assert report["incomplete"] == [
        "verify: the provenance of 1 locked files of projects with a recorded publisher could "
        "not be fetched: the index's pages say nothing of PEP 740 and it has no integrity API"
    ]
