"""File discovery and glob patterns."""

from __future__ import annotations

from pathlib import Path

import pytest

from bastion.code.files import bandit_excluded, discover, matches


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("tests", "tests/a.py", True),
        ("tests", "src/tests/a.py", True),
        ("tests", "src/tests_extra/a.py", False),
        ("tests/**", "tests/a/b.py", True),
        ("tests/**", "src/tests/a.py", False),
        ("tests/", "tests/a.py", True),
        ("*.py", "a/b/c.py", True),
        ("src/*.py", "src/a.py", True),
        ("src/*.py", "src/a/b.py", False),
        ("src/**/*.py", "src/a.py", True),
        ("src/**/*.py", "src/a/b/c.py", True),
        ("test_*.py", "pkg/test_x.py", True),
        ("test_*.py", "pkg/x_test.py", False),
        ("**/migrations/**", "app/migrations/0001_initial.py", True),
        ("./legacy", "legacy/old.py", True),
        ("mod?.py", "mod1.py", True),
        ("mod[!0-9].py", "mod1.py", False),
    ],
)
def test_glob_matching(pattern: str, path: str, expected: bool) -> None:
    assert matches(path, [pattern]) is expected


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("tests", "src/tests/a.py", True),
        ("tests", "src/mytests_util.py", True),  # bandit matches substrings too
        ("*/migrations/*", "app/migrations/x.py", True),
        ("./build", "build/x.py", True),
        ("vendor", "src/app.py", False),
    ],
)
def test_bandit_exclude_semantics(pattern: str, path: str, expected: bool) -> None:
    assert bandit_excluded(path, [pattern]) is expected


def make_tree(root: Path, files: list[str]) -> None:
    for name in files:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = 1\n")


def test_discovery_skips_vcs_caches_builds_and_virtualenvs(tmp_path: Path) -> None:
    make_tree(
        tmp_path,
        [
            "app.py",
            "gui.pyw",
            "notes.txt",
            "pkg/__init__.py",
            "pkg/mod.py",
            "pkg/__pycache__/mod.cpython-311.py",
            ".git/hooks/x.py",
            "node_modules/x/y.py",
            "build/lib/a.py",
            "dist/a.py",
            ".tox/py311/a.py",
            ".nox/a.py",
            "lib/python3.11/site-packages/dep.py",
            "env/lib/dep.py",
            "env/pyvenv.cfg",
            "tests/test_app.py",
        ],
    )
    found = discover(tmp_path, tmp_path)
    assert [f.relpath for f in found] == [
        "app.py",
        "gui.pyw",
        "pkg/__init__.py",
        "pkg/mod.py",
        "tests/test_app.py",
    ]


def test_include_exclude_and_single_files(tmp_path: Path) -> None:
    make_tree(tmp_path, ["a.py", "b.pyi", "legacy/old.py", "src/keep.py", "src/gen_x.py"])
    found = discover(
        tmp_path, tmp_path, include=["*.py", "*.pyi"], exclude=["legacy", "src/gen_*.py"]
    )
    assert [f.relpath for f in found] == ["a.py", "b.pyi", "src/keep.py"]
    single = discover(tmp_path / "legacy" / "old.py", tmp_path)
    assert [(f.relpath, f.display) for f in single] == [
        ("legacy/old.py", (tmp_path / "legacy" / "old.py").as_posix())
    ]
    by_path = discover(tmp_path, tmp_path, include=["src/**/*.py"])
    assert [f.relpath for f in by_path] == ["src/gen_x.py", "src/keep.py"]
    named = discover(tmp_path / "legacy", tmp_path, exclude=["legacy"])
    assert [f.relpath for f in named] == ["legacy/old.py"]  # named on the command line
    assert discover(tmp_path / "legacy" / "old.py", tmp_path, excluded=["legacy"]) == []
    bandit_style = discover(tmp_path, tmp_path, excluded=["legacy", "*/gen_*"])
    assert [f.relpath for f in bandit_style] == ["a.py", "src/keep.py"]


def test_subfolder_paths_stay_relative_to_the_project_root(tmp_path: Path) -> None:
    make_tree(tmp_path, ["src/pkg/a.py"])
    found = discover(tmp_path / "src", tmp_path)
    assert [f.relpath for f in found] == ["src/pkg/a.py"]
    assert found[0].display == (tmp_path / "src" / "pkg" / "a.py").as_posix()
