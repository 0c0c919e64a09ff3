"""Choosing what is audited: requirements on standard input, groups, dev, direct only."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from support.cli import enter_empty_project, run

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "advisories" / "records"

PYPROJECT = """\
[project]
name = "app"
dependencies = ["demo==2.0.1"]

[project.optional-dependencies]
socks = ["evil-pkg==0.0.1"]

[dependency-groups]
dev = ["requests==2.31.0", "demo==2.0.1"]
lint = ["other-pkg==1.0"]
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from bastion.advisories.importer import import_path

    folder = enter_empty_project(tmp_path, monkeypatch)
    import_path(FIXTURES, [])
    (folder / "pyproject.toml").write_text(PYPROJECT)
    return folder


def audited(capsys: pytest.CaptureFixture[str], *flags: str) -> tuple[list[str], dict[str, object]]:
    _code, out, _err = run(capsys, "audit", "--offline", "-f", "json", *flags)
    data = json.loads(out)
    return sorted(f["id"] for f in data["findings"]), data


def test_requirements_from_standard_input(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("demo==2.0.1\n"))
    ids, data = audited(capsys, "-r", "-")
    assert ids == ["GHSA-aaaa-bbbb-cccc"]
    assert data["inputs"] == ["<stdin>"]
    monkeypatch.setattr("sys.stdin", io.StringIO("demo=2.0\n"))
    code, _out, err = run(capsys, "audit", "-r", "-")
    assert code == 2
    assert err.startswith("bastion: error: <stdin>:1: invalid requirement 'demo=2.0'")


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ((), ["GHSA-aaaa-bbbb-cccc", "MAL-2099-1"]),
        (("--group", "main"), ["GHSA-aaaa-bbbb-cccc"]),
        (("--extra", "socks"), ["MAL-2099-1"]),
        (("--group", "lint"), []),
        (("--no-dev",), ["GHSA-aaaa-bbbb-cccc", "MAL-2099-1"]),  # demo is main too
        (("--only-dev",), ["GHSA-aaaa-bbbb-cccc"]),
    ],
)
def test_groups_choose_what_is_audited(
    project: Path, capsys: pytest.CaptureFixture[str], flags: tuple[str, ...], expected: list[str]
) -> None:
    ids, data = audited(capsys, *flags)
    assert ids == expected
    if flags:
        assert any(
            s.startswith("audit: ") and "dependencies chosen" in s for s in data["data_status"]
        )  # type: ignore[union-attr]


def test_no_dev_leaves_out_what_only_dev_needs(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _ids, everything = audited(capsys)
    _ids, production = audited(capsys, "--no-dev")
    assert everything["summary"]["stats"]["dependencies"] == 4  # type: ignore[index]
    assert production["summary"]["stats"]["dependencies"] == 3  # type: ignore[index]  # requests out


def test_direct_only_leaves_out_transitive_dependencies(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "requirements.txt").write_text("demo==2.0.1\n")
    (project / "pyproject.toml").unlink()
    wheel = (
        '[[packages.wheels]]\nurl = "https://x/{0}-py3-none-any.whl"\nhashes = {{sha256 = "{1}"}}\n'
    )
    (project / "pylock.toml").write_text(
        'lock-version = "1.0"\ncreated-by = "test"\n\n[[packages]]\nname = "demo"\n'
        'version = "2.0.1"\n' + wheel.format("demo-2.0.1", "a" * 64) + "\n[[packages]]\n"
        'name = "evil-pkg"\nversion = "0.0.1"\n' + wheel.format("evil_pkg-0.0.1", "b" * 64)
    )
    (project / "requirements.in").write_text("demo\n")
    assert audited(capsys)[0] == ["GHSA-aaaa-bbbb-cccc", "MAL-2099-1"]
    assert audited(capsys, "--direct-only")[0] == ["GHSA-aaaa-bbbb-cccc"]
