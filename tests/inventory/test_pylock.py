"""PEP 751 pylock.toml through packaging.pylock: lines, hashes, groups, direct, errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.version import Version

from bastion.errors import InputError
from bastion.findings import Diagnostic
from bastion.inventory.pylock import is_pylock_name, read_pylock

LOCKS = Path(__file__).resolve().parents[1] / "fixtures" / "inventory" / "locks"
LOCKDEMO_DIRECT = {
    "django": Version("3.2.0"),
    "requests": Version("2.25.1"),
    "pyyaml": Version("5.3.1"),
    "jinja2": Version("2.11.2"),
    "flask": Version("1.1.2"),
}


def h(char: str) -> str:
    return "sha256:" + char * 64


def test_packages_lines_hashes_groups_and_direct() -> None:
    path = LOCKS / "pylock" / "pylock.toml"
    inventory = read_pylock(path)
    assert inventory.sources == [str(path), str(path.parent / "pyproject.toml")]
    got = [
        (d.name, d.version, d.direct, d.groups, d.origin.line if d.origin else None)
        for d in inventory.dependencies
    ]
    assert got == [
        ("certifi", "2024.8.30", False, (), 8),
        ("mylib", "0.3.0", False, (), 14),
        ("pytest", "8.3.3", True, ("test",), 24),  # group from the manifest
        ("requests", "2.31.0", True, (), 31),
        ("sphinx", "7.4.7", False, ("docs",), 43),  # group from the marker
    ]
    deps = {d.name: d for d in inventory.dependencies}
    assert deps["pytest"].hashes == (h("3"), "blake2b:abcd", h("2"))
    assert deps["requests"].hashes == (h("4"),)
    assert deps["sphinx"].hashes == (h("5"),)
    assert deps["sphinx"].url == "https://files.example/sphinx-7.4.7.tar.gz"
    assert deps["sphinx"].markers == '"docs" in dependency_groups'
    assert deps["mylib"].url == (
        "git+https://github.com/example/mylib.git@0123456789abcdef0123456789abcdef01234567"
    )


def test_unsupported_lock_version_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "pylock.toml"
    path.write_text('created-by = "x"\nlock-version = "2.0"\npackages = []\n')
    with pytest.raises(InputError, match=r"unsupported pylock lock-version '2\.0'") as caught:
        read_pylock(path)
    assert (caught.value.path, caught.value.line) == (str(path), 2)


def test_newer_minor_version_is_a_diagnostic_not_a_log_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "pylock.toml"
    path.write_text('lock-version = "1.1"\ncreated-by = "x"\npackages = []\n')
    diagnostics: list[Diagnostic] = []
    assert read_pylock(path, diagnostics).dependencies == []
    assert [str(d) for d in diagnostics] == [f"{path}:1: pylock minor version 1.1 is not supported"]
    assert capsys.readouterr().err == ""


def test_validation_error_names_the_package_line(tmp_path: Path) -> None:
    path = tmp_path / "pylock.toml"
    path.write_text(
        'lock-version = "1.0"\ncreated-by = "x"\n\n[[packages]]\nname = "ok"\nversion = "1"\n'
        'directory = { path = "." }\n\n[[packages]]\nname = "Not_Normalized"\nversion = "1"\n'
        'directory = { path = "." }\n'
    )
    with pytest.raises(
        InputError, match="not a valid pylock file: Name 'Not_Normalized'"
    ) as caught:
        read_pylock(path)
    assert caught.value.line == 10


def test_broken_toml_is_an_input_error_with_line() -> None:
    path = LOCKS / "broken" / "pylock.toml"
    with pytest.raises(InputError) as caught:
        read_pylock(path)
    assert (caught.value.path, caught.value.line) == (str(path), 7)


def test_pylock_names() -> None:
    assert is_pylock_name(Path("pylock.toml"))
    assert is_pylock_name(Path("pylock.dev.toml"))
    assert not is_pylock_name(Path("pylock.a.b.toml"))
    assert not is_pylock_name(Path("poetry.lock"))


def test_lockdemo_uv_export(shared_data: Path) -> None:
    deps = read_pylock(shared_data / "lockfiles" / "lockdemo" / "pylock.uv.toml").dependencies
    direct = {d.name: (Version(d.version or "0"), d.groups) for d in deps if d.direct}
    assert direct == {
        **{name: (version, ()) for name, version in LOCKDEMO_DIRECT.items()},
        "pytest": (Version("6.2.0"), ("dev",)),
    }
    assert len(deps) == 25
    atomicwrites = next(d for d in deps if d.name == "atomicwrites")
    assert (atomicwrites.markers, atomicwrites.direct) == ('sys_platform == "win32"', False)


def test_lockdemo_pip_lock(shared_data: Path) -> None:
    """pip lock has no dev group: the five main pins only."""
    deps = read_pylock(shared_data / "lockfiles" / "lockdemo" / "pylock.pip.toml").dependencies
    direct = {d.name: Version(d.version or "0") for d in deps if d.direct}
    assert direct == LOCKDEMO_DIRECT
    assert len(deps) == 16
    pyyaml = next(d for d in deps if d.name == "pyyaml")
    assert pyyaml.origin is not None and pyyaml.origin.line == 126
    assert len(pyyaml.hashes) == 1
