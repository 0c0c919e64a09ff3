"""lockdemo (shared data): every format the project was locked in gives the same direct pins."""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.version import Version

from bastion.config import Settings
from bastion.findings import Diagnostic
from bastion.inventory.discover import load_inventory

MAIN = {
    "django": Version("3.2.0"),
    "requests": Version("2.25.1"),
    "pyyaml": Version("5.3.1"),
    "jinja2": Version("2.11.2"),
    "flask": Version("1.1.2"),
}
WITH_DEV = {name: (version, ()) for name, version in MAIN.items()} | {
    "pytest": (Version("6.2.0"), ("dev",))
}


def direct_pins(path: Path) -> dict[str, tuple[Version, tuple[str, ...]]]:
    inventory = load_inventory(path, Settings(), [])
    return {
        d.name: (Version(d.version), d.groups)
        for d in inventory.dependencies
        if d.direct and d.version is not None
    }


@pytest.mark.parametrize(
    "name", ["uv.lock", "pylock.uv.toml", "Pipfile.lock", "pyproject.toml", "Pipfile"]
)
def test_formats_with_a_dev_group(shared_data: Path, name: str) -> None:
    assert direct_pins(shared_data / "lockfiles" / "lockdemo" / name) == WITH_DEV


@pytest.mark.parametrize("name", ["pylock.pip.toml", "requirements.in"])
def test_formats_without_a_dev_group(shared_data: Path, name: str) -> None:
    pins = direct_pins(shared_data / "lockfiles" / "lockdemo" / name)
    assert {n: v for n, (v, _groups) in pins.items()} == MAIN


def test_exported_requirements_hold_the_same_pins(shared_data: Path) -> None:
    """A requirements file cannot tell direct from transitive: the pins must all be there."""
    inventory = load_inventory(
        shared_data / "lockfiles" / "lockdemo" / "requirements.txt", Settings(), []
    )
    pins = {d.name: Version(d.version) for d in inventory.dependencies if d.version is not None}
    assert {n: pins.get(n) for n in [*MAIN, "pytest"]} == {**MAIN, "pytest": Version("6.2.0")}
    assert all(d.hashes for d in inventory.dependencies)


def test_the_directory_reads_uv_lock(shared_data: Path) -> None:
    directory = shared_data / "lockfiles" / "lockdemo"
    diagnostics: list[Diagnostic] = []
    inventory = load_inventory(directory, Settings(), diagnostics)
    assert inventory.sources == [str(directory / "uv.lock")]
    assert [d.message for d in diagnostics] == [
        "reading uv.lock (a lock is authoritative over its manifest); also found "
        "pylock.pip.toml, pylock.uv.toml, Pipfile.lock, requirements.txt, "
        "Pipfile, requirements.in, not read: name one with --lock FILE or -r FILE to read it "
        "instead"
    ]
