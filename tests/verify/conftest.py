"""What the verify tests share: a project folder, a fake index, one verify run as JSON."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from support.cli import enter_empty_project, run
from support.fake_index import FakeFile, FakeIndex


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return enter_empty_project(tmp_path, monkeypatch)


@pytest.fixture
def index() -> Iterator[FakeIndex]:
    with FakeIndex() as running:
        running.add(
            "demo",
            [
                FakeFile("demo-1.0-py3-none-any.whl", b"demo wheel 1.0"),
                FakeFile("demo-1.0.tar.gz", b"demo sdist 1.0"),
                FakeFile("demo-1.1-py3-none-any.whl", b"demo wheel 1.1", yanked="broken build"),
                FakeFile("demo-1.2.tar.gz", b"demo sdist 1.2"),
            ],
        )
        running.add("other", [FakeFile("other-2.0-py3-none-any.whl", b"other wheel 2.0")])
        running.add(
            "old-thing",
            [FakeFile("old_thing-0.1.tar.gz", b"old thing")],
            status="archived",
            reason="no longer maintained",
        )
        yield running


def sha(content: bytes) -> str:
    return FakeFile("x", content).sha256


def verify(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any], str]:
    """`bastion verify ARGV --format json`: exit code, the report, standard error."""
    code, out, err = run(capsys, "verify", "--format", "json", *argv)
    return code, (json.loads(out) if out.strip() else {}), err


def ids(report: dict[str, Any]) -> list[str]:
    return sorted(f["id"] for f in report.get("findings", []))


def by_id(report: dict[str, Any], rule_id: str) -> list[dict[str, Any]]:
    return [f for f in report.get("findings", []) if f["id"] == rule_id]
