"""Scan settings: flags, `[tool.bastion.scan]`, `[tool.bandit]` and `.bandit`, in that order."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from bastion.checks.scan import OPTIONS as SCAN_OPTIONS
from bastion.cli import build_parser
from bastion.code.settings import (
    DEFAULT_PER_PATH_SKIPS,
    ScanSettings,
    project_root,
    scan_settings,
)
from bastion.commands.common import load_settings
from bastion.errors import InputError
from bastion.findings import Confidence, Severity


def resolve(project: Path, *flags: str) -> ScanSettings:
    args = build_parser("scan").parse_args(["scan", str(project), *flags])
    settings = load_settings(args, SCAN_OPTIONS)
    return scan_settings(settings, project, project_root(project, settings))


def write(path: Path, text: str) -> None:
    path.write_text(textwrap.dedent(text), encoding="utf-8")


def test_defaults(tmp_path: Path) -> None:
    got = resolve(tmp_path)
    assert got.include == ("*.py", "*.pyw")
    assert got.exclude == ()
    assert got.select is None
    assert got.skip == frozenset()
    assert got.per_path_skips == DEFAULT_PER_PATH_SKIPS
    assert (got.severity_threshold, got.confidence_threshold) == (Severity.LOW, Confidence.LOW)
    assert (got.baseline, got.write_baseline, got.jobs, got.cache) == (None, None, None, True)


def test_tool_bastion_scan_table(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        """
        [tool.bastion.scan]
        exclude = ["legacy/**"]
        skip = ["B101", "B311"]
        select = ["B602,B603"]
        severity-threshold = "medium"
        confidence-threshold = "high"
        per-path-skips = { "scripts/**" = ["B603"] }
        jobs = 3
        cache = false
        baseline = "scan-baseline.json"
        """,
    )
    got = resolve(tmp_path)
    assert got.exclude == ("legacy/**",)
    assert got.skip == frozenset({"B101", "B311"})
    assert got.select == frozenset({"B602", "B603"})
    assert got.severity_threshold is Severity.MEDIUM
    assert got.confidence_threshold is Confidence.HIGH
    assert got.per_path_skips == (("scripts/**", frozenset({"B603"})),)
    assert (got.jobs, got.cache) == (3, False)
    assert got.baseline == tmp_path / "scan-baseline.json"  # relative to pyproject.toml
    assert not got.rule_enabled("B101")
    assert got.rule_enabled("B602")
    assert not got.rule_enabled("B404")


def test_flags_win_over_the_table(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.bastion.scan]\nskip = ["B101"]\njobs = 3\n')
    got = resolve(tmp_path, "--skip", "B404,B603", "--skip", "B607", "-j", "1", "--no-cache")
    assert got.skip == frozenset({"B404", "B603", "B607"})
    assert (got.jobs, got.cache) == (1, False)


def test_tool_bandit_is_read_when_bastion_says_nothing(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        """
        [tool.bandit]
        exclude_dirs = ["tests", "venv"]
        skips = ["B101", "B601"]
        tests = ["B602"]

        [tool.bandit.assert_used]
        skips = ["*_test.py", "*/test_*.py"]
        """,
    )
    got = resolve(tmp_path)
    assert got.bandit_exclude == ("tests", "venv")
    assert got.skip == frozenset({"B101", "B601"})
    assert got.select == frozenset({"B602"})
    assert got.per_path_skips == (
        ("*_test.py", frozenset({"B101"})),
        ("*/test_*.py", frozenset({"B101"})),
    )
    assert got.sources == ("pyproject.toml [tool.bandit]",)


def test_bastion_keys_take_precedence_over_bandit(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        """
        [tool.bandit]
        skips = ["B101"]
        exclude_dirs = ["tests"]

        [tool.bastion.scan]
        skip = ["B404"]
        exclude = ["docs"]
        """,
    )
    got = resolve(tmp_path)
    assert got.skip == frozenset({"B404"})
    assert (got.exclude, got.bandit_exclude) == (("docs",), ())


def test_dot_bandit_ini(tmp_path: Path) -> None:
    write(
        tmp_path / ".bandit",
        """
        [bandit]
        exclude = ./build,./tests
        skips = B101,B404
        level = MEDIUM
        confidence = all
        """,
    )
    got = resolve(tmp_path)
    assert got.bandit_exclude == ("./build", "./tests")
    assert got.skip == frozenset({"B101", "B404"})
    assert got.severity_threshold is Severity.MEDIUM
    assert got.confidence_threshold is Confidence.LOW
    assert got.sources == (".bandit",)


def test_bad_values_name_the_file_and_line(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.bastion.scan]\n\nskip = ["not an id"]\n')
    with pytest.raises(InputError) as error:
        resolve(tmp_path)
    assert str(error.value) == (
        f"{tmp_path / 'pyproject.toml'}:3: skip: 'not an id' is not a rule ID (such as B602)"
    )
    write(tmp_path / "pyproject.toml", '[tool.bastion.scan]\nper-path-skips = ["tests"]\n')
    with pytest.raises(InputError) as error:
        resolve(tmp_path)
    assert error.value.line == 2
    assert "per-path-skips: expected a table" in str(error.value)
    write(tmp_path / "pyproject.toml", '[tool.bastion.scan]\nseverity-threshold = "extreme"\n')
    with pytest.raises(InputError) as error:
        resolve(tmp_path)
    assert error.value.line == 2
    (tmp_path / "pyproject.toml").unlink()
    write(tmp_path / ".bandit", "[bandit]\nlevel = extreme\n")
    with pytest.raises(InputError) as error:
        resolve(tmp_path)
    assert str(error.value) == (
        f"{tmp_path / '.bandit'}:2: [bandit] level: expected all, low, medium or high, "
        "got 'extreme'"
    )


def test_project_root_is_the_configuring_folder(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")
    (tmp_path / "src" / "pkg").mkdir(parents=True)
    args = build_parser("scan").parse_args(["scan", str(tmp_path / "src")])
    settings = load_settings(args, SCAN_OPTIONS)
    assert project_root(tmp_path / "src", settings) == tmp_path.resolve()
