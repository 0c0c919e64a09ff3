"""The settings of one scan, resolved from flags, `[tool.bastion.scan]` and bandit's config.

Precedence, key by key: the flag, then `[tool.bastion.scan]`, then the bandit configuration
(`[tool.bandit]`, `.bandit`), then the default. The scan options are declared in
`bastion.commands.scan` with default None, so "not given" is visible here.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bastion.code.bandit_config import BanditConfig, load_bandit_config
from bastion.code.files import DEFAULT_INCLUDE
from bastion.config import Settings, key_line
from bastion.errors import InputError
from bastion.findings import Confidence, Severity

#: `assert` in test code is how tests work, not a security problem: B101 is skipped there by
#: default (set `per-path-skips` to change this; a table you set replaces this one).
DEFAULT_PER_PATH_SKIPS: tuple[tuple[str, frozenset[str]], ...] = (
    ("tests", frozenset({"B101"})),
    ("test", frozenset({"B101"})),
    ("test_*.py", frozenset({"B101"})),
    ("*_test.py", frozenset({"B101"})),
    ("conftest.py", frozenset({"B101"})),
)
_RULE_ID = re.compile(r"^[A-Za-z]+\d+$")


@dataclass(frozen=True, slots=True)
class ScanSettings:
    """Everything that decides what a scan reads and reports."""

    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = ()
    bandit_exclude: tuple[str, ...] = ()
    select: frozenset[str] | None = None
    skip: frozenset[str] = frozenset()
    per_path_skips: tuple[tuple[str, frozenset[str]], ...] = DEFAULT_PER_PATH_SKIPS
    severity_threshold: Severity = Severity.LOW
    confidence_threshold: Confidence = Confidence.LOW
    baseline: Path | None = None
    write_baseline: Path | None = None
    jobs: int | None = None
    cache: bool = True
    cache_dir: Path | None = None
    sources: tuple[str, ...] = field(default=())
    config_path: Path | None = None
    """The project's pyproject.toml: its `requires-python` explains parse errors (read only
    when a file does not parse: `python_minimum`)."""

    def rule_enabled(self, rule_id: str) -> bool:
        if self.select is not None and rule_id not in self.select:
            return False
        return rule_id not in self.skip


def project_root(target: Path, settings: Settings) -> Path:
    """Where relative paths start: the folder of the pyproject.toml that configures the run
    (when the target is inside it), else the scanned folder itself."""
    resolved = target.resolve()
    folder = resolved if resolved.is_dir() else resolved.parent
    if settings.config_path is not None:
        candidate = settings.config_path.resolve().parent
        if folder == candidate or candidate in folder.parents:
            return candidate
    return folder


def scan_settings(settings: Settings, target: Path, root: Path) -> ScanSettings:
    """Resolve the scan settings of a run (see the module docstring for precedence)."""
    values = settings.values
    folder = target if target.is_dir() else target.parent
    bandit = load_bandit_config(settings.config_path, [root, folder])
    table = settings.table.get("scan", {})
    if not isinstance(table, Mapping):
        table = {}
    path = settings.config_path

    def given(dest: str) -> Any:
        return values.get(f"scan_{dest}")

    include = _patterns(given("include")) or DEFAULT_INCLUDE
    exclude = _patterns(given("exclude"))
    bandit_exclude: tuple[str, ...] = ()
    if given("exclude") is None and bandit.exclude:
        bandit_exclude = tuple(bandit.exclude)

    select_given = given("select")
    select: frozenset[str] | None = None
    if select_given is not None:
        select = _rule_ids(select_given, "select", path)
        _known(select, "select", select_given == table.get("select"), path)
    elif bandit.tests:
        select = _rule_ids(bandit.tests, "tests", path)
    skip_given = given("skip")
    if skip_given is not None:
        skip = _rule_ids(skip_given, "skip", path)
        _known(skip, "skip", skip_given == table.get("skip"), path)
    else:
        skip = _rule_ids(bandit.skips or [], "skips", path)

    per_path = _per_path_skips(table.get("per-path-skips"), path)
    for _, ids in per_path or ():
        _known(ids, "per-path-skips", True, path)
    if per_path is None:
        per_path = DEFAULT_PER_PATH_SKIPS
        if bandit.assert_skips:
            per_path = tuple((glob, frozenset({"B101"})) for glob in bandit.assert_skips)

    severity = given("severity_threshold") or bandit.severity or "low"
    confidence = given("confidence_threshold") or bandit.confidence or "low"
    jobs = given("jobs")
    if jobs is not None and jobs < 1:
        raise InputError("--jobs must be at least 1", path, key_line(path, "jobs"))
    cache = given("cache")
    cache_dir = os.environ.get("BASTION_CACHE_DIR")
    return ScanSettings(
        include=include,
        exclude=exclude,
        bandit_exclude=bandit_exclude,
        select=select,
        skip=skip,
        per_path_skips=per_path,
        severity_threshold=Severity.parse(severity),
        confidence_threshold=Confidence[confidence.upper()],
        baseline=_path(given("baseline"), table.get("baseline"), path),
        write_baseline=_path(given("write_baseline"), table.get("write-baseline"), path),
        jobs=jobs,
        cache=True if cache is None else bool(cache),
        cache_dir=Path(cache_dir) if cache_dir else None,
        sources=tuple(bandit.sources) if isinstance(bandit, BanditConfig) else (),
        config_path=path,
    )


def python_minimum(pyproject: Path | None) -> tuple[int, int] | None:
    """The lowest (major, minor) that `[project] requires-python` admits (`>=3.12` gives
    (3, 12)), or None when it says nothing usable."""
    if pyproject is None:
        return None
    from bastion.documents import parse_toml, read_text
    from bastion.errors import InputError

    try:
        text = read_text(pyproject)
        if "requires-python" not in text:
            return None
        project = parse_toml(text, pyproject).get("project")
    except InputError:
        return None  # reported by the reader of [tool.bastion]
    wanted = project.get("requires-python") if isinstance(project, dict) else None
    if not isinstance(wanted, str):
        return None
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    from packaging.version import InvalidVersion, Version

    try:
        specifiers = SpecifierSet(wanted)
        lows = [
            Version(spec.version.rstrip(".*")).release[:2]
            for spec in specifiers
            if spec.operator in (">=", "~=", "==", "===", ">")
        ]
    except (InvalidSpecifier, InvalidVersion, ValueError):
        return None
    pairs = [(int(low[0]), int(low[1])) for low in lows if len(low) == 2]
    return max(pairs) if pairs else None


def _path(value: Any, configured: Any, config_path: Path | None) -> Path | None:
    """A path from a flag is relative to the working directory; one from the config file is
    relative to the file's folder."""
    if not value:
        return None
    if config_path is not None and value == configured:
        return config_path.parent / str(value)
    return Path(str(value))


def _split(values: Iterable[str]) -> list[str]:
    parts: list[str] = []
    for value in values:
        parts.extend(p.strip() for p in value.split(",") if p.strip())
    return parts


def _patterns(value: Any) -> tuple[str, ...]:
    if not value:
        return ()
    items = [value] if isinstance(value, str) else list(value)
    return tuple(_split(items))


def _rule_ids(value: Any, key: str, path: Path | None) -> frozenset[str]:
    items = [value] if isinstance(value, str) else list(value)
    ids = _split(items)
    for rule_id in ids:
        if not _RULE_ID.match(rule_id):
            raise InputError(
                f"{key}: {rule_id!r} is not a rule ID (such as B602)", path, key_line(path, key)
            )
    return frozenset(rule_id.upper() for rule_id in ids)


def _known(ids: Iterable[str], key: str, from_config: bool, path: Path | None) -> None:
    """Reject a rule ID that no rule has, in a flag or in `[tool.bastion.scan]`: a typo there
    would otherwise run or skip other rules than meant. (IDs in a bandit configuration only
    warn, see `runner`: bandit plugins bastion does not have are common there.)"""
    from bastion.code.rule import load_rules

    known = load_rules()
    unknown = sorted(set(ids) - set(known))
    if not unknown:
        return
    listed = ", ".join(unknown)
    what = f"unknown rule ID{'s' if len(unknown) > 1 else ''} {listed}"
    hint = "`bastion scan --list-rules` lists the rules"
    if from_config and path is not None:
        raise InputError(f"[tool.bastion.scan] {key}: {what}; {hint}", path, key_line(path, key))
    raise InputError(f"--{key}: {what}; {hint}")


def _per_path_skips(value: Any, path: Path | None) -> tuple[tuple[str, frozenset[str]], ...] | None:
    if value is None:
        return None
    line = key_line(path, "per-path-skips")
    if not isinstance(value, Mapping):
        raise InputError(
            '[tool.bastion.scan] per-path-skips: expected a table such as {"tests/**" = ["B101"]}',
            path,
            line,
        )
    result = []
    for glob, ids in value.items():
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise InputError(
                f"[tool.bastion.scan] per-path-skips: {glob!r} needs a list of rule IDs",
                path,
                line,
            )
        result.append((str(glob), _rule_ids(ids, "per-path-skips", path)))
    return tuple(result)
