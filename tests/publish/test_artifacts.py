"""P301-P305: sdists and wheels in `--dist`, read in memory; each fires on a crafted file and
stays quiet on a clean build."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import pytest

from support.cli import enter_empty_project, run
from support.tokens import ACCOUNT

METADATA = "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\nRequires-Dist: requests\n\n"


def _digest(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def wheel(
    folder: Path,
    extra: dict[str, bytes] | None = None,
    *,
    metadata: str = METADATA,
    tamper: str | None = None,
) -> Path:
    members = {
        "demo/__init__.py": b"VERSION = '1.0'\n",
        "demo-1.0.dist-info/METADATA": metadata.encode(),
        "demo-1.0.dist-info/WHEEL": b"Wheel-Version: 1.0\nRoot-Is-Purelib: true\n",
        **(extra or {}),
    }
    rows = [f"{name},{_digest(data)},{len(data)}" for name, data in members.items()]
    rows.append("demo-1.0.dist-info/RECORD,,")
    if tamper is not None:
        members[tamper] = members[tamper] + b"# changed after the build\n"
    path = folder / "demo-1.0-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        archive.writestr("demo-1.0.dist-info/RECORD", "\n".join(rows) + "\n")
    return path


def sdist(folder: Path, *, metadata: str = METADATA, extra: dict[str, bytes] | None = None) -> Path:
    path = folder / "demo-1.0.tar.gz"
    members = {
        "demo-1.0/PKG-INFO": metadata.encode(),
        "demo-1.0/src/demo/__init__.py": b"",
        **(extra or {}),
    }
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


@pytest.fixture
def dist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    project = enter_empty_project(tmp_path, monkeypatch)
    folder = project / "dist"
    folder.mkdir()
    return folder


def publish(capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    code, out, _err = run(capsys, "publish", "--dist", "dist", "--format", "json")
    return code, json.loads(out)


def found(report: dict[str, Any]) -> list[tuple[str, str]]:
    return sorted((f["id"], f["title"]) for f in report["findings"])


def test_a_clean_build_is_quiet(dist: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wheel(dist)
    sdist(dist)
    code, report = publish(capsys)
    assert (code, found(report)) == (0, [])
    assert any("2 files of --dist read in memory" in s for s in report["data_status"])


def test_p301_files_that_should_not_ship(dist: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wheel(dist, {"demo/.env": b"X=1\n", "demo/__pycache__/x.cpython-311.pyc": b"\0"})
    assert [i for i, _t in found(publish(capsys)[1])] == ["P301", "P301"]


def test_p302_a_token_inside_a_member(dist: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wheel(dist, {"demo/settings.py": f"TOKEN = '{ACCOUNT}'\n".encode()})
    code, report = publish(capsys)
    (finding,) = [f for f in report["findings"] if f["id"] == "P302"]
    assert (code, finding["severity"]) == (1, "critical")
    assert "demo/settings.py:1 holds a PyPI token for the whole account" in finding["title"]
    assert ACCOUNT not in json.dumps(report)


def test_p303_a_wheel_changed_after_its_build(
    dist: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wheel(dist, tamper="demo/__init__.py")
    assert found(publish(capsys)[1]) == [
        (
            "P303",
            "demo-1.0-py3-none-any.whl: demo/__init__.py: its sha256 differs from RECORD",
        )
    ]


def test_p304_a_pth_with_code(dist: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wheel(dist, {"demo_paths.pth": b"src\n"})
    assert found(publish(capsys)[1]) == []
    (dist / "demo-1.0-py3-none-any.whl").unlink()
    wheel(dist, {"demo_hook.pth": b"import demo._startup\n"})
    assert [i for i, _t in found(publish(capsys)[1])] == ["P304"]


def test_p305_invalid_metadata_and_an_sdist_that_disagrees(
    dist: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wheel(
        dist,
        metadata=METADATA.replace(
            "Requires-Dist: requests", "Requires-Dist: requests\nRequires-Dist: evil-helper"
        ),
    )
    sdist(dist)
    (finding,) = [f for f in publish(capsys)[1]["findings"] if f["id"] == "P305"]
    assert "disagree on requires_dist" in finding["title"]
    (dist / "demo-1.0-py3-none-any.whl").unlink()
    (dist / "demo-1.0.tar.gz").unlink()
    sdist(dist, metadata="Metadata-Version: 2.1\nName: demo\nVersion: not a version\n\n")
    assert [i for i, _t in found(publish(capsys)[1])] == ["P305"]


def test_members_that_leave_the_archive_are_not_read(
    dist: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sdist(dist, extra={"../outside.txt": b"x"})
    titles = [t for i, t in found(publish(capsys)[1]) if i == "P301"]
    assert titles == ["demo-1.0.tar.gz: ../outside.txt: leaves the archive's folder"]
