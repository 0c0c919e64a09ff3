"""What verify rules ask about, each gathered once, and only when a rule asks.

Rules never open files or the network themselves: they ask `Facts`, which reads the
inventory (shared with the audit), the package index's pages of every dependency the index
serves (one concurrent pass through `bastion.index`), pip's and uv's configuration
(`bastion.verify.sources`) and the popular names (`bastion.verify.popular`). What failed is
recorded, not raised, so that the rules that need something else still run; the check turns
the failures into one partial-result line each.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from bastion.errors import NoInputsError, SourceError
from bastion.inventory.model import Dependency, Inventory

if TYPE_CHECKING:
    from bastion.checks.base import CheckContext
    from bastion.index.client import PackageIndex
    from bastion.index.model import DistributionFile, ProjectFiles
    from bastion.verify.popular import Popular
    from bastion.verify.provenance import Provenances, Publishers
    from bastion.verify.record import Report
    from bastion.verify.sources import PackageSources, Places

#: Input kinds whose pins come from a package index and can be checked against it.
INDEX_KINDS = frozenset({"requirements", "uv", "poetry", "pylock", "pipfile-lock"})
#: Input kinds that only state ranges (a manifest): a project with only these has no lock.
MANIFEST_KINDS = frozenset({"pyproject", "pipfile"})


class Facts:
    """The run's facts for the verify rules (see the module docstring)."""

    def __init__(
        self,
        ctx: CheckContext,
        *,
        places: Places | None = None,
        open_index: Callable[[str], PackageIndex] | None = None,
    ) -> None:
        self.ctx = ctx
        self.settings = ctx.settings
        self.project_dir = ctx.project if ctx.project.is_dir() else ctx.project.parent
        self._places = places
        self._open_index = open_index
        self._inventory: Inventory | None = None
        self.no_inputs: str | None = None
        self._sources: PackageSources | None = None
        self._pages: dict[str, ProjectFiles | None] | None = None
        self._index: PackageIndex | None = None
        self.index_error: str | None = None
        self.index_requests = 0
        self._popular: Popular | None = None
        self._installed: Report | None = None
        self._environment: Path | bool | None = False  # False: not looked for yet
        self._publishers: Publishers | None = None
        self._provenances: Provenances | None = None

    # --- the inventory -----------------------------------------------------------------

    def inventory(self) -> Inventory:
        """The project's dependencies; empty (and `no_inputs` says why) when it has none."""
        if self._inventory is None:
            try:
                self._inventory = self.ctx.inventory()
            except NoInputsError as exc:
                self.no_inputs = str(exc)
                self._inventory = Inventory()
        return self._inventory

    def kind(self, dependency: Dependency) -> str | None:
        return self.inventory().kind_of(dependency)

    def locked(self) -> list[Dependency]:
        """Dependencies of requirements files and locks (what should be pinned and hashed);
        local projects (editable installs, folders) left out: they are the project's own."""
        return [
            d
            for d in self.inventory().dependencies
            if self.kind(d) in INDEX_KINDS and not d.editable and not _is_local(d.url)
        ]

    def from_index(self) -> list[Dependency]:
        """Locked dependencies pinned to a version that an index serves (no URL source)."""
        return [d for d in self.locked() if d.version is not None and d.url is None]

    # --- package sources ---------------------------------------------------------------

    def sources(self) -> PackageSources:
        if self._sources is None:
            from bastion.verify.sources import Places, read_sources

            places = self._places or Places.here(self.project_dir)
            self._sources = read_sources(
                self.project_dir,
                places,
                self.inventory().index_options,
                self.ctx.diagnostics,
            )
        return self._sources

    def index_url(self) -> str | None:
        """The index the project's packages come from: `--index-url`, else the inputs'
        own `--index-url`, else pip's configuration, else PyPI; None with `--no-index`."""
        from bastion.index.client import DEFAULT_INDEX_URL

        given = self.settings.get("index_url")
        if given:
            return str(given)
        options = self.inventory().index_options
        if any(o.option == "--no-index" for o in options):
            return None
        named = next((o.value for o in options if o.option == "--index-url" and o.value), None)
        if named:
            return named
        configured = self.sources().pip_value("index-url")
        return configured.value if configured is not None else DEFAULT_INDEX_URL

    # --- the package index -------------------------------------------------------------

    def pages(self) -> dict[str, ProjectFiles | None]:
        """The index's page of every project `from_index()` names (None: the index does not
        have it); empty when the index could not be asked (`index_error` says why)."""
        if self._pages is None:
            names = sorted({d.name for d in self.from_index()})
            self._pages = self._ask(names, refresh=False) if names else {}
        return self._pages

    def recheck(self, names: list[str]) -> dict[str, ProjectFiles | None]:
        """Fresh pages of `names` (past the cache): a surprising answer from a stored page
        may be a file uploaded since it was stored."""
        fresh = self._ask(sorted(set(names)), refresh=True)
        self.pages().update(fresh)
        return fresh

    def _ask(self, names: list[str], *, refresh: bool) -> dict[str, ProjectFiles | None]:
        if self.index_error is not None:
            return {}
        try:
            index = self._client()
            if index is None:
                return {}
            before = getattr(index, "requests", 0)
            pages = index.projects(names, refresh=refresh)
            self.index_requests += getattr(index, "requests", 0) - before
            return pages
        except SourceError as exc:
            self.index_error = str(exc)
            return {}

    def _client(self) -> PackageIndex | None:
        if self._index is None:
            url = self.index_url()
            if url is None:
                self.index_error = "the inputs say --no-index: no index to ask"
                return None
            if self._open_index is not None:
                self._index = self._open_index(url)
            else:
                from bastion.index.client import open_index

                self._index = open_index(self.settings, url)
        return self._index

    def files_of(self, dependency: Dependency) -> list[DistributionFile] | None:
        """The files the index published for the dependency's version; None when the index
        was not asked or does not have the project."""
        page = self.pages().get(dependency.name)
        if page is None or dependency.version is None:
            return None
        try:
            return page.files_of(dependency.version)
        except SourceError as exc:  # an entry of the page has the wrong shape
            self.index_error = self.index_error or str(exc)
            return None

    # --- provenance (PEP 740) --------------------------------------------------------------

    def publishers(self) -> Publishers:
        """The publishers the project recorded (`.bastion/publishers.toml`, `--publishers`,
        `[tool.bastion.publishers]`)."""
        if self._publishers is None:
            from bastion.verify.provenance import load_publishers

            named = self.settings.get("publishers")
            self._publishers = load_publishers(
                self.project_dir,
                self.settings.table,
                self.settings.config_path,
                Path(str(named)) if named else None,
            )
        return self._publishers

    @property
    def provenance_report(self) -> Provenances | None:
        """The locked artifacts' provenance, when a rule asked for it."""
        return self._provenances

    def provenance(self) -> Provenances:
        """Each hash-locked file's provenance, fetched and verified once."""
        if self._provenances is None:
            from bastion.net import cache_root
            from bastion.verify.provenance import OutcomeCache, Provenances, gather, locked_files

            locked = []
            for dependency in self.from_index():
                files = self.files_of(dependency)
                if files and dependency.hashes:
                    chosen = locked_files(dependency, files)
                    if chosen:
                        locked.append((dependency, chosen))
            index = self._client() if locked and self.index_error is None else None
            if index is None:
                self._provenances = Provenances(publishers=self.publishers())
            else:
                cache = OutcomeCache(cache_root() / "provenance")
                self._provenances = gather(locked, index, self.publishers(), cache)
        return self._provenances

    def close(self) -> None:
        if self._index is not None:
            self._index.close()

    # --- the installed environment -------------------------------------------------------

    def environment(self) -> Path | None:
        """The environment whose files to check: `--python`, else the project's `.venv/`
        or `venv/`, else the active one (`VIRTUAL_ENV`); None when there is none."""
        if self._environment is False:
            import os

            found: Path | None = None
            named = self.settings.get("python")
            if named:
                found = Path(str(named))
            else:
                from bastion.inventory.installed import project_venv

                found = project_venv(self.project_dir)
                active = os.environ.get("VIRTUAL_ENV")
                if found is None and active and (Path(active) / "pyvenv.cfg").is_file():
                    found = Path(active)
            self._environment = found
        return self._environment if isinstance(self._environment, Path) else None

    def project_environment(self) -> bool:
        """Whether the project folder has a venv of its own (`.venv/`, `venv/`)."""
        from bastion.inventory.installed import project_venv

        return project_venv(self.project_dir) is not None

    @property
    def installed_report(self) -> Report | None:
        """The installed files' report, when a rule asked for it."""
        return self._installed

    def installed(self) -> Report:
        """The environment's files against their RECORDs (read once)."""
        if self._installed is None:
            from bastion.errors import InputError
            from bastion.inventory.installed import site_packages, venv_root
            from bastion.verify.record import check_environment

            environment = self.environment()
            if environment is None:
                raise InputError(
                    "--installed: no environment to check: the project has no .venv or venv "
                    "and no VIRTUAL_ENV is active; name one with --python PATH",
                    self.project_dir,
                )
            paths = site_packages(environment, self.ctx.diagnostics, inspected=(self.project_dir,))
            self._installed = check_environment(list(paths.own), venv_root(environment))
        return self._installed

    # --- names -------------------------------------------------------------------------

    def popular(self) -> Popular:
        if self._popular is None:
            from bastion.verify.popular import load_popular

            self._popular = load_popular(self.settings.get("popular_list"))
        return self._popular


def _is_local(url: str | None) -> bool:
    """A folder or file on this machine (`file:`, a path), not something downloaded."""
    if url is None:
        return False
    lowered = url.lower()
    if lowered.startswith("file:"):
        return True
    return "://" not in lowered and not lowered.startswith(("git+", "hg+", "svn+", "bzr+"))
