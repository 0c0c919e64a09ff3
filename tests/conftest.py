"""Shared fixtures. `shared_data` skips cleanly when ../shared/data is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture
def shared_data() -> Path:
    data = SHARED / "data"
    if not data.is_dir():
        pytest.skip("../shared/data is not present")
    return data


@pytest.fixture
def shared_bench() -> Path:
    bench = SHARED / "bench"
    if not bench.is_dir():
        pytest.skip("../shared/bench is not present")
    return bench


def _hypothesis_profiles() -> None:
    """CI gets a deterministic Hypothesis: derandomized, no deadline, no `too_slow` check.

    A fresh clone on a busy CI machine can be slow to generate examples; that says nothing
    about the code under test, so the health check is off there. Chosen when `CI` is set.
    """
    import os

    from hypothesis import HealthCheck, settings

    settings.register_profile(
        "ci",
        derandomize=True,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        print_blob=True,
    )
    if os.environ.get("CI"):
        settings.load_profile("ci")


_hypothesis_profiles()
