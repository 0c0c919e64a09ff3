"""`bastion audit --fix` on requirements files: the vulnerable pin, and only it, upgraded to
the smallest fixed version; hashes refreshed from the (fake) index; --dry-run writes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support.cli import enter_empty_project, import_records, run
from support.fake_index import FakeFile, FakeIndex

RECORD = {
    "id": "PYSEC-1",
    "modified": "2024-01-01T00:00:00Z",
    "affected": [
        {
            "package": {"ecosystem": "PyPI", "name": "demo"},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.2"}]}],
        }
    ],
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = enter_empty_project(tmp_path, monkeypatch)
    import_records(tmp_path, {"PYSEC-1.json": json.dumps(RECORD)})
    return folder


def test_fix_rewrites_only_the_vulnerable_pin_and_dry_run_writes_nothing(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "# pins\nDemo==1.0 ; python_version >= '3'  # keep\nother==2.0\n"
    Path("requirements.txt").write_text(text)
    code, out, err = run(capsys, "audit", "-r", "requirements.txt", "--fix", "--dry-run")
    assert code == 0
    assert "-Demo==1.0 ; python_version >= '3'  # keep" in out
    assert "+Demo==1.2 ; python_version >= '3'  # keep" in out
    assert "requirements.txt:2: would upgrade demo 1.0 -> 1.2" in err
    assert Path("requirements.txt").read_text() == text
    code, _out, _err = run(capsys, "audit", "-r", "requirements.txt", "--fix")
    assert Path("requirements.txt").read_text() == text.replace("Demo==1.0", "Demo==1.2")
    code, _out, _err = run(capsys, "audit", "-r", "requirements.txt", "--no-outdated")
    assert code == 0  # nothing left with a fixed version


def test_fix_refreshes_the_hashes_of_a_hash_pinned_file(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with FakeIndex() as index:
        index.add(
            "demo", [FakeFile("demo-1.0.tar.gz", b"old"), FakeFile("demo-1.2.tar.gz", b"new")]
        )
        index.add("other", [FakeFile("other-2.0.tar.gz", b"other")])
        old = FakeFile("x", b"old").sha256
        other = FakeFile("x", b"other").sha256
        Path("requirements.txt").write_text(
            f"demo==1.0 \\\n    --hash=sha256:{old}\nother==2.0 \\\n    --hash=sha256:{other}\n"
        )
        code, _out, err = run(
            capsys, "audit", "-r", "requirements.txt", "--fix", "--index-url", index.url
        )
    assert code == 0, err
    new = FakeFile("x", b"new").sha256
    assert Path("requirements.txt").read_text() == (
        f"demo==1.2 \\\n    --hash=sha256:{new}\nother==2.0 \\\n    --hash=sha256:{other}\n"
    )
    assert not list(Path().glob(".requirements.txt.*"))  # the temporary file is gone


def test_nothing_to_fix_says_so(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("requirements.txt").write_text("demo==1.2\n")
    code, out, _err = run(capsys, "audit", "-r", "requirements.txt", "--fix")
    assert code == 0 and "nothing to upgrade" in out


def test_fix_to_latest_takes_the_newest_release_that_installs(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("requirements.txt").write_text("demo==1.0\n")
    with FakeIndex() as index:
        index.add(
            "demo",
            [
                FakeFile("demo-1.0.tar.gz", b"1.0"),
                FakeFile("demo-1.2.tar.gz", b"1.2"),
                FakeFile("demo-1.5.tar.gz", b"1.5"),
                FakeFile("demo-2.0.tar.gz", b"2.0", requires_python=">=3.99"),
            ],
        )
        code, _out, err = run(
            capsys,
            "audit",
            "-r",
            "requirements.txt",
            "--fix",
            "--fix-to",
            "latest",
            "--index-url",
            index.url,
        )
    assert code == 0, err
    assert Path("requirements.txt").read_text() == "demo==1.5\n"
