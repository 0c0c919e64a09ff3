"""One PEP 508 path: the same requirement string means the same dependency in every reader."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bastion.errors import InputError
from bastion.findings import Diagnostic, Location
from bastion.inventory import pep508
from bastion.inventory.model import Dependency
from bastion.inventory.pipfilelock import read_pipfile, read_pipfile_lock
from bastion.inventory.pyproject import read_pyproject
from bastion.inventory.requirements import read_requirements

HERE = Location("reqs.txt", 7)

# (requirement, expected (name, version, specifier, markers, extras, url))
CASES: list[tuple[str, tuple[str, str | None, str, str | None, tuple[str, ...], str | None]]] = [
    ("foo==1.0", ("foo", "1.0", "==1.0", None, (), None)),
    ("Foo_Bar==2.0.post1", ("foo-bar", "2.0.post1", "==2.0.post1", None, (), None)),
    ("foo==1.0,>=0.5", ("foo", "1.0", "==1.0,>=0.5", None, (), None)),
    ("foo>=0.5,==1.0", ("foo", "1.0", ">=0.5,==1.0", None, (), None)),
    ("foo >= 1.0, < 2", ("foo", None, ">=1.0,<2", None, (), None)),
    ("foo (==1.0)", ("foo", "1.0", "==1.0", None, (), None)),
    ("foo==1.*", ("foo", None, "==1.*", None, (), None)),
    ("foo===1.0+local", ("foo", "1.0+local", "===1.0+local", None, (), None)),
    ("foo==1.0,!=1.0", ("foo", None, "==1.0,!=1.0", None, (), None)),
    ("foo", ("foo", None, "", None, (), None)),
    (
        "Foo[Extra_One,b]==2.0; python_version < '3.12'",
        ("foo", "2.0", "==2.0", 'python_version < "3.12"', ("b", "extra-one"), None),
    ),
    (
        "foo @ https://example.com/foo-1.0.tar.bz2",
        ("foo", "1.0", "", None, (), "https://example.com/foo-1.0.tar.bz2"),
    ),
    (
        "foo @ https://example.com/foo-1.0-py3-none-any.whl",
        ("foo", "1.0", "", None, (), "https://example.com/foo-1.0-py3-none-any.whl"),
    ),
    (
        "foo @ https://example.com/foo-2.1.tar.xz#sha256=" + "a" * 64,
        ("foo", "2.1", "", None, (), "https://example.com/foo-2.1.tar.xz#sha256=" + "a" * 64),
    ),
    (
        "foo @ git+https://example.com/foo.git@v1.0",
        ("foo", None, "", None, (), "git+https://example.com/foo.git@v1.0"),
    ),
    (
        "foo @ https://example.com/bar-1.0.tar.gz",
        ("foo", None, "", None, (), "https://example.com/bar-1.0.tar.gz"),
    ),
]


def facts(dep: Dependency) -> tuple[str, str | None, str, str | None, tuple[str, ...], str | None]:
    return (dep.name, dep.version, dep.specifier, dep.markers, dep.extras, dep.url)


def toml_string(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid TOML basic string


def read_with_requirements(tmp_path: Path, text: str) -> Dependency:
    path = tmp_path / "requirements.txt"
    path.write_text(text + "\n")
    (dep,) = read_requirements(path, []).dependencies
    return dep


def read_with_project(tmp_path: Path, text: str) -> Dependency:
    path = tmp_path / "pyproject.toml"
    path.write_text(f'[project]\nname = "p"\ndependencies = [{toml_string(text)}]\n')
    (dep,) = read_pyproject(path, []).dependencies
    return dep


def read_with_optional(tmp_path: Path, text: str) -> Dependency:
    path = tmp_path / "pyproject.toml"
    path.write_text(
        f'[project]\nname = "p"\n[project.optional-dependencies]\nx = [{toml_string(text)}]\n'
    )
    (dep,) = read_pyproject(path, []).dependencies
    return dep


def read_with_group(tmp_path: Path, text: str) -> Dependency:
    path = tmp_path / "pyproject.toml"
    path.write_text(f"[dependency-groups]\ndev = [{toml_string(text)}]\n")
    (dep,) = read_pyproject(path, []).dependencies
    return dep


READERS = {
    "requirements.txt": read_with_requirements,
    "[project] dependencies": read_with_project,
    "[project.optional-dependencies]": read_with_optional,
    "[dependency-groups]": read_with_group,
}


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize(("text", "expected"), CASES, ids=[case[0] for case in CASES])
def test_every_reader_reads_a_requirement_the_same(
    tmp_path: Path, reader: str, text: str, expected: tuple[object, ...]
) -> None:
    assert facts(READERS[reader](tmp_path, text)) == expected


def pipfile_parts(text: str) -> tuple[str, dict[str, object]] | None:
    """The Pipfile table of a requirement without a URL: {version, markers, extras}."""
    from packaging.requirements import Requirement

    req = Requirement(text)
    if req.url:
        return None
    table: dict[str, object] = {"version": str(req.specifier) or "*"}
    if req.marker:
        table["markers"] = str(req.marker)
    if req.extras:
        table["extras"] = sorted(req.extras)
    return req.name, table


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[case[0] for case in CASES])
def test_pipfile_and_its_lock_agree_with_the_pep508_readers(
    tmp_path: Path, text: str, expected: tuple[str, str | None, str, str | None, tuple[str, ...]]
) -> None:
    parts = pipfile_parts(text)
    if parts is None:
        pytest.skip("a Pipfile writes URLs as tables of their own")
    name, table = parts
    pipfile = tmp_path / "Pipfile"
    inline = ", ".join(f"{key} = {json.dumps(value)}" for key, value in table.items())
    pipfile.write_text(f"[packages]\n{toml_string(name)} = {{{inline}}}\n")
    (dep,) = read_pipfile(pipfile, []).dependencies
    name_, version, _specifier, markers, extras, url = expected
    # A Pipfile spells the specifier in packaging's canonical order: compare the meaning.
    assert (dep.name, dep.version, dep.markers, dep.extras, dep.url) == (
        name_,
        version,
        markers,
        extras,
        url,
    )
    lock = tmp_path / "Pipfile.lock"
    entry = {"version": table["version"], **{k: v for k, v in table.items() if k != "version"}}
    lock.write_text(json.dumps({"_meta": {"pipfile-spec": 6}, "default": {name: entry}}))
    (locked,) = read_pipfile_lock(lock, []).dependencies
    assert (locked.name, locked.version, locked.markers, locked.extras) == (
        name_,
        version,
        markers,
        extras,
    )


def test_a_url_whose_file_names_another_project_warns_and_pins_nothing() -> None:
    warnings: list[str] = []
    dep = pep508.dependency("foo @ https://example.com/bar-1.0.tar.gz", HERE, warn=warnings.append)
    assert dep.version is None
    assert warnings == ["file 'bar-1.0.tar.gz' does not match the requirement name 'foo'"]


def test_a_pyproject_url_mismatch_is_a_diagnostic_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(
        '[project]\nname = "p"\ndependencies = [\n  "foo @ https://x/bar-1.0.zip",\n]\n'
    )
    diagnostics: list[Diagnostic] = []
    read_pyproject(path, diagnostics)
    assert [(d.location.line if d.location else None) for d in diagnostics] == [4]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("foo=1.0", "did you mean ==?"),
        ("foo @ https://x/not-a-wheel.whl", "invalid wheel file name"),
        ("foo==", "invalid requirement"),
        ("foo @ http://[::1", "invalid URL"),
    ],
)
def test_invalid_requirements_are_input_errors_at_their_origin(text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        pep508.dependency(text, HERE, warn=lambda _m: None)
    assert caught.value.path == "reqs.txt"
    assert caught.value.line == 7
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("specifier", "pin"),
    [
        ("==1.2.3", "1.2.3"),
        ("===1.0+local", "1.0+local"),
        ("==1.2.*", None),
        (">=1,<2", None),
        ("==1.0,!=1.1", "1.0"),
        ("==1.0,!=1.0", None),
        ("==1.0,>=0.5", "1.0"),
        ("", None),
        ("*", None),
        ("==not a version", None),
    ],
)
def test_pin_of_a_specifier_string(specifier: str, pin: str | None) -> None:
    assert pep508.pin_of(specifier) == pin


def test_the_fast_path_and_packaging_agree_on_plain_pins() -> None:
    for text in ("a==1", "a.b_c==1.2.3rc1.post2.dev3+local.1", "A==0"):
        fast = pep508.fast_dependency(text, HERE)
        assert fast is not None
        full = pep508.from_requirement(pep508.parse(text, HERE), text, HERE, warn=print)
        assert facts(fast) == facts(full)
    assert pep508.fast_dependency("a==1.0 ; os_name == 'nt'", HERE) is None


def test_an_invalid_marker_is_an_input_error() -> None:
    with pytest.raises(InputError, match="invalid marker"):
        pep508.marker("python_version >>> '3'", HERE)
    assert pep508.marker("  ", HERE) is None
    assert pep508.marker("os_name=='nt'", HERE) == 'os_name == "nt"'
