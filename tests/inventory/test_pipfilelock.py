"""Pipfile.lock and Pipfile: sections as groups, pins, hashes, markers, direct from Pipfile."""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.version import Version

from bastion.errors import InputError
from bastion.inventory.pipfilelock import read_pipfile, read_pipfile_lock

LOCKS = Path(__file__).resolve().parents[1] / "fixtures" / "inventory" / "locks"


def h(char: str) -> str:
    return "sha256:" + char * 64


def test_lock_sections_pins_and_direct() -> None:
    path = LOCKS / "pipenv" / "Pipfile.lock"
    inventory = read_pipfile_lock(path)
    assert inventory.sources == [str(path), str(path.parent / "Pipfile")]
    got = [
        (d.name, d.version, d.direct, d.groups, d.origin.line if d.origin else None)
        for d in inventory.dependencies
    ]
    assert got == [
        ("certifi", "2024.8.30", False, (), 19),
        ("mylib", None, True, (), 27),
        ("packaging", "24.1", False, (), 31),  # in default and develop: one dependency
        ("requests", "2.31.0", True, (), 37),
        ("pytest", "8.3.3", True, ("dev",), 56),
        ("sphinx", "7.4.7", True, ("docs",), 65),
    ]
    deps = {d.name: d for d in inventory.dependencies}
    assert deps["certifi"].hashes == (h("1"), h("2"))
    # in packaging's canonical form, as every reader writes markers (see inventory.pep508)
    assert deps["certifi"].markers == 'python_version >= "3.6"'
    assert deps["requests"].extras == ("socks",)
    assert deps["requests"].specifier == "==2.31.0"
    assert deps["mylib"].url == (
        "git+https://github.com/example/mylib.git@0123456789abcdef0123456789abcdef01234567"
    )


def test_pipfile_alone() -> None:
    path = LOCKS / "pipenv" / "Pipfile"
    deps = read_pipfile(path).dependencies
    got = [
        (d.name, d.version, d.specifier, d.groups, d.origin.line if d.origin else None)
        for d in deps
    ]
    assert got == [
        ("requests", "2.31.0", "==2.31.0", (), 7),
        ("mylib", None, "", (), 8),
        ("pytest", None, "", ("dev",), 11),
        ("sphinx", None, ">=7", ("docs",), 14),
    ]
    assert deps[0].extras == ("socks",)
    assert deps[1].url == "git+https://github.com/example/mylib.git@v0.3.0"


def test_pipfile_marker_keys_become_markers(tmp_path: Path) -> None:
    path = tmp_path / "Pipfile"
    path.write_text(
        '[packages]\npywin32 = {version = "==306", sys_platform = "== \'win32\'", '
        "markers = \"python_version >= '3.8'\"}\n"
    )
    (dep,) = read_pipfile(path).dependencies
    assert dep.markers == 'python_version >= "3.8" and sys_platform == "win32"'


def test_invalid_pipfile_specifier_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "Pipfile"
    path.write_text('[packages]\nok = "*"\nbad = "=>1.0"\n')
    with pytest.raises(InputError, match=r"bad: '=>1\.0' is not a version specifier") as caught:
        read_pipfile(path)
    assert caught.value.line == 3


def test_broken_json_is_an_input_error_with_line() -> None:
    path = LOCKS / "broken" / "Pipfile.lock"
    with pytest.raises(InputError) as caught:
        read_pipfile_lock(path)
    assert (caught.value.path, caught.value.line) == (str(path), 8)
    assert caught.value.reason.startswith("not valid JSON: ")


def test_unknown_pipfile_spec_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "Pipfile.lock"
    path.write_text('{\n  "_meta": {\n    "pipfile-spec": 7\n  },\n  "default": {}\n}\n')
    with pytest.raises(InputError, match="unsupported pipfile-spec 7") as caught:
        read_pipfile_lock(path)
    assert caught.value.line == 3


def test_json_without_meta_is_not_a_pipfile_lock(tmp_path: Path) -> None:
    path = tmp_path / "Pipfile.lock"
    path.write_text("[]\n")
    with pytest.raises(InputError, match="no _meta section"):
        read_pipfile_lock(path)


def test_lockdemo_direct_pins(shared_data: Path) -> None:
    deps = read_pipfile_lock(shared_data / "lockfiles" / "lockdemo" / "Pipfile.lock").dependencies
    direct = {d.name: (Version(d.version or "0"), d.groups) for d in deps if d.direct}
    assert direct == {
        "django": (Version("3.2.0"), ()),
        "requests": (Version("2.25.1"), ()),
        "pyyaml": (Version("5.3.1"), ()),
        "jinja2": (Version("2.11.2"), ()),
        "flask": (Version("1.1.2"), ()),
        "pytest": (Version("6.2.0"), ("dev",)),
    }
    assert len(deps) == 23
    assert all(d.hashes for d in deps)
