"""`-e .` audits what the local project declares; git and URL sources are named, not hidden."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support.cli import enter_empty_project, run

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "advisories" / "records"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from bastion.advisories.importer import import_path

    folder = enter_empty_project(tmp_path, monkeypatch)
    import_path(FIXTURES, [])
    return folder


def report(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, object]]:
    code, out, _err = run(capsys, "audit", "--offline", "-f", "json", *argv)
    return code, json.loads(out)


def messages(data: dict[str, object]) -> list[str]:
    return [d["message"] for d in data["diagnostics"]]  # type: ignore[index, union-attr]


def test_an_editable_project_is_audited_through_what_it_declares(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "lib").mkdir()
    (project / "lib" / "pyproject.toml").write_text(
        '[project]\nname = "mylib"\nversion = "0.1"\n'
        'dependencies = ["demo==2.0.1", "requests>=2"]\n'
        '[project.optional-dependencies]\nevil = ["evil-pkg==0.0.1"]\nother = ["x==1"]\n'
    )
    (project / "requirements.txt").write_text("-e ./lib[evil]\n")
    code, data = report(capsys)
    assert code == 1
    found = sorted(f["id"] for f in data["findings"])  # type: ignore[union-attr, index]
    assert found == ["GHSA-aaaa-bbbb-cccc", "MAL-2099-1"]  # demo and the evil extra, not x
    said = messages(data)
    assert any(m.startswith("mylib is a local project (./lib)") for m in said)
    assert not any(m.startswith("mylib: not pinned") for m in said)
    assert any(m.startswith("requests: not pinned (>=2)") for m in said)
    origin = data["findings"][0]["package"]["declared_at"]  # type: ignore[index]
    assert origin["path"].endswith("lib/pyproject.toml") and origin["line"] == 4


def test_setup_cfg_install_requires_are_read_statically(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "setup.cfg").write_text(
        "[metadata]\nname = oldlib\n\n[options]\ninstall_requires =\n    demo==2.0.1\n"
    )
    (project / "setup.py").write_text("raise SystemExit('never run')\n")
    (project / "requirements.txt").write_text("-e .\n")
    code, data = report(capsys)
    assert code == 1
    assert [f["id"] for f in data["findings"]] == ["GHSA-aaaa-bbbb-cccc"]  # type: ignore[union-attr, index]


def test_dynamic_dependencies_are_said_to_be_unknown(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "pyproject.toml").write_text(
        '[project]\nname = "dyn"\nversion = "1"\ndynamic = ["dependencies"]\n'
    )
    (project / "requirements.txt").write_text("-e .\n")
    _code, data = report(capsys, "-r", "requirements.txt")
    assert any("dependencies are dynamic" in m for m in messages(data))


def test_a_git_source_in_a_lock_is_named(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "poetry.lock").write_text(
        '[[package]]\nname = "demo"\nversion = "2.0.1"\n\n[package.source]\ntype = "git"\n'
        'url = "https://github.com/example/demo.git"\nreference = "main"\n'
        'resolved_reference = "abc123"\n\n[metadata]\nlock-version = "2.0"\n'
    )
    code, data = report(capsys)
    assert code == 1
    assert (
        "demo 2.0.1 comes from git+https://github.com/example/demo.git@abc123, not the package "
        "index: audited as the release 2.0.1, whose code it may not be"
    ) in messages(data)


def test_a_file_on_pypis_file_host_is_the_release(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "requirements.txt").write_text(
        "demo @ https://files.pythonhosted.org/packages/aa/demo-2.0.1-py3-none-any.whl\n"
    )
    _code, data = report(capsys)
    assert not any("not the package index" in m for m in messages(data))
