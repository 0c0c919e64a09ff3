"""Shared fixtures. `shared_data` skips cleanly when ../shared/data is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(autouse=True)
def _offline_and_own_cache(
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Every test is offline (only loopback servers answer: a request elsewhere fails as an
    unreachable host would) and has its own empty cache folder, as on a fresh CI machine.
    Tests marked `network` keep both the network and the user's cache. pip's and uv's
    configuration is looked for in empty folders (bastion verify reads it)."""
    if request.node.get_closest_marker("network"):
        return
    import httpx

    real = httpx.HTTPTransport.handle_request

    def loopback_only(transport: httpx.HTTPTransport, req: httpx.Request) -> httpx.Response:
        if req.url.host not in ("127.0.0.1", "localhost", "::1"):
            raise httpx.ConnectError(f"tests are offline: {req.url.host} not asked", request=req)
        return real(transport, req)

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", loopback_only)
    monkeypatch.setenv("BASTION_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    # pip's and uv's user and XDG configuration of this machine are not the test's.
    config = tmp_path_factory.mktemp("config")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config / "home"))
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(config / "system"))
    for variable in ("PIP_CONFIG_FILE", "UV_CONFIG_FILE", "VIRTUAL_ENV"):
        monkeypatch.delenv(variable, raising=False)
    # The audit's staying-current advice asks the package index (PyPI by default): tests of
    # it are marked `outdated` and bring a fake index; every other audit test runs without.
    if not request.node.get_closest_marker("outdated"):
        from bastion.checks import audit

        monkeypatch.setattr(audit, "_staying_current", lambda ctx: [])


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
