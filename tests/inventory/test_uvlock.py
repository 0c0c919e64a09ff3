"""uv.lock: roots, direct/transitive, groups through the graph, forks, hashes, errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.version import Version

from bastion.errors import InputError
from bastion.inventory.model import Dependency
from bastion.inventory.uvlock import read_uv_lock

LOCKS = Path(__file__).resolve().parents[1] / "fixtures" / "inventory" / "locks"


def h(char: str) -> str:
    return "sha256:" + char * 64


def rows(deps: list[Dependency]) -> list[tuple[str, str | None, bool, tuple[str, ...]]]:
    return [(d.name, d.version, d.direct, d.groups) for d in deps]


def test_every_package_but_the_root_with_direct_and_groups() -> None:
    path = LOCKS / "uv" / "uv.lock"
    inventory = read_uv_lock(path)
    assert inventory.sources == [str(path)]
    assert rows(inventory.dependencies) == [
        ("certifi", "2024.8.30", False, ()),
        ("iniconfig", "2.0.0", False, ("dev",)),
        ("mylib", "0.3.0", True, ()),
        ("numpy", "1.26.4", True, ()),
        ("numpy", "2.1.0", True, ()),
        ("orjson", "3.10.7", True, ("fast",)),
        ("pysocks", "1.7.1", False, ()),  # reached through requests[socks]
        ("pytest", "8.3.3", True, ("dev",)),
        ("requests", "2.31.0", True, ()),
        ("urllib3", "1.26.18", False, ()),
    ]


def test_lines_hashes_markers_extras_and_sources() -> None:
    path = LOCKS / "uv" / "uv.lock"
    deps = read_uv_lock(path).dependencies
    lines = [d.origin.line if d.origin else None for d in deps]
    assert lines == [10, 48, 56, 61, 70, 79, 85, 91, 100, 115]
    assert all(d.origin is not None and d.origin.path == str(path) for d in deps)
    certifi, _, mylib, numpy_old, numpy_new, *_ = deps
    assert certifi.hashes == (h("1"), h("2"))
    assert mylib.hashes == ()
    assert mylib.url == (
        "git+https://github.com/example/mylib?rev=v0.3.0#0123456789abcdef0123456789abcdef01234567"
    )
    assert numpy_old.markers == "python_full_version < '3.10'"
    assert numpy_new.markers == "python_full_version >= '3.10'"
    requests = next(d for d in deps if d.name == "requests")
    assert requests.extras == ("socks",)
    assert requests.hashes == (h("9"),)
    assert requests.pinned


def test_without_a_root_every_package_counts_as_direct(tmp_path: Path) -> None:
    path = tmp_path / "uv.lock"
    path.write_text(
        'version = 1\n\n[[package]]\nname = "six"\nversion = "1.16.0"\n'
        'source = { registry = "https://pypi.org/simple" }\n'
    )
    assert rows(read_uv_lock(path).dependencies) == [("six", "1.16.0", True, ())]


def test_workspace_members_are_roots(tmp_path: Path) -> None:
    path = tmp_path / "uv.lock"
    path.write_text(
        'version = 1\nrevision = 2\n\n[manifest]\nmembers = ["app", "lib"]\n\n'
        '[[package]]\nname = "app"\nversion = "0.1.0"\nsource = { virtual = "." }\n'
        'dependencies = [{ name = "lib" }]\n\n'
        '[[package]]\nname = "lib"\nversion = "0.1.0"\nsource = { editable = "packages/lib" }\n'
        'dependencies = [{ name = "six" }]\n\n'
        '[[package]]\nname = "six"\nversion = "1.16.0"\n'
        'source = { registry = "https://pypi.org/simple" }\n'
    )
    assert rows(read_uv_lock(path).dependencies) == [("six", "1.16.0", True, ())]


def test_unknown_lock_version_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "uv.lock"
    path.write_text(
        '# written by a future uv\nversion = 2\nrevision = 1\n\n[[package]]\nname = "x"\n'
    )
    with pytest.raises(InputError, match=r"unsupported uv.lock version 2") as caught:
        read_uv_lock(path)
    assert (caught.value.path, caught.value.line) == (str(path), 2)


def test_broken_toml_is_an_input_error_with_line() -> None:
    path = LOCKS / "broken" / "uv.lock"
    with pytest.raises(InputError) as caught:
        read_uv_lock(path)
    assert (caught.value.path, caught.value.line) == (str(path), 6)


def test_lockdemo_direct_pins(shared_data: Path) -> None:
    deps = read_uv_lock(shared_data / "lockfiles" / "lockdemo" / "uv.lock").dependencies
    direct = {d.name: (Version(d.version or "0"), d.groups) for d in deps if d.direct}
    assert direct == {
        "django": (Version("3.2.0"), ()),
        "requests": (Version("2.25.1"), ()),
        "pyyaml": (Version("5.3.1"), ()),
        "jinja2": (Version("2.11.2"), ()),
        "flask": (Version("1.1.2"), ()),
        "pytest": (Version("6.2.0"), ("dev",)),
    }
    assert len(deps) == 25
    iniconfig = next(d for d in deps if d.name == "iniconfig")
    assert (iniconfig.direct, iniconfig.groups) == (False, ("dev",))


def test_real_world_locks_parse(shared_data: Path) -> None:
    real = shared_data / "lockfiles" / "real-world"
    guarddog = read_uv_lock(real / "guarddog-uv.lock").dependencies
    assert len(guarddog) == 28
    assert sum(d.direct for d in guarddog) == 17
    pygit2 = next(d for d in guarddog if d.name == "pygit2")
    assert (pygit2.version, pygit2.direct, len(pygit2.hashes)) == ("1.18.2", True, 37)
    assert pygit2.origin is not None and pygit2.origin.line == 390
    bench = read_uv_lock(real / "uv-benchmark-uv.lock").dependencies
    assert len(bench) == 76
    assert sorted(d.name for d in bench if d.direct) == [
        "pdm",
        "pip-tools",
        "pipx",
        "poetry",
        "tomli",
        "tomli-w",
        "virtualenv",
    ]
    assert all(d.version is not None and d.hashes for d in bench)
