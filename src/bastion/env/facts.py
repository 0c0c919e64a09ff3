"""What the env rules ask about the target interpreter, each gathered once, when asked.

`sys.path` is rebuilt as `site` would build it for a normal run of the target (not the
`-I -S` run that gave the facts): `PYTHONPATH` entries first (from the environment bastion
runs in), the standard library's entries, then the user site directory when `site` would
enable it (a system interpreter, or a venv that includes system site-packages), the
site-packages directories, and what their `.pth` files add.
"""

from __future__ import annotations

import os
import sys
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bastion.checks.base import CheckContext
    from bastion.env.startup import PthFile
    from bastion.env.target import Target


class EnvFacts:
    """The run's facts for the env rules."""

    def __init__(self, ctx: CheckContext, target: Target, environ: dict[str, str]) -> None:
        self.ctx = ctx
        self.project_dir = ctx.project if ctx.project.is_dir() else ctx.project.parent
        self.target = target
        self.environ = environ

    # --- sys.path -------------------------------------------------------------------------

    @cached_property
    def pythonpath(self) -> list[str]:
        """The raw `PYTHONPATH` entries (an empty one means the working directory)."""
        value = self.environ.get("PYTHONPATH")
        return value.split(os.pathsep) if value is not None else []

    @cached_property
    def stdlib_entries(self) -> list[Path]:
        facts = self.target.facts
        return [Path(p) for p in facts["path"]] if facts is not None else []

    @cached_property
    def user_site(self) -> Path | None:
        """The user site directory when `site` would add it and it exists."""
        facts = self.target.facts
        if facts is None or "PYTHONNOUSERSITE" in self.environ:
            return None
        if self.target.venv is not None and not self.target.system_site:
            return None
        path = Path(facts["user_site"])
        return path if path.is_dir() else None

    @cached_property
    def site_dirs(self) -> list[Path]:
        """Every site directory whose `.pth` files `site` reads, in its order."""
        found = list(self.target.site_dirs)
        if self.user_site is not None:
            found.append(self.user_site)
        found.extend(self.target.base_site_dirs)
        return [p for p in dict.fromkeys(found) if p.is_dir()]

    @cached_property
    def pth_files(self) -> list[PthFile]:
        from dataclasses import replace

        from bastion.env.startup import benign_file, read_pth_files, system_owners

        made_by_virtualenv = "virtualenv" in self.target.config
        found: list[PthFile] = []
        for site in self.site_dirs:
            found.extend(read_pth_files(site, self.owners(site), made_by_virtualenv))
        unowned = [p.path for p in found if p.owner is None and p.code]
        system = system_owners(unowned) if unowned else {}
        for index, pth in enumerate(found):
            package = system.get(pth.path)
            if package is not None:
                owner = f"the system package {package}"
                benign = benign_file(pth.path.name, package, made_by_virtualenv)
                lines = tuple(replace(c, owner=owner, benign=benign) for c in pth.code)
                found[index] = replace(pth, owner=owner, code=lines)
        return found

    def owners(self, site: Path) -> dict[str, str]:
        cache = self.__dict__.setdefault("_owners", {})
        if site not in cache:
            from bastion.env.startup import owners

            cache[site] = owners(site)
        owned: dict[str, str] = cache[site]
        return owned

    def owner_of(self, path: Path) -> str | None:
        """The distribution whose RECORD lists `path`, else the system package that
        installed it, else None."""
        for site in self.site_dirs:
            owner = self.owners(site).get(os.path.normpath(str(path)))
            if owner is not None:
                return owner
        from bastion.env.startup import system_owners

        package = system_owners([path]).get(path)
        return f"the system package {package}" if package is not None else None

    @cached_property
    def sys_path(self) -> list[tuple[Path, str]]:
        """(entry, where it comes from) in `sys.path` order, as site builds it."""
        entries: list[tuple[Path, str]] = []
        for raw in self.pythonpath:
            entries.append((Path(raw or "."), "PYTHONPATH"))
        entries.extend((p, "the standard library") for p in self.stdlib_entries)
        for site in self.site_dirs:
            entries.append((site, "site-packages"))
            for pth in self.pth_files:
                if pth.path.parent == site:
                    entries.extend((added, str(pth.path)) for added in pth.added)
        return entries

    # --- names ----------------------------------------------------------------------------

    @cached_property
    def stdlib_modules(self) -> frozenset[str]:
        facts = self.target.facts
        if facts is not None and facts["stdlib_modules"]:
            return frozenset(facts["stdlib_modules"])
        return frozenset(sys.stdlib_module_names)

    @cached_property
    def installed_modules(self) -> dict[str, str]:
        """Top-level importable name -> the distribution that installs it."""
        found: dict[str, str] = {}
        for site in self.site_dirs:
            for path, owner in self.owners(site).items():
                relative = os.path.relpath(path, site)
                if relative.startswith(".."):
                    continue
                top = relative.split(os.sep, 1)[0]
                if top.endswith(".py"):
                    top = top[:-3]
                elif os.sep not in relative or top.endswith((".dist-info", ".data")):
                    continue
                if top.isidentifier() and top != "__pycache__":
                    found.setdefault(top, owner)
        return found

    @cached_property
    def own_names(self) -> frozenset[str]:
        """The project's own import names (its `[project]` name, its `src/` packages)."""
        names: set[str] = set()
        declared = _project_name(self.project_dir / "pyproject.toml")
        if declared:
            names.add(declared.replace("-", "_").replace(".", "_").lower())
        src = self.project_dir / "src"
        if src.is_dir():
            names.update(p.name for p in src.iterdir() if (p / "__init__.py").is_file())
        return frozenset(names)

    @cached_property
    def project_modules(self) -> dict[str, Path]:
        """Top-level modules and packages in the project folder (what `python script.py`
        from it, or `python -m`, can import ahead of everything else)."""
        found: dict[str, Path] = {}
        try:
            entries = sorted(self.project_dir.iterdir())
        except OSError:
            return found
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.suffix == ".py" and entry.is_file():
                found[entry.stem] = entry
            elif entry.is_dir() and (entry / "__init__.py").is_file():
                found[entry.name] = entry
        return found


def _project_name(pyproject: Path) -> str | None:
    """`[project] name`, or None (a missing or broken pyproject is the audit's to report)."""
    from bastion.documents import parse_toml, read_text
    from bastion.errors import InputError

    if not pyproject.is_file():
        return None
    try:
        project = parse_toml(read_text(pyproject), pyproject).get("project", {})
    except InputError:
        return None
    name = project.get("name") if isinstance(project, dict) else None
    return name if isinstance(name, str) else None
