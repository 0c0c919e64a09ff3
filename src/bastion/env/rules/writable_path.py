"""E301: a directory on the path, or the interpreter, writable by others."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

from bastion.env.facts import EnvFacts
from bastion.env.rule import REGISTRY, env_rule
from bastion.findings import Finding, Location, Severity


@env_rule("E301", "writable-by-others", severity=Severity.HIGH, cwe=732)
def writable_by_others(facts: EnvFacts) -> Iterator[Finding]:
    """A directory on the path, one of its parents, or the interpreter is writable by others.

    ## What it does
    Checks every directory on the target's `sys.path`, each of its parents up to the root,
    the venv's `pyvenv.cfg` and the interpreter (the venv's `bin/python` and the base it
    runs), and reports one writable by group or others, or owned by another user who is not
    root. A parent with the sticky bit (such as `/tmp`) is not reported: others can add
    entries there, but not replace yours.

    ## Why is this bad?
    Anyone who can write to a directory on the path can plant a module that the project
    imports (`json.py` beside the standard library's), or replace the interpreter itself.

    ## Example
    ```sh
    chmod 777 .venv/lib/python3.12/site-packages
    ```

    ## Use instead
    ```sh
    chmod go-w .venv/lib/python3.12/site-packages
    ```
    """
    me = os.geteuid() if hasattr(os, "geteuid") else None
    seen: set[str] = set()
    for entry, where in _places(facts):
        for path, is_entry in _with_parents(entry):
            key = str(path)
            if key in seen:
                continue
            seen.add(key)
            problem = _problem(path, is_entry, me)
            if problem is not None:
                yield RULE.finding(
                    f"{path} {problem} ({where})",
                    location=Location(str(path)),
                    fix=f"chmod go-w {path} (and chown it to you or root)",
                    key=key,
                )


def _places(facts: EnvFacts) -> Iterator[tuple[Path, str]]:
    for entry, source in facts.sys_path:
        if entry.exists():
            yield Path(os.path.abspath(entry)), f"on sys.path from {source}"
    target = facts.target
    if target.venv is not None:
        venv = Path(os.path.abspath(target.venv))
        yield venv / "pyvenv.cfg", "the venv's configuration"
        for name in ("python", "python3"):
            if (venv / "bin" / name).exists():
                yield venv / "bin" / name, "the venv's interpreter"
    if target.base is not None:
        yield target.base, "the interpreter that runs"


def _with_parents(path: Path) -> Iterator[tuple[Path, bool]]:
    yield path, True
    for parent in path.parents:
        yield parent, False


def _problem(path: Path, is_entry: bool, me: int | None) -> str | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    mode = info.st_mode
    sticky = stat.S_ISDIR(mode) and bool(mode & stat.S_ISVTX) and not is_entry
    if mode & (stat.S_IWGRP | stat.S_IWOTH) and not sticky:
        who = "others" if mode & stat.S_IWOTH else "its group"
        return f"is writable by {who} (mode {stat.S_IMODE(mode):o})"
    if me is not None and info.st_uid not in (0, me):
        return f"is owned by another user (uid {info.st_uid})"
    return None


RULE = REGISTRY["E301"]
