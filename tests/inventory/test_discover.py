"""Input discovery: which input is authoritative, explicit inputs, files, errors, --resolve."""

from __future__ import annotations

import shutil
import sys
import types
from collections.abc import Sequence
from pathlib import Path

import pytest

from bastion.config import Settings
from bastion.errors import InputError
from bastion.findings import Diagnostic
from bastion.inventory.discover import discover, kind_of, load_inventory
from bastion.inventory.model import Dependency, IndexOption

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "inventory"
LOCKS = FIXTURES / "locks"
TOOL_ONLY = "[tool.ruff]\nline-length = 100\n"


def place(directory: Path, files: dict[str, Path | str]) -> Path:
    """Put fixture copies (Path) or text (str) into `directory` under the given names."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, source in files.items():
        target = directory / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(source, Path):
            shutil.copyfile(source, target)
        else:
            target.write_text(source)
    return directory


def names(paths: Sequence[Path]) -> list[str]:
    return [p.name for p in paths]


@pytest.mark.parametrize(
    ("present", "chosen"),
    [
        (["uv.lock", "poetry.lock", "pyproject.toml", "requirements.txt"], "uv.lock"),
        (["poetry.lock", "pyproject.toml"], "poetry.lock"),
        (["pylock.toml", "pylock.dev.toml", "requirements.in"], "pylock.toml"),
        (["pylock.b.toml", "pylock.a.toml"], "pylock.a.toml"),
        (["Pipfile.lock", "Pipfile", "requirements.txt"], "Pipfile.lock"),
        (["requirements.txt", "requirements.in", "pyproject.toml"], "requirements.txt"),
        (["pyproject.toml", "Pipfile", "requirements.in"], "pyproject.toml"),
        (["Pipfile", "requirements.in"], "Pipfile"),
        (["requirements.in"], "requirements.in"),
    ],
)
def test_the_authoritative_input_is_chosen(tmp_path: Path, present: list[str], chosen: str) -> None:
    place(tmp_path, {name: "[project]\nname = 'x'\n" for name in present})
    found, seen = discover(tmp_path)
    assert found == tmp_path / chosen
    assert sorted(names(seen)) == sorted(n for n in present if n != chosen)


def test_a_pyproject_with_only_tool_settings_is_not_an_input(tmp_path: Path) -> None:
    place(tmp_path, {"pyproject.toml": TOOL_ONLY, "Pipfile": "[packages]\n"})
    found, seen = discover(tmp_path)
    assert found == tmp_path / "Pipfile"
    assert names(seen) == ["pyproject.toml"]


def test_a_pyproject_with_only_tool_settings_is_not_reported_as_unread(tmp_path: Path) -> None:
    place(tmp_path, {"pyproject.toml": TOOL_ONLY, "requirements.txt": "requests==2.31.0\n"})
    diagnostics: list[Diagnostic] = []
    inventory = load_inventory(tmp_path, Settings(), diagnostics)
    assert inventory.sources == [str(tmp_path / "requirements.txt")]
    assert diagnostics == []


def test_a_lock_wins_and_a_diagnostic_says_what_else_was_seen(tmp_path: Path) -> None:
    place(
        tmp_path,
        {
            "uv.lock": LOCKS / "uv" / "uv.lock",
            "pyproject.toml": FIXTURES / "pyproject" / "pep621" / "pyproject.toml",
            "requirements.txt": "requests==2.31.0\n",
        },
    )
    diagnostics: list[Diagnostic] = []
    inventory = load_inventory(tmp_path, Settings(), diagnostics)
    assert inventory.sources == [str(tmp_path / "uv.lock")]
    assert len(inventory.dependencies) == 10
    assert [str(d) for d in diagnostics] == [
        # pyproject.toml is what uv.lock locks: not "unused" (issue 12); requirements.txt is.
        f"{tmp_path / 'uv.lock'}: reading uv.lock (a lock is authoritative over its manifest); "
        "also found requirements.txt, not read: name one with --lock FILE or "
        "-r FILE to read it instead"
    ]


def test_poetry_lock_in_a_directory_reads_its_pyproject_for_direct(tmp_path: Path) -> None:
    place(
        tmp_path,
        {
            "poetry.lock": LOCKS / "poetry" / "poetry.lock",
            "pyproject.toml": LOCKS / "poetry" / "pyproject.toml",
        },
    )
    diagnostics: list[Diagnostic] = []
    inventory = load_inventory(tmp_path, Settings(), diagnostics)
    assert inventory.sources == [str(tmp_path / "poetry.lock"), str(tmp_path / "pyproject.toml")]
    assert sorted(d.name for d in inventory.dependencies if d.direct) == [
        "mylib",
        "pytest",
        "requests",
    ]
    # The lock and the manifest it consulted are the inputs: nothing else to warn about.
    assert diagnostics == []


def test_manifest_only_keeps_unpinned_requirements_unpinned(tmp_path: Path) -> None:
    place(tmp_path, {"pyproject.toml": '[project]\nname = "x"\ndependencies = ["requests>=2"]\n'})
    diagnostics: list[Diagnostic] = []
    inventory = load_inventory(tmp_path, Settings(), diagnostics)
    assert [(d.name, d.version, d.specifier) for d in inventory.dependencies] == [
        ("requests", None, ">=2")
    ]
    assert diagnostics == []  # the input read is in the report's inputs, not a warning


def fake_resolver(
    monkeypatch: pytest.MonkeyPatch, options: list[list[IndexOption]] | None = None
) -> list[Sequence[Dependency]]:
    calls: list[Sequence[Dependency]] = []
    options = [] if options is None else options

    def resolve(
        dependencies: Sequence[Dependency],
        *,
        python: str | None = None,
        diagnostics: list[Diagnostic],
        index_options: Sequence[IndexOption] = (),
    ) -> list[Dependency]:
        calls.append(list(dependencies))
        options.append(list(index_options))
        return [
            Dependency("requests", "2.32.3", dependencies[0].origin, specifier=">=2"),
            Dependency("certifi", "2024.8.30", None, direct=False),
        ]

    module = types.ModuleType("bastion.inventory.resolve")
    module.resolve = resolve  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "bastion.inventory.resolve", module)
    return calls


def test_resolve_passes_unpinned_manifests_through_the_resolver(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = fake_resolver(monkeypatch)
    place(tmp_path, {"pyproject.toml": '[project]\nname = "x"\ndependencies = ["requests>=2"]\n'})
    inventory = load_inventory(tmp_path, Settings(values={"resolve": True}), [])
    assert [[d.name for d in call] for call in calls] == [["requests"]]
    assert [(d.name, d.version, d.direct) for d in inventory.dependencies] == [
        ("requests", "2.32.3", True),
        ("certifi", "2024.8.30", False),
    ]
    assert inventory.sources == [str(tmp_path / "pyproject.toml")]


def test_resolve_keeps_what_the_input_says_besides_dependencies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[list[IndexOption]] = []
    fake_resolver(monkeypatch, sent)
    place(
        tmp_path, {"requirements.txt": "--index-url https://mirror.example/simple\nrequests>=2\n"}
    )
    inventory = load_inventory(tmp_path, Settings(values={"resolve": True}), [])
    assert [d.name for d in inventory.dependencies] == ["requests", "certifi"]
    assert [(o.option, o.value) for o in inventory.index_options] == [
        ("--index-url", "https://mirror.example/simple")
    ]
    # The resolver looks where the project installs from, not on PyPI.
    assert [[(o.option, o.value) for o in call] for call in sent] == [
        [("--index-url", "https://mirror.example/simple")]
    ]


def test_resolve_with_offline_is_refused_before_any_network(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = fake_resolver(monkeypatch)
    place(tmp_path, {"requirements.in": "requests>=2\n"})
    settings = Settings(values={"resolve": True, "offline": True})
    with pytest.raises(InputError) as caught:
        load_inventory(tmp_path, settings, [])
    assert calls == []
    assert str(caught.value) == (
        f"{tmp_path / 'requirements.in'}: --resolve needs the package index and --offline "
        "forbids the network; drop one of them (--no-resolve overrides `resolve = true` in the "
        "config)"
    )
    # Nothing to resolve: nothing is refused.
    place(tmp_path, {"requirements.in": "requests==2.32.3\n"})
    assert len(load_inventory(tmp_path, settings, []).dependencies) == 1


def test_resolve_leaves_locks_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = fake_resolver(monkeypatch)
    settings = Settings(values={"resolve": True})
    inventory = load_inventory(LOCKS / "uv" / "uv.lock", settings, [])
    assert calls == []
    assert len(inventory.dependencies) == 10


def test_nothing_found_says_what_was_looked_for(tmp_path: Path) -> None:
    place(tmp_path, {"pyproject.toml": TOOL_ONLY})
    with pytest.raises(InputError) as caught:
        load_inventory(tmp_path, Settings(), [])
    assert str(caught.value) == (
        f"{tmp_path}: no dependency inputs found (looked for uv.lock, poetry.lock, pylock.toml, "
        "pylock.*.toml, Pipfile.lock, requirements.txt, pyproject.toml (with dependencies), "
        "Pipfile, requirements.in); name one with -r FILE, --lock FILE or --python PATH"
    )


def test_nothing_found_points_at_a_venv_when_there_is_one(tmp_path: Path) -> None:
    place(tmp_path / ".venv", {"pyvenv.cfg": "version = 3.11.7\n"})
    with pytest.raises(InputError, match=r"\(--python .*\.venv audits what is installed there\)"):
        load_inventory(tmp_path, Settings(), [])


def test_a_venv_directory_as_project_is_read_as_installed(tmp_path: Path) -> None:
    site = tmp_path / "env" / "lib" / "python3.11" / "site-packages"
    place(site / "six-1.16.0.dist-info", {"METADATA": "Name: six\nVersion: 1.16.0\n"})
    place(tmp_path / "env", {"pyvenv.cfg": "version = 3.11.7\n"})
    inventory = load_inventory(tmp_path / "env", Settings(), [])
    assert [(d.name, d.version) for d in inventory.dependencies] == [("six", "1.16.0")]


def test_explicit_lock_wins_over_discovery(tmp_path: Path) -> None:
    place(
        tmp_path,
        {
            "uv.lock": LOCKS / "uv" / "uv.lock",
            "locks/pylock.ci.toml": LOCKS / "pylock" / "pylock.toml",
        },
    )
    diagnostics: list[Diagnostic] = []
    settings = Settings(values={"lock": "locks/pylock.ci.toml"})  # relative to the project
    inventory = load_inventory(tmp_path, settings, diagnostics)
    assert inventory.sources == [str(tmp_path / "locks" / "pylock.ci.toml")]
    assert diagnostics == []
    assert [d.name for d in inventory.dependencies] == [
        "certifi",
        "mylib",
        "pytest",
        "requests",
        "sphinx",
    ]


def test_explicit_inputs_are_all_read(tmp_path: Path) -> None:
    site = tmp_path / "site-packages"
    place(site / "six-1.16.0.dist-info", {"METADATA": "Name: six\nVersion: 1.16.0\n"})
    settings = Settings(
        values={"lock": str(LOCKS / "poetry1" / "poetry.lock"), "python": str(site)}
    )
    inventory = load_inventory(tmp_path, settings, [])
    assert inventory.sources == [
        str(LOCKS / "poetry1" / "poetry.lock"),
        str(LOCKS / "poetry1" / "pyproject.toml"),
        str(site),
    ]
    assert [d.name for d in inventory.dependencies] == ["asgiref", "django", "pytest", "six"]


def test_explicit_input_that_does_not_exist_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"missing\.lock: no such file or directory"):
        load_inventory(tmp_path, Settings(values={"lock": "missing.lock"}), [])


def test_explicit_requirement_files(tmp_path: Path) -> None:
    place(tmp_path, {"a.txt": "requests==2.31.0\n", "b.txt": "flask>=2\n"})
    settings = Settings(values={"requirement": ["a.txt", str(tmp_path / "b.txt")]})
    inventory = load_inventory(tmp_path, settings, [])
    assert inventory.sources[:1] == [str(tmp_path / "a.txt")]
    assert [(d.name, d.version) for d in inventory.dependencies] == [
        ("requests", "2.31.0"),
        ("flask", None),
    ]


def test_compiled_requirements_beat_requirements_in(tmp_path: Path) -> None:
    place(tmp_path, {"requirements.in": "requests\n", "requirements.txt": "requests==2.31.0\n"})
    inventory = load_inventory(tmp_path, Settings(), [])
    assert inventory.sources[:1] == [str(tmp_path / "requirements.txt")]
    assert [(d.name, d.version) for d in inventory.dependencies] == [("requests", "2.31.0")]


@pytest.mark.parametrize(
    ("name", "text", "kind"),
    [
        ("uv.lock", "", "uv"),
        ("poetry.lock", "", "poetry"),
        ("Pipfile.lock", "", "pipfile-lock"),
        ("Pipfile", "", "pipfile"),
        ("pyproject.toml", "", "pyproject"),
        ("pylock.toml", "", "pylock"),
        ("pylock.dev.toml", "", "pylock"),
        ("dev-requirements.txt", "", "requirements"),
        ("requirements.in", "", "requirements"),
        ("app.lock", 'version = 1\n\n[[package]]\nname = "x"\n', "uv"),
        ("app.lock", '[[package]]\n\n[metadata]\ncontent-hash = "0"\n', "poetry"),
        ("lock.toml", 'lock-version = "1.0"\ncreated-by = "x"\n', "pylock"),
        ("deps.json", '{"_meta": {}}', "pipfile-lock"),
        ("project.toml", "[project]\nname = 'x'\n", "pyproject"),
        ("Pipfile.dev", "[dev-packages]\npytest = '*'\n", "pipfile"),
        ("constraints", "requests==2.31.0\n", "requirements"),
    ],
)
def test_kind_by_name_then_content(tmp_path: Path, name: str, text: str, kind: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    assert kind_of(path) == kind


def test_a_file_as_project_is_read_by_its_kind(tmp_path: Path) -> None:
    path = place(tmp_path, {"app.lock": LOCKS / "uv" / "uv.lock"}) / "app.lock"
    inventory = load_inventory(path, Settings(), [])
    assert inventory.sources == [str(path)]
    assert len(inventory.dependencies) == 10


def test_python_may_be_a_command_name_on_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sysconfig

    interpreter = Path(sys.executable)
    monkeypatch.setenv("PATH", str(interpreter.parent))
    inventory = load_inventory(tmp_path, Settings(values={"python": interpreter.name}), [])
    read = {Path(source).resolve() for source in inventory.sources}
    assert Path(sysconfig.get_paths()["purelib"]).resolve() in read
    assert "pytest" in {d.name for d in inventory.dependencies}
