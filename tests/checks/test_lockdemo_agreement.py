"""Every lock format of the same project gives the same findings for its direct pins.

Uses ../shared/data (the PyPA snapshot and the lockdemo project locked by uv, pip and pipenv);
skips when it is absent.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from packaging.version import Version

from bastion.cli import main

DIRECT = {
    "django": "3.2.0",
    "requests": "2.25.1",
    "pyyaml": "5.3.1",
    "jinja2": "2.11.2",
    "flask": "1.1.2",
}
FORMATS = [
    ("--lock", "uv.lock"),
    ("-r", "requirements.txt"),
    ("--lock", "pylock.uv.toml"),
    ("--lock", "pylock.pip.toml"),
    ("--lock", "Pipfile.lock"),
    ("-r", "requirements.in"),
    ("--lock", "pyproject.toml"),
]


@pytest.fixture(scope="module")
def advisory_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    shared = Path(__file__).resolve().parents[3] / "shared" / "data"
    if not shared.is_dir():
        pytest.skip("../shared/data is not present")
    cache = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BASTION_CACHE_DIR", str(cache))
        assert main(["db", "import", str(shared / "pypa-advisory-database" / "vulns")]) == 0
    return cache


def audit(flag: str, path: Path, out: Path) -> dict[str, object]:
    code = main(
        [
            "audit",
            str(path.parent),
            flag,
            str(path),
            "--format",
            "json",
            "-o",
            str(out),
            "--offline",
        ]
    )
    assert code == 1
    report: dict[str, object] = json.loads(out.read_text())
    return report


def direct_pairs(report: dict[str, object]) -> set[tuple[str, str]]:
    """(package, advisory) for the direct pins (uv writes 3.2 where pip writes 3.2.0)."""
    pairs = set()
    for finding in report["findings"]:  # type: ignore[attr-defined]
        package = finding["package"]
        pinned = DIRECT.get(package["name"])
        if pinned and Version(pinned) == Version(package["version"]):
            pairs.add((package["name"], finding["id"]))
    return pairs


def test_every_lock_format_gives_the_same_direct_findings(
    advisory_cache: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("BASTION_CACHE_DIR", str(advisory_cache))
    lockdemo = Path(__file__).resolve().parents[3] / "shared" / "data" / "lockfiles" / "lockdemo"
    results = {}
    for flag, name in FORMATS:
        results[name] = direct_pairs(audit(flag, lockdemo / name, tmp_path / f"{name}.json"))
    capsys.readouterr()
    reference = results["uv.lock"]
    assert {name for name, _id in reference} == set(DIRECT)
    assert len(reference) == 29
    for name, pairs in results.items():
        assert pairs == reference, name
