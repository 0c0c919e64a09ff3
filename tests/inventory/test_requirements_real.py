"""Real requirements files written by pip-compile and uv (from ../shared): concrete facts."""

from __future__ import annotations

from pathlib import Path

import pytest

from bastion.findings import Diagnostic, Location
from bastion.inventory.model import Dependency
from bastion.inventory.requirements import read_requirements


def read(path: Path) -> tuple[list[Dependency], list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    return read_requirements(path, diagnostics).dependencies, diagnostics


def test_uv_export_of_lockdemo(shared_data: Path) -> None:
    path = shared_data / "lockfiles" / "lockdemo" / "requirements.txt"
    deps, diagnostics = read(path)
    assert (len(deps), diagnostics) == (25, [])
    assert all(d.pinned and d.hashes for d in deps)
    # uv's `# via` comments: what the project names itself (`# via lockdemo`) is direct
    direct = sorted(d.name for d in deps if d.direct)
    assert direct == ["django", "flask", "jinja2", "pytest", "pyyaml", "requests"]
    assert {d.name: d.via for d in deps}["markupsafe"] == ("jinja2", "werkzeug")
    assert sum(len(d.hashes) for d in deps) == 166
    by_name = {d.name: d for d in deps}
    assert by_name["django"] == Dependency(
        name="django",
        version="3.2",
        origin=Location(str(path), 29),
        specifier="==3.2",
        hashes=(
            "sha256:0604e84c4fb698a5e53e5857b5aea945b2f19a18f25f10b8748dbdf935788927",
            "sha256:21f0f9643722675976004eb683c55d33c05486f94506672df3d6a141546f389d",
        ),
    )
    assert by_name["atomicwrites"].markers == 'sys_platform == "win32"'
    assert by_name["atomicwrites"].origin == Location(str(path), 7)
    direct_pins = {n: by_name[n].version for n in ("requests", "pyyaml", "jinja2", "flask")}
    assert direct_pins == {
        "requests": "2.25.1",
        "pyyaml": "5.3.1",
        "jinja2": "2.11.2",
        "flask": "1.1.2",
    }


COMPILED = {
    # file: (dependencies, hashes, first (name, version, line), last (name, version, line))
    "warehouse-dev.txt": (27, 208, ("asyncudp", "0.11.0", 7), ("setuptools", "81.0.0", 279)),
    "warehouse-lint.txt": (56, 861, ("ast-grep-cli", "0.44.0", 7), ("zope-schema", "8.1", 997)),
    "warehouse-tests.txt": (48, 417, ("asttokens", "3.0.2", 7), ("webtest", "3.0.7", 533)),
}


@pytest.mark.parametrize("name", sorted(COMPILED))
def test_pip_compile_outputs(shared_data: Path, name: str) -> None:
    count, hashes, first, last = COMPILED[name]
    deps, diagnostics = read(shared_data / "real-requirements" / name)
    assert (len(deps), diagnostics) == (count, [])
    assert sum(len(d.hashes) for d in deps) == hashes
    assert all(d.version is not None and d.specifier == f"=={d.version}" for d in deps)
    ends = [deps[0], deps[-1]]
    assert [(d.name, d.version, d.origin.line if d.origin else None) for d in ends] == [
        first,
        last,
    ]


def test_unsafe_section_of_pip_compile_is_read(shared_data: Path) -> None:
    deps, _ = read(shared_data / "real-requirements" / "warehouse-dev.txt")
    pip = next(d for d in deps if d.name == "pip")
    assert (pip.version, pip.origin.line if pip.origin else None) == ("26.1.2", 273)
    assert pip.hashes == (
        "sha256:382ff9f685ee3bc25864f820aa50505825f10f5458ffff07e30a6d96e5715cab",
        "sha256:f49cd134c61cf2fd75e0ce2676db03e4054504a5a4986d00f8299ae632dc4605",
    )


def test_pyyaml_hash_list_spans_many_continuation_lines(shared_data: Path) -> None:
    deps, _ = read(shared_data / "real-requirements" / "warehouse-lint.txt")
    pyyaml = next(d for d in deps if d.name == "pyyaml")
    assert (pyyaml.version, pyyaml.origin.line if pyyaml.origin else None) == ("6.0.3", 611)
    assert len(pyyaml.hashes) == 73  # lines 612-684
    assert pyyaml.hashes[0] == (
        "sha256:00c4bdeba853cc34e7dd471f16b4114f4162dc03e6b7afcc2128711f0eca823c"
    )


def test_648_pinned_vulnerable_packages(shared_bench: Path) -> None:
    path = shared_bench / "requirements-vulnerable.txt"
    deps, diagnostics = read(path)
    assert (len(deps), diagnostics) == (648, [])
    assert all(d.pinned for d in deps)
    assert deps[0] == Dependency(
        name="accesscontrol", version="4.2", origin=Location(str(path), 2), specifier="==4.2"
    )
    by_name = {d.name: d for d in deps}
    assert (by_name["pyyaml"].version, by_name["pyyaml"].origin) == (
        "4.2b2",
        Location(str(path), 508),
    )
    assert by_name["django"].version == "2.0.2"
