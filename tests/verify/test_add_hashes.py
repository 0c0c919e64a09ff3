"""`bastion verify --add-hashes FILE [--dry-run]` against the fake index."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.cli import run
from support.fake_index import FakeIndex
from verify.conftest import sha

WHEEL_10 = sha(b"demo wheel 1.0")
SDIST_10 = sha(b"demo sdist 1.0")
WHEEL_20 = sha(b"other wheel 2.0")
DEMO = sorted([WHEEL_10, SDIST_10])


def add(capsys: pytest.CaptureFixture[str], index: FakeIndex, *argv: str):
    return run(capsys, "verify", "--index-url", index.url, "--add-hashes", *argv)


def test_hashes_are_added_keeping_comments_markers_options_and_order(
    project: Path, index: FakeIndex, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("requirements.txt").write_text(
        "# compiled by hand\n"
        "-r base.txt\n"
        "--index-url https://pypi.org/simple/\n"
        "\n"
        "other==2.0 ; python_version >= '3.9'  # the other one\n"
        "    # via demo\n"
        "demo[extra]==1.0\n"
    )
    Path("base.txt").write_text("")
    code, out, err = add(capsys, index, "requirements.txt")
    assert (code, out) == (0, "")
    assert err == (f"requirements.txt: added 3 hashes to 2 requirements from {index.url}\n")
    assert Path("requirements.txt").read_text() == (
        "# compiled by hand\n"
        "-r base.txt\n"
        "--index-url https://pypi.org/simple/\n"
        "\n"
        "other==2.0 ; python_version >= '3.9' \\\n"
        f"    --hash=sha256:{WHEEL_20}  # the other one\n"
        "    # via demo\n"
        "demo[extra]==1.0 \\\n"
        f"    --hash=sha256:{DEMO[0]} \\\n"
        f"    --hash=sha256:{DEMO[1]}\n"
    )
    # Run again: nothing changes.
    before = Path("requirements.txt").read_text()
    assert add(capsys, index, "requirements.txt")[0] == 0
    assert Path("requirements.txt").read_text() == before


def test_hashes_are_refreshed_in_the_entrys_own_style(
    project: Path, index: FakeIndex, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = "0" * 64
    Path("requirements.txt").write_bytes(
        (
            f"other==2.0 --hash=sha256:{stale}\r\ndemo==1.0 \\\r\n  --hash=sha256:{stale}\r\n"
        ).encode()
    )
    code, _out, err = add(capsys, index, "requirements.txt")
    assert code == 0
    assert "2 that match no published file removed" in err
    assert Path("requirements.txt").read_bytes().decode() == (
        f"other==2.0 --hash=sha256:{WHEEL_20}\r\n"
        f"demo==1.0 \\\r\n  --hash=sha256:{DEMO[0]} \\\r\n  --hash=sha256:{DEMO[1]}\r\n"
    )


def test_dry_run_prints_a_diff_and_writes_nothing(
    project: Path, index: FakeIndex, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("requirements.txt").write_text("other==2.0\n")
    code, out, err = add(capsys, index, "requirements.txt", "--dry-run")
    assert code == 0
    assert out.splitlines() == [
        "--- requirements.txt",
        "+++ requirements.txt (with hashes)",
        "@@ -1 +1,2 @@",
        "-other==2.0",
        "+other==2.0 \\",
        f"+    --hash=sha256:{WHEEL_20}",
    ]
    assert "would add 1 hash to 1 requirement" in err
    assert Path("requirements.txt").read_text() == "other==2.0\n"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("other>=2", "other is not pinned (>=2): pin it to one version first"),
        (
            "mylib @ git+https://github.com/org/mylib@main",
            "mylib comes from git+https://github.com/org/mylib@main: the index has no hashes",
        ),
        ("demo==9.9", "demo==9.9 has no file on the index"),
        ("nothere==1.0", "nothere==1.0 is not on the index"),
    ],
)
def test_what_cannot_be_hash_pinned_is_refused_with_its_line_and_nothing_is_written(
    project: Path, index: FakeIndex, capsys: pytest.CaptureFixture[str], line: str, message: str
) -> None:
    text = f"other==2.0\n{line}\n"
    Path("requirements.txt").write_text(text)
    code, out, err = add(capsys, index, "requirements.txt")
    assert (code, out) == (2, "")
    assert err.startswith(f"bastion: error: requirements.txt:2: {message}")
    assert Path("requirements.txt").read_text() == text


def test_an_unreachable_index_is_exit_3_and_nothing_is_written(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("requirements.txt").write_text("other==2.0\n")
    code, _out, err = run(
        capsys,
        "verify",
        "--index-url",
        "http://127.0.0.1:9/simple/",
        "--add-hashes",
        "requirements.txt",
    )
    assert code == 3
    assert err.startswith("bastion: error: GET http://127.0.0.1:9/simple/other/: ")
    assert Path("requirements.txt").read_text() == "other==2.0\n"


def test_dry_run_alone_is_a_usage_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "verify", "--dry-run")
    assert code == 2
    assert err == "bastion: error: --dry-run goes with --add-hashes\n"
