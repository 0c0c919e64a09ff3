"""Publish tests run without zizmor unless a test brings its own (zizmor's results would
change with its version); one test runs the real one when it is installed."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def no_zizmor(monkeypatch: pytest.MonkeyPatch) -> None:
    from bastion.publish import zizmor

    monkeypatch.setattr(zizmor, "executable", lambda: None)
