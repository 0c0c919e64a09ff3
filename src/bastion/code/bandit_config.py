"""Read a project's bandit configuration, so a bandit user switches without edits.

Two places, as bandit itself reads them:

- `[tool.bandit]` in `pyproject.toml` (bandit reads it with `-c pyproject.toml`): `skips`,
  `tests`, `exclude_dirs`, and `[tool.bandit.assert_used] skips` (globs of files where
  `assert` is fine, which becomes a per-path skip of B101).
- `.bandit` (INI, section `[bandit]`) in the project root or the scanned folder: `skips`,
  `tests`, `exclude` (comma-separated), `level` and `confidence` (severity and confidence
  thresholds: `low`, `medium`, `high`; `all` means no threshold).

`[tool.bastion.scan]` keys, and flags, take precedence over anything read here.
"""

from __future__ import annotations

import configparser
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bastion.config import key_line
from bastion.errors import InputError


@dataclass(slots=True)
class BanditConfig:
    """What the bandit configuration asks for; None or empty where it says nothing."""

    sources: list[str] = field(default_factory=list)
    skips: list[str] | None = None
    tests: list[str] | None = None
    exclude: list[str] | None = None
    assert_skips: list[str] | None = None
    severity: str | None = None
    confidence: str | None = None

    def __bool__(self) -> bool:
        return bool(self.sources)


def load_bandit_config(pyproject: Path | None, folders: list[Path]) -> BanditConfig:
    """Merge `[tool.bandit]` of `pyproject` and the first `.bandit` in `folders`.

    Where both set a key, `.bandit` wins, as on bandit's command line (`.bandit` values are
    command-line arguments there).
    """
    config = BanditConfig()
    if pyproject is not None and pyproject.is_file():
        _read_pyproject(pyproject, config)
    seen: set[Path] = set()
    for folder in folders:
        candidate = (folder / ".bandit").resolve()
        if candidate in seen or not candidate.is_file():
            continue
        seen.add(candidate)
        _read_ini(candidate, config)
        break
    return config


def _read_pyproject(path: Path, config: BanditConfig) -> None:
    try:
        text = path.read_text(encoding="utf-8")
        if "bandit" not in text:
            return  # most projects: no second parse of the file [tool.bastion] came from
        data = tomllib.loads(text)
    except (OSError, ValueError, RecursionError):  # TOMLDecodeError, huge integers, nesting
        return  # reported by the reader of [tool.bastion]
    tool = data.get("tool")
    table = tool.get("bandit") if isinstance(tool, dict) else None
    if not isinstance(table, dict):
        return
    config.sources.append(f"{path.name} [tool.bandit]")

    def strings(key: str, value: Any) -> list[str]:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return [v.strip() for v in value if v.strip()]
        raise InputError(
            f"[tool.bandit] {key}: expected a list of strings", path, key_line(path, key)
        )

    if "skips" in table:
        config.skips = strings("skips", table["skips"])
    if "tests" in table:
        config.tests = strings("tests", table["tests"])
    if "exclude_dirs" in table:
        config.exclude = strings("exclude_dirs", table["exclude_dirs"])
    asserts = table.get("assert_used")
    if isinstance(asserts, dict) and "skips" in asserts:
        config.assert_skips = strings("skips", asserts["skips"])


def _read_ini(path: Path, config: BanditConfig) -> None:
    # No interpolation: `%` in a value is just a character (bandit's values are rule IDs
    # and paths), and `%(x)s` must not fail when a value is read.
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"not a valid .bandit file: {reason}", path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path) from None
    if not parser.has_section("bandit"):
        return
    section = parser["bandit"]
    config.sources.append(path.name)

    def listed(key: str) -> list[str] | None:
        if key not in section:
            return None
        return [part.strip() for part in section[key].split(",") if part.strip()]

    for key in ("skips", "tests", "exclude"):
        items = listed(key)
        if items is not None:
            setattr(config, key, items)
    for key in ("level", "confidence"):
        if key in section:
            word = section[key].strip().lower()
            if word not in {"all", "low", "medium", "high"}:
                raise InputError(
                    f"[bandit] {key}: expected all, low, medium or high, got {word!r}",
                    path,
                    key_line(path, key),
                )
            threshold = None if word == "all" else word
            if key == "level":
                config.severity = threshold
            else:
                config.confidence = threshold
