"""Which interpreter `bastion env` looks at, and what it is, without running anything of it.

The target is `--python PATH` (an interpreter or a venv folder); else the project's `.venv/`
or `venv/`; else the venv `VIRTUAL_ENV` names; else the interpreter bastion runs under (the
report says which). A venv is read from its files (`pyvenv.cfg`, its site-packages); the
interpreter that is run for the facts only files can't give (the standard library's paths,
the version, `sys.stdlib_module_names`) is its base interpreter, the one `home` names, and
only when that resolves outside the project and the venv (`inventory.installed` follows the
same rule). It runs the fixed `introspect.SCRIPT` with `-I -S`.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bastion.env.introspect import SCRIPT
from bastion.errors import InputError


@dataclass(slots=True)
class Target:
    """The interpreter or venv under inspection and what is known of it."""

    path: Path
    how: str
    """How it was chosen: `--python`, `the project's .venv`, `VIRTUAL_ENV`, ..."""
    venv: Path | None = None
    config: dict[str, str] = field(default_factory=dict)
    base: Path | None = None
    """The interpreter that was run for `facts` (a venv's base, or a system interpreter)."""
    facts: dict[str, Any] | None = None
    problem: str | None = None
    """Why no interpreter could be asked (the base is gone, lies inside the project ...)."""
    site_dirs: tuple[Path, ...] = ()
    """Its own site-packages (a venv's), or a system interpreter's."""
    base_site_dirs: tuple[Path, ...] = ()
    """The base interpreter's site-packages, when a venv includes them."""

    @property
    def system_site(self) -> bool:
        return self.config.get("include-system-site-packages", "").lower() == "true"

    @property
    def version(self) -> str | None:
        if self.facts is not None:
            return ".".join(str(part) for part in self.facts["version"])
        return self.config.get("version_info") or self.config.get("version")


def choose(project: Path, named: str | None) -> Target:
    """The target (see the module docstring)."""
    if named:
        return inspect(Path(named), "--python", project)
    from bastion.inventory.installed import project_venv

    own = project_venv(project)
    if own is not None:
        return inspect(own, f"the project's {own.name}", project)
    active = os.environ.get("VIRTUAL_ENV")
    if active and (Path(active) / "pyvenv.cfg").is_file():
        return inspect(Path(active), "VIRTUAL_ENV", project)
    return inspect(Path(sys.executable), "the interpreter bastion runs under", project)


def inspect(path: Path, how: str, project: Path) -> Target:
    from bastion.inventory.installed import (
        base_interpreter,
        outside,
        pyvenv_config,
        venv_layout,
        venv_root,
    )

    if not path.exists() and not path.is_symlink():
        raise InputError("no such interpreter or environment", path)
    venv = venv_root(path)
    if venv is None and path.is_dir():
        raise InputError("not an interpreter or a virtual environment (no pyvenv.cfg)", path)
    target = Target(path=path, how=how, venv=venv)
    inspected = (project, venv) if venv is not None else (project,)
    if venv is not None:
        target.config = pyvenv_config(venv / "pyvenv.cfg")
        target.site_dirs = venv_layout(venv, target.config)
        base = base_interpreter(target.config)
        if base is None:
            target.problem = (
                f"its base interpreter (home = {target.config.get('home', '?')}) is gone"
            )
            return target
        candidate = base
    else:
        candidate = path
    runnable = outside(candidate, tuple(inspected))
    if runnable is None:
        target.problem = f"{candidate} lies inside the project or the venv; bastion does not run it"
        return target
    try:
        target.facts = ask(runnable, shown=candidate)
    except InputError as exc:
        target.problem = exc.reason
        return target
    target.base = runnable
    site = tuple(Path(p) for p in target.facts["site"])
    if venv is None:
        target.site_dirs = site
    elif target.system_site:
        target.base_site_dirs = site
    return target


def ask(python: Path, *, shown: Path) -> dict[str, Any]:
    """Run `python -I -S -c SCRIPT` (nothing of site-packages runs) and read its answer."""
    from bastion.inventory.installed import run_isolated

    answer = run_isolated(python, SCRIPT, shown=shown, what="its facts")
    if not _well_formed(answer):
        raise InputError("the interpreter did not report its facts", shown)
    return dict(answer)


def _well_formed(answer: Any) -> bool:
    if not isinstance(answer, dict):
        return False
    lists = ("version", "path", "site", "stdlib_modules")
    if not all(isinstance(answer.get(k), list) for k in lists):
        return False
    strings = ("implementation", "executable", "prefix", "base_prefix", "user_site")
    return all(isinstance(answer.get(k), str) for k in strings) and all(
        isinstance(p, str) for k in ("path", "site", "stdlib_modules") for p in answer[k]
    )
