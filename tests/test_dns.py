"""`bastion.dns`: many simultaneous lookups of one name make one lookup."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from bastion import dns


@pytest.fixture(autouse=True)
def fresh_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dns, "_answers", {})
    monkeypatch.setattr(dns, "_locks", {})


def test_simultaneous_lookups_of_one_name_ask_the_system_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[tuple[Any, ...]] = []
    lock = threading.Lock()

    def slow_lookup(*question: Any) -> list[Any]:
        with lock:
            asked.append(question)
        time.sleep(0.05)
        return [("inet", question[0])]

    monkeypatch.setattr(dns, "_system", [slow_lookup])
    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(lambda _: dns.shared_lookup("pypi.org", 443), range(32)))
    assert answers == [[("inet", "pypi.org")]] * 32
    assert asked == [("pypi.org", 443, 0, 0, 0, 0)]
    dns.shared_lookup("files.pythonhosted.org", 443)
    assert len(asked) == 2  # another name is another lookup


def test_a_failed_lookup_is_not_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def failing(*question: Any) -> list[Any]:
        calls.append(question)
        if len(calls) == 1:
            raise OSError("temporary failure in name resolution")
        return [("inet", question[0])]

    monkeypatch.setattr(dns, "_system", [failing])
    with pytest.raises(OSError):
        dns.shared_lookup("pypi.org", 443)
    assert dns.shared_lookup("pypi.org", 443) == [("inet", "pypi.org")]
    assert len(calls) == 2
