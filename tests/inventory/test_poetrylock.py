"""poetry.lock 1.x and 2.x: groups, markers, hashes, direct from the pyproject beside it."""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.version import Version

from bastion.errors import InputError
from bastion.findings import Diagnostic
from bastion.inventory.poetrylock import read_poetry_lock

LOCKS = Path(__file__).resolve().parents[1] / "fixtures" / "inventory" / "locks"


def h(char: str) -> str:
    return "sha256:" + char * 64


def test_lock_version_2() -> None:
    path = LOCKS / "poetry" / "poetry.lock"
    inventory = read_poetry_lock(path)
    assert inventory.sources == [str(path), str(path.parent / "pyproject.toml")]
    got = [
        (d.name, d.version, d.direct, d.groups, d.origin.line if d.origin else None)
        for d in inventory.dependencies
    ]
    assert got == [
        ("certifi", "2024.8.30", False, (), 4),
        ("colorama", "0.4.6", False, (), 16),  # main and dev: needed at run time
        ("iniconfig", "2.0.0", False, ("dev",), 28),
        ("mylib", "0.3.0", True, (), 39),
        ("pytest", "8.3.3", True, ("dev",), 55),
        ("requests", "2.31.0", True, (), 72),
    ]
    deps = {d.name: d for d in inventory.dependencies}
    assert deps["certifi"].hashes == (h("1"), h("2"))
    assert deps["colorama"].markers == (
        '(platform_system == "Windows") or (sys_platform == "win32")'
    )
    assert deps["pytest"].markers == 'python_version >= "3.9"'
    assert deps["mylib"].url == (
        "git+https://github.com/example/mylib.git@0123456789abcdef0123456789abcdef01234567"
    )
    assert deps["mylib"].hashes == ()


def test_lock_version_1_category_and_metadata_files() -> None:
    inventory = read_poetry_lock(LOCKS / "poetry1" / "poetry.lock")
    got = [(d.name, d.version, d.direct, d.groups, d.hashes) for d in inventory.dependencies]
    assert got == [
        ("asgiref", "3.4.1", False, (), (h("a"),)),
        ("django", "3.2", True, (), (h("b"), h("c"))),
        ("pytest", "6.2.0", True, ("dev",), ()),
    ]


def test_without_a_manifest_every_package_counts_as_direct(tmp_path: Path) -> None:
    lock = tmp_path / "poetry.lock"
    lock.write_text((LOCKS / "poetry" / "poetry.lock").read_text())
    inventory = read_poetry_lock(lock)
    assert inventory.sources == [str(lock)]
    assert all(d.direct for d in inventory.dependencies)


def test_broken_manifest_is_a_warning_not_a_failure(tmp_path: Path) -> None:
    lock = tmp_path / "poetry.lock"
    lock.write_text((LOCKS / "poetry" / "poetry.lock").read_text())
    (tmp_path / "pyproject.toml").write_text("[tool.poetry\n")
    diagnostics: list[Diagnostic] = []
    inventory = read_poetry_lock(lock, diagnostics)
    assert len(inventory.dependencies) == 6
    assert [str(d) for d in diagnostics] == [
        f"{tmp_path / 'pyproject.toml'}:1: cannot tell direct from transitive dependencies: "
        "not valid TOML: Expected ']' at the end of a table declaration"
    ]


def test_unknown_lock_version_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "poetry.lock"
    path.write_text('[[package]]\nname = "x"\nversion = "1"\n\n[metadata]\nlock-version = "3.0"\n')
    with pytest.raises(InputError, match=r"unsupported poetry.lock lock-version '3.0'") as caught:
        read_poetry_lock(path)
    assert caught.value.line == 6


def test_broken_toml_is_an_input_error_with_line() -> None:
    path = LOCKS / "broken" / "poetry.lock"
    with pytest.raises(InputError) as caught:
        read_poetry_lock(path)
    assert (caught.value.path, caught.value.line) == (str(path), 5)


def test_guarddog_lock(shared_data: Path) -> None:
    real = shared_data / "lockfiles" / "real-world"
    inventory = read_poetry_lock(
        real / "guarddog-poetry.lock", manifest=real / "guarddog-pyproject.toml"
    )
    deps = inventory.dependencies
    assert len(deps) == 67
    assert sum(d.direct for d in deps) == 26
    assert sum(1 for d in deps if d.groups == ("dev",)) == 38
    click = next(d for d in deps if d.name == "click")
    assert (click.version, click.direct, click.groups) == ("8.4.2", True, ())
    assert click.origin is not None and click.origin.line == 388
    contourpy = [d.version for d in deps if d.name == "contourpy"]
    assert contourpy == ["1.3.2", "1.3.3"]
    botocore = next(d for d in deps if d.name == "botocore")
    assert (botocore.direct, len(botocore.hashes)) == (False, 2)


def test_lockdemo_has_no_poetry_lock_but_pins_match_when_converted(shared_data: Path) -> None:
    """lockdemo was not locked by Poetry; its pyproject still names the same direct pins."""
    from bastion.inventory.pyproject import read_pyproject

    deps = read_pyproject(shared_data / "lockfiles" / "lockdemo" / "pyproject.toml").dependencies
    assert {d.name: Version(d.version or "0") for d in deps} == {
        "django": Version("3.2.0"),
        "requests": Version("2.25.1"),
        "pyyaml": Version("5.3.1"),
        "jinja2": Version("2.11.2"),
        "flask": Version("1.1.2"),
        "pytest": Version("6.2.0"),
    }
