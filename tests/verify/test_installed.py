"""V401-V404: a crafted venv's files against their RECORDs."""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

import pytest

from support.cli import run
from verify.conftest import by_id, ids, verify

SITE = ".venv/lib/python3.12/site-packages"


def digest(data: bytes) -> str:
    raw = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def make_venv(project: Path) -> Path:
    """A venv with one distribution, `demo` 1.0: a package, a .pth, a script; RECORD right."""
    venv = project / ".venv"
    site = project / SITE
    (site / "demo").mkdir(parents=True)
    (venv / "bin").mkdir()
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\nversion_info = 3.12.1\n")
    files = {
        "demo/__init__.py": b"VALUE = 1\n",
        "demo/core.py": b"def f():\n    return 2\n",
        "demo.pth": b"import demo\n",
        "../../../bin/demo": b"#!/usr/bin/env python\nimport demo\n",
    }
    rows = []
    for relative, content in files.items():
        target = site / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        rows.append(f"{relative},{digest(content)},{len(content)}")
    info = site / "demo-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n\n")
    rows += ["demo-1.0.dist-info/METADATA,,", "demo-1.0.dist-info/RECORD,,"]
    rows.append("demo/__pycache__/core.cpython-312.pyc,,")
    (info / "RECORD").write_text("\n".join(rows) + "\n")
    (venv / "bin" / "activate").write_text("# venv's own\n")
    (venv / "bin" / "python3").symlink_to("/usr/bin/python3")
    (site / "demo" / "__pycache__").mkdir()
    (site / "demo" / "__pycache__" / "stray.cpython-312.pyc").write_bytes(b"bytecode")
    return venv


def installed(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:
    code, report, _err = verify(capsys, "--offline", "--installed", "--python", ".venv", *argv)
    return code, report


def test_an_environment_as_installed_is_clean(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_venv(project)
    code, report = installed(capsys)
    assert (code, ids(report)) == (0, [])
    line = next(s for s in report["data_status"] if "installed files" in s)
    assert line.startswith("verify: 4 installed files of 1 distributions in .venv checked")


def test_a_changed_file_is_high_and_names_its_distribution(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_venv(project)
    core = project / SITE / "demo" / "core.py"
    core.write_bytes(core.read_bytes() + b"import os; os.system('id')\n")
    code, report = installed(capsys)
    assert (code, ids(report)) == (1, ["V401"])
    (finding,) = report["findings"]
    assert finding["severity"] == "high"
    assert finding["location"]["path"] == str(Path(SITE) / "demo" / "core.py")
    assert (finding["package"]["name"], finding["package"]["version"]) == ("demo", "1.0")
    assert "bytes where RECORD says 22" in finding["title"]


def test_a_missing_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_venv(project)
    (project / SITE / "demo" / "core.py").unlink()
    assert ids(installed(capsys)[1]) == ["V402"]


def test_code_that_no_record_lists(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_venv(project)
    (project / SITE / "zzz.pth").write_text("import os; os.system('id')\n")
    (project / SITE / "demo" / "extra.py").write_text("x = 1\n")
    (project / ".venv" / "bin" / "helper").write_text("#!/bin/sh\n")
    found = by_id(installed(capsys)[1], "V403")
    assert sorted((Path(f["location"]["path"]).name, f["severity"]) for f in found) == [
        ("extra.py", "medium"),
        ("helper", "medium"),
        ("zzz.pth", "high"),
    ]


def test_distributions_that_cannot_be_verified(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_venv(project)
    bare = project / SITE / "bare-2.0.dist-info"
    bare.mkdir()
    (bare / "METADATA").write_text("Name: bare\nVersion: 2.0\n\n")
    egg = project / SITE / "old-0.1.egg-info"
    egg.mkdir()
    (egg / "PKG-INFO").write_text("Name: old\nVersion: 0.1\n\n")
    found = by_id(installed(capsys)[1], "V404")
    assert sorted(f["title"] for f in found) == [
        "bare: no RECORD file",
        "old: an egg-info install (setup.py install or develop) records no hashes",
    ]


def test_a_record_that_leaves_the_environment_is_not_followed(
    project: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    make_venv(project)
    secret = tmp_path / "secret.txt"
    secret.write_text("not bastion's to read")
    record = project / SITE / "demo-1.0.dist-info" / "RECORD"
    outside = os.path.relpath(secret, project / SITE)
    (project / SITE / "link.txt").symlink_to(secret)
    record.write_text(
        record.read_text()
        + "".join(
            f"{row},{digest(b'x')},1\n"
            for row in (outside, "link.txt", "../../../../../../dev/zero")
        )
    )
    found = by_id(installed(capsys)[1], "V404")
    assert len(found) == 3
    assert {f["severity"] for f in found} == {"medium"}
    assert all("outside the environment" in f["title"] for f in found)


def test_check_looks_at_the_projects_venv_and_verify_only_when_asked(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_venv(project)
    (project / SITE / "zzz.pth").write_text("import os\n")
    Path("app.py").write_text("print('hi')\n")
    _code, out, _err = run(capsys, "check", "--offline", "--checks", "verify", "-f", "json")
    assert '"V403"' in out
    _code, report, _err = verify(capsys, "--offline")
    assert "V403" not in ids(report)
    _code, report, _err = verify(capsys, "--offline", "--installed")
    assert "V403" in ids(report)


def test_installed_without_an_environment_is_bad_input(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VIRTUAL_ENV", raising=False)
    Path("requirements.txt").write_text("demo==1.0\n")
    code, out, err = run(capsys, "verify", "--offline", "--installed")
    assert (code, out) == (2, "")
    assert "no environment to check" in err


def test_the_folder_limit_resolves_links_as_realpath_does(tmp_path: Path) -> None:
    from bastion.verify.record import _Limit

    root = tmp_path / "env"
    (root / "lib" / "pkg").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    (root / "lib" / "out").symlink_to(tmp_path / "elsewhere")
    (root / "lib" / "back").symlink_to(root / "lib" / "pkg")
    limit = _Limit(root.resolve())
    for folder, inside in (
        (root / "lib" / "pkg", True),
        (root / "lib" / "out", False),
        (root / "lib" / "out" / "deeper", False),
        (root / "lib" / "back", True),
        (tmp_path, False),
    ):
        assert limit._real(str(folder)) == os.path.realpath(folder)
        assert limit.holds_folder(str(folder / "file.py")) is inside, folder
