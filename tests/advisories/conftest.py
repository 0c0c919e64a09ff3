"""Fixtures for the advisory tests: a database built from the hand-written records."""

from __future__ import annotations

from pathlib import Path

import pytest

from bastion.advisories.importer import ImportResult, import_path
from bastion.findings import Diagnostic

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "advisories"


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache dir that bastion uses instead of the user's."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("BASTION_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def fixture_db(cache_dir: Path) -> ImportResult:
    """The store filled from tests/fixtures/advisories/records."""
    diagnostics: list[Diagnostic] = []
    return import_path(FIXTURES / "records", diagnostics)
