"""`bastion audit` runs without the cyclic garbage collector and gives it back as it was."""

from __future__ import annotations

import argparse
import gc
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from bastion.cli import main
from bastion.commands import audit
from bastion.errors import InputError


@pytest.fixture
def collector_state() -> Iterator[None]:
    """Whatever a test does to the collector, the next test finds it enabled."""
    yield
    gc.enable()


def _record_collector(monkeypatch: pytest.MonkeyPatch, outcome: int | Exception) -> list[bool]:
    seen: list[bool] = []

    def execute(command: str, checks: Sequence[str], args: argparse.Namespace) -> int:
        seen.append(gc.isenabled())
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    monkeypatch.setattr(audit, "execute", execute)
    return seen


def test_the_audit_runs_with_the_collector_paused_then_restores_it(
    monkeypatch: pytest.MonkeyPatch, collector_state: None
) -> None:
    seen = _record_collector(monkeypatch, 1)
    assert gc.isenabled()
    assert main(["audit", "-r", "requirements.txt"]) == 1
    assert seen == [False]
    assert gc.isenabled()


def test_the_collector_is_restored_when_the_audit_fails(
    monkeypatch: pytest.MonkeyPatch, collector_state: None, capsys: pytest.CaptureFixture[str]
) -> None:
    seen = _record_collector(monkeypatch, InputError("cannot read", Path("r.txt")))
    assert main(["audit", "-r", "r.txt"]) == 2
    assert seen == [False]
    assert gc.isenabled()
    assert capsys.readouterr().err == "bastion: error: r.txt: cannot read\n"


def test_a_collector_disabled_before_stays_disabled(
    monkeypatch: pytest.MonkeyPatch, collector_state: None
) -> None:
    seen = _record_collector(monkeypatch, 0)
    gc.disable()
    assert main(["audit", "-r", "requirements.txt"]) == 0
    assert seen == [False]
    assert not gc.isenabled()
