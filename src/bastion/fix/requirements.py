"""`bastion audit --fix [--dry-run]` for requirements files: each vulnerable pin rewritten to
the smallest version that fixes all its findings, in place.

Only the version of the pin changes: the name, extras, markers, comments, continuation lines
and every other line stay as written. A hash-pinned file gets the new version's hashes from
the package index (`bastion.verify.hashes`), so that pip still accepts it with
`--require-hashes`. The upgrade is the audit's own (`PackageResult.upgrade`: the smallest
version no advisory of the package affects), never a downgrade. The change is shown as a
unified diff; `--dry-run` writes nothing; a write is atomic. Lock files and pyproject.toml
are not rewritten yet: the audit names the command that would (uv, poetry, pip-compile).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bastion.errors import InputError

if TYPE_CHECKING:
    from bastion.checks.audit import AuditCheck
    from bastion.checks.base import CheckContext
    from bastion.config import Settings


@dataclass(frozen=True, slots=True)
class Upgrade:
    path: Path
    line: int
    name: str
    old: str
    new: str


def run_fix(args: argparse.Namespace) -> int:
    """The command: audit, rewrite the requirements files, show the diff, audit again."""
    import difflib

    from bastion.checks.audit import CHECK
    from bastion.checks.base import CheckContext, check_options
    from bastion.commands.common import load_settings
    from bastion.fsutil import write_atomic

    settings = load_settings(args, check_options(["audit"]))
    project = Path(args.path)
    ctx = CheckContext(project=project, settings=settings, command="audit")
    upgrades = planned_upgrades(ctx, CHECK)
    if getattr(args, "fix_to", "smallest") == "latest":
        upgrades = to_latest(ctx, upgrades)
    if not upgrades:
        print("audit --fix: nothing to upgrade (no pinned requirement with a fixed version)")
        return 0
    by_file: dict[Path, list[Upgrade]] = {}
    for upgrade in upgrades:
        by_file.setdefault(upgrade.path, []).append(upgrade)
    for path, changes in by_file.items():
        old_text = path.read_text(encoding="utf-8")
        new_text = rewrite(old_text, changes, path)
        if "--hash" in old_text:
            new_text = _refresh_hashes(path, new_text, settings)
        diff = difflib.unified_diff(
            old_text.splitlines(keepends=True),
            new_text.splitlines(keepends=True),
            fromfile=str(path),
            tofile=f"{path} (fixed)",
        )
        sys.stdout.writelines(diff)
        if not args.dry_run:
            try:
                write_atomic(path, new_text.encode("utf-8"))
            except OSError as exc:
                raise InputError(f"cannot write: {exc.strerror or exc}", path) from None
    verb = "would upgrade" if args.dry_run else "upgraded"
    for upgrade in upgrades:
        print(
            f"{upgrade.path}:{upgrade.line}: {verb} {upgrade.name} {upgrade.old} -> {upgrade.new}",
            file=sys.stderr,
        )
    return 0


def planned_upgrades(ctx: CheckContext, check: AuditCheck) -> list[Upgrade]:
    """The pins of requirements files that have vulnerabilities and a fixed version."""
    from bastion.checks.audit import selected
    from bastion.inventory.model import normalize_name

    inventory = ctx.inventory()
    pinned = [
        d
        for d in selected(inventory.dependencies, ctx)
        if d.version is not None
        and d.url is None
        and d.origin is not None
        and d.origin.line is not None
        and inventory.kind_of(d) == "requirements"
    ]
    results = check._audit(ctx, pinned)
    found = []
    for dependency in pinned:
        result = results.get((normalize_name(dependency.name), dependency.version or ""))
        origin = dependency.origin
        if result is None or not result.vulnerabilities or not result.upgrade or origin is None:
            continue
        found.append(
            Upgrade(
                Path(origin.path),
                origin.line or 0,
                dependency.name,
                dependency.version or "",
                result.upgrade,
            )
        )
    return found


def to_latest(ctx: CheckContext, upgrades: list[Upgrade]) -> list[Upgrade]:
    """Each upgrade moved to the newest release that installs here (`current.newest`), when
    that is newer than the smallest fix; the index is asked once for all of them."""
    from bastion.current.newest import behind
    from bastion.verify.facts import Facts

    python = ".".join(str(part) for part in sys.version_info[:3])
    facts = Facts(ctx)
    try:
        pages = facts.pages()
    finally:
        facts.close()
    if facts.index_error is not None:
        from bastion.errors import SourceError

        raise SourceError(
            f"--fix-to latest: the package index could not be asked ({facts.index_error})"
        )
    from packaging.version import Version

    moved = []
    for upgrade in upgrades:
        page = pages.get(upgrade.name)
        gap = behind(page, upgrade.old, python) if page is not None else None
        if gap is not None and Version(gap.newest) > Version(upgrade.new):
            moved.append(Upgrade(upgrade.path, upgrade.line, upgrade.name, upgrade.old, gap.newest))
        else:
            moved.append(upgrade)
    return moved


def rewrite(text: str, changes: list[Upgrade], path: Path) -> str:
    """`text` with each change's pin (`name==old` on its line) set to the new version."""
    lines = text.split("\n")
    for change in changes:
        index = change.line - 1
        line = lines[index] if 0 <= index < len(lines) else ""
        pattern = re.compile(
            rf"(?P<head>^\s*{_name_pattern(change.name)}\s*(?:\[[^\]]*\])?\s*===?\s*)"
            rf"{re.escape(change.old)}(?![\w.+!-])",
            re.IGNORECASE,
        )
        new, count = pattern.subn(_replacement(change.new), line, count=1)
        if count != 1:
            raise InputError(
                f"{change.name}=={change.old}: the pin is not written as NAME==VERSION on this "
                "line; nothing written",
                path,
                change.line,
            )
        lines[index] = new
    return "\n".join(lines)


def _replacement(version: str) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        return match.group("head") + version

    return replace


def _name_pattern(name: str) -> str:
    """A project name as a requirement may spell it (`-`, `_` and `.` interchangeable)."""
    parts = re.split(r"[-_.]+", name)
    return r"[-_.]+".join(re.escape(p) for p in parts)


def _refresh_hashes(path: Path, text: str, settings: Settings) -> str:
    """`text` (the rewritten file) with the hashes of its new pins from the index."""
    from bastion.verify.hashes import add_hashes

    new_text, _changes, _url = add_hashes(path, text, settings)
    return new_text
