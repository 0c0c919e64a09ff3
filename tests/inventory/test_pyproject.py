"""pyproject.toml: PEP 621, PEP 735 groups and Poetry tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from bastion.errors import InputError
from bastion.findings import Diagnostic
from bastion.inventory.model import Dependency
from bastion.inventory.pyproject import project_tables, read_pyproject

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "inventory" / "pyproject"


def by_name(deps: list[Dependency]) -> dict[str, Dependency]:
    return {d.name: d for d in deps}


def test_pep621_dependencies_extras_and_lines() -> None:
    path = FIXTURES / "pep621" / "pyproject.toml"
    inventory = read_pyproject(path)
    deps = by_name(inventory.dependencies)
    assert inventory.sources == [str(path)]
    assert [d.name for d in inventory.dependencies] == [
        "django",
        "requests",
        "attrs",
        "wheelpkg",
        "exact",
        "orjson",
        "ruff",
        "pytest",
        "coverage",
    ]
    django = deps["django"]
    assert (django.version, django.specifier, django.origin) == ("3.2.0", "==3.2.0", django.origin)
    assert django.origin is not None and (django.origin.path, django.origin.line) == (str(path), 9)
    assert django.direct is True and django.groups == ()
    requests = deps["requests"]
    assert requests.version is None
    assert requests.specifier == ">=2.25,<3"  # in the order written, not packaging's
    assert requests.extras == ("security", "socks")
    assert requests.markers == 'python_version >= "3.8"'
    assert requests.origin is not None and requests.origin.line == 10
    assert (deps["attrs"].version, deps["attrs"].specifier) == (None, "")
    assert deps["wheelpkg"].version == "1.4.0"  # from the wheel file name
    assert deps["wheelpkg"].url == "https://files.example/wheelpkg-1.4.0-py3-none-any.whl"
    assert deps["exact"].version == "1.0+local"
    assert deps["orjson"].groups == ("fast",)  # extra name, normalized
    assert deps["orjson"].origin is not None and deps["orjson"].origin.line == 17


def test_dependency_groups_expand_includes() -> None:
    deps = by_name(read_pyproject(FIXTURES / "pep621" / "pyproject.toml").dependencies)
    assert deps["ruff"].groups == ("ci", "lint", "test")
    assert deps["pytest"].groups == ("ci", "test")
    assert deps["coverage"].groups == ("ci",)
    lines = {name: deps[name].origin.line for name in ("ruff", "pytest", "coverage")}  # type: ignore[union-attr]
    assert lines == {"ruff": 20, "pytest": 22, "coverage": 25}


def test_include_group_cycle_is_an_input_error_at_the_closing_include() -> None:
    path = FIXTURES / "cycle" / "pyproject.toml"
    with pytest.raises(InputError) as caught:
        read_pyproject(path)
    assert caught.value.line == 9
    assert caught.value.path == str(path)
    assert "a -> b -> a" in caught.value.reason


def test_include_of_a_missing_group_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text('[dependency-groups]\ndev = [\n  {include-group = "nope"},\n]\n')
    with pytest.raises(InputError, match="names no dependency group") as caught:
        read_pyproject(path)
    assert caught.value.line == 3


def test_broken_toml_names_file_and_line() -> None:
    path = FIXTURES / "broken" / "pyproject.toml"
    with pytest.raises(InputError) as caught:
        read_pyproject(path)
    assert (caught.value.path, caught.value.line) == (str(path), 6)
    assert caught.value.reason.startswith("not valid TOML: ")
    assert "line" not in caught.value.reason  # the position is in path:line, not repeated


def test_invalid_requirement_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text('[project]\nname = "x"\ndependencies = [\n  "ok",\n  "bad ==",\n]\n')
    with pytest.raises(InputError, match="invalid requirement 'bad =='") as caught:
        read_pyproject(path)
    assert caught.value.line == 5


def test_poetry_tables() -> None:
    path = FIXTURES / "poetry" / "pyproject.toml"
    diagnostics: list[Diagnostic] = []
    inventory = read_pyproject(path, diagnostics)
    deps = inventory.dependencies
    names = [d.name for d in deps]
    assert "python" not in names
    assert names.count("multi") == 2
    table = {d.name: d for d in deps}
    expected = {
        "requests": (None, ">=2.31.0,<3.0.0", (), 9),
        "flask": ("2.3.3", "==2.3.3", (), 10),
        "tilde": (None, ">=1.2,<1.3", (), 11),
        "any": (None, "", (), 12),
        "ranged": (None, ">=1.2,<2.0", (), 13),
        "wild": (None, "==1.2.*", (), 14),
        "either": (None, "", (), 15),
        "mysqlclient": (None, ">=2.2,<3.0", ("mysql",), 16),
        "black": (None, ">=24.8,<25.0", ("dev",), 30),
        "pytest": (None, ">=8.3,<9.0", ("test",), 33),
        "sphinx": (None, ">=7.4,<8.0", ("docs",), 35),
    }
    for name, (version, specifier, groups, line) in expected.items():
        dep = table[name]
        assert (dep.version, dep.specifier, dep.groups) == (version, specifier, groups), name
        assert dep.origin is not None and dep.origin.line == line, name
        assert dep.direct is True
    uvicorn = table["uvicorn"]
    assert uvicorn.version == "0.30.6"
    assert uvicorn.extras == ("standard",)
    # packaging's canonical form, as every reader writes markers (see inventory.pep508)
    assert uvicorn.markers == 'sys_platform == "linux" and python_version >= "3.10"'
    assert table["mylib"].url == "git+https://github.com/example/mylib.git@abc123"
    assert table["mylib"].version is None
    assert (table["local"].url, table["local"].editable) == ("../local", True)
    assert table["wheelpkg"].version == "1.4.0"
    multi = [d for d in deps if d.name == "multi"]
    assert [(d.specifier, d.markers) for d in multi] == [
        ("<=1.9", 'python_version >= "3.6" and python_version < "3.8"'),
        (">=2.0,<3.0", 'python_version >= "3.8"'),
    ]
    assert [str(d) for d in diagnostics] == [
        f"{path}:15: either: Poetry constraint '^1.0 || ^2.0' has alternatives (||) that one "
        "PEP 440 specifier cannot express; read as unpinned"
    ]


def test_invalid_poetry_constraint_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text('[tool.poetry.dependencies]\npython = "^3.9"\nrequests = "^two"\n')
    with pytest.raises(InputError, match="dependency 'requests'") as caught:
        read_pyproject(path)
    assert caught.value.line == 3


def test_poetry_main_entry_already_in_project_dependencies_is_read_once(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(
        '[project]\nname = "x"\ndependencies = ["requests==2.31.0"]\n\n'
        '[tool.poetry.dependencies]\nrequests = { source = "mirror" }\nextra = "^1.0"\n'
    )
    deps = read_pyproject(path).dependencies
    assert [(d.name, d.version, d.specifier) for d in deps] == [
        ("requests", "2.31.0", "==2.31.0"),
        ("extra", None, ">=1.0,<2.0"),
    ]


def test_project_tables_tells_what_the_file_declares(tmp_path: Path) -> None:
    tool_only = tmp_path / "tool.toml"
    tool_only.write_text("[tool.ruff]\nline-length = 100\n")
    assert project_tables(tool_only) == frozenset()
    assert project_tables(FIXTURES / "pep621" / "pyproject.toml") == frozenset(
        {"project", "dependency-groups"}
    )
    assert project_tables(FIXTURES / "poetry" / "pyproject.toml") == frozenset({"poetry"})


def test_guarddog_pyproject_reads_poetry_tables(shared_data: Path) -> None:
    path = shared_data / "lockfiles" / "real-world" / "guarddog-pyproject.toml"
    deps = by_name(read_pyproject(path).dependencies)
    assert len(deps) == 26
    assert deps["click"].specifier == ">=8.4.1,<9.0.0"
    assert deps["tarsafe"].specifier == ">=0.0.5,<0.0.6"
    assert deps["disposable-email-domains"].specifier == ">=0.0.208,<0.0.209"
    assert deps["pytest"].groups == ("dev",)
    assert deps["pygit2"].origin is not None and deps["pygit2"].origin.line == 30
