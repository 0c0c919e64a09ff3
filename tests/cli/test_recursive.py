"""`bastion check --recursive`: every project of a monorepo, each with its own input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support.cli import enter_empty_project, run

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "advisories" / "records"


@pytest.fixture
def monorepo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from bastion.advisories.importer import import_path

    root = enter_empty_project(tmp_path, monkeypatch)
    import_path(FIXTURES, [])
    (root / "services" / "api").mkdir(parents=True)
    (root / "services" / "api" / "requirements.txt").write_text("demo==2.0.1\n")
    (root / "services" / "worker").mkdir()
    (root / "services" / "worker" / "pyproject.toml").write_text(
        '[project]\nname = "worker"\ndependencies = ["evil-pkg==0.0.1"]\n'
    )
    (root / "services" / "worker" / "requirements.in").write_text("other\n")  # not chosen
    (root / ".venv").mkdir()
    (root / ".venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (root / "node_modules" / "x").mkdir(parents=True)
    (root / "node_modules" / "x" / "requirements.txt").write_text("demo==1.1\n")
    return root


def test_every_project_is_audited_with_its_own_input(
    monorepo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = run(capsys, "audit", "--recursive", "--offline", "-f", "json")
    assert code == 1
    data = json.loads(out)
    assert data["inputs"] == [
        str(Path("services/api/requirements.txt")),
        str(Path("services/worker/pyproject.toml")),
    ]  # not node_modules, not the venv
    assert sorted(f["id"] for f in data["findings"]) == ["GHSA-aaaa-bbbb-cccc", "MAL-2099-1"]
    code, out, _err = run(capsys, "audit", "--recursive", "--offline")
    assert "== project services/api: 1 finding" in out
    assert "== project services/worker: 1 finding" in out


def test_without_recursive_the_root_has_nothing(
    monorepo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(capsys, "audit", "--offline")
    assert code == 2
    assert "no dependency inputs found" in err
