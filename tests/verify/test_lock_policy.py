"""V100-V105 (offline): what a requirements file or lock pins, and how.

Each rule fires on a crafted case and stays quiet on its clean twin.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from verify.conftest import by_id, ids, sha, verify

HASH_A = sha(b"a")
HASH_B = sha(b"b")
COMMIT = "4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e"


def offline(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], dict]:
    code, report, _err = verify(capsys, "--offline", *argv)
    return code, ids(report), report


# --- V100 no lock ---------------------------------------------------------------------------


def test_an_application_with_only_ranges_has_no_lock(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("pyproject.toml").write_text(
        '[project]\nname = "app"\nversion = "1"\ndependencies = ["requests>=2", "idna"]\n'
    )
    code, found, report = offline(capsys)
    assert (code, found) == (1, ["V100"])
    (finding,) = report["findings"]
    assert finding["location"]["path"] == "pyproject.toml"
    assert finding["severity"] == "low"
    assert finding["title"] == "2 dependencies declared as ranges, and no lock"


@pytest.mark.parametrize(
    "extra",
    [
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n',
    ],
)
def test_a_library_publishes_ranges_on_purpose(
    project: Path, capsys: pytest.CaptureFixture[str], extra: str
) -> None:
    Path("pyproject.toml").write_text(
        '[project]\nname = "lib"\nversion = "1"\ndependencies = ["requests>=2"]\n' + extra
    )
    assert offline(capsys)[:2] == (0, [])


def test_a_pipfile_without_its_lock_has_no_lock(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("Pipfile").write_text('[packages]\nrequests = "*"\n')
    assert offline(capsys)[1] == ["V100"]


# --- V101 unpinned, V102 no hashes, V103 partial hashes --------------------------------------


def test_an_unpinned_requirement_is_reported_at_its_line(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("requirements.txt").write_text(
        f"--require-hashes\ndemo==1.0 --hash=sha256:{HASH_A}\nother>=2 --hash=sha256:{HASH_B}\n"
    )
    _code, found, report = offline(capsys)
    assert found == ["V101"]
    (finding,) = report["findings"]
    assert finding["location"]["line"] == 3
    assert finding["title"] == "other is not pinned (>=2)"


def test_a_file_without_any_hash_is_one_finding(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("requirements.txt").write_text("# pinned\ndemo==1.0\nother==2.0\n")
    _code, found, report = offline(capsys)
    assert found == ["V102"]
    (finding,) = report["findings"]
    assert finding["title"] == "2 pinned requirements and not one hash"
    assert finding["location"] == {**finding["location"], "path": "requirements.txt", "line": 2}


def test_hashes_on_some_requirements_but_not_all(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("requirements.txt").write_text(
        f"--require-hashes\ndemo==1.0 --hash=sha256:{HASH_A}\n-r more.txt\n"
    )
    Path("more.txt").write_text("other==2.0\n")
    _code, found, report = offline(capsys)
    assert found == ["V103"]
    (finding,) = by_id(report, "V103")
    assert (finding["location"]["path"], finding["location"]["line"]) == ("more.txt", 1)
    assert "pip refuses the whole install" in finding["title"]


def test_a_fully_hashed_file_with_require_hashes_is_clean(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("requirements.txt").write_text(
        f"--require-hashes\ndemo==1.0 \\\n    --hash=sha256:{HASH_A}\nother==2.0 "
        f"--hash=sha256:{HASH_B}\n"
    )
    assert offline(capsys)[:2] == (0, [])


def test_a_lock_entry_without_a_hash(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("poetry.lock").write_text(
        '[[package]]\nname = "demo"\nversion = "1.0"\nfiles = []\n\n'
        '[[package]]\nname = "other"\nversion = "2.0"\n'
        f'files = [{{file = "other-2.0-py3-none-any.whl", hash = "sha256:{HASH_B}"}}]\n\n'
        '[metadata]\nlock-version = "2.0"\npython-versions = "*"\ncontent-hash = "x"\n'
    )
    _code, found, report = offline(capsys)
    assert found == ["V102"]
    assert report["findings"][0]["title"] == "demo==1.0 is locked without a hash"


# --- V105 mutable URLs -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "fires"),
    [
        ("mylib @ git+https://github.com/org/mylib@main", True),
        ("mylib @ git+https://github.com/org/mylib", True),
        ("mylib @ git+https://github.com/org/mylib@v1.2", True),
        (f"mylib @ git+https://github.com/org/mylib@{COMMIT}", False),
        (f"mylib @ git+ssh://git@github.com/org/mylib.git@{COMMIT}", False),
        ("mylib @ https://example.org/mylib-1.0.tar.gz", True),
        (f"mylib @ https://example.org/mylib-1.0.tar.gz#sha256={HASH_A}", False),
        (f"mylib @ https://example.org/mylib-1.0.tar.gz --hash=sha256:{HASH_A}", False),
    ],
)
def test_a_url_requirement_must_pin_immutable_content(
    project: Path, capsys: pytest.CaptureFixture[str], line: str, fires: bool
) -> None:
    Path("requirements.txt").write_text(line + "\n")
    found = offline(capsys)[1]
    assert ("V105" in found) is fires, found


def test_a_uv_git_source_locked_to_a_commit_is_clean(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fixture = Path(__file__).resolve().parents[1] / "fixtures/inventory/locks/uv/uv.lock"
    Path("uv.lock").write_text(fixture.read_text())
    assert "V105" not in offline(capsys)[1]
