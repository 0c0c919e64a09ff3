"""The interface every check implements, and the context it runs in."""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from bastion.config import Option, Settings
from bastion.errors import BastionError
from bastion.findings import Diagnostic, Finding

if TYPE_CHECKING:
    from bastion.inventory.model import Dependency, Inventory
    from bastion.ruledoc import RuleDoc


# No `__eq__`: nothing compares these, and each generated method costs start-up time.
@dataclass(slots=True, eq=False)
class CheckContext:
    """What a check may use: the project, the settings, and shared, lazily built knowledge.

    Checks add `Diagnostic`s for what the user should know about the run (a skipped line, the
    age of the advisory data), `data_status` lines describing the data they used, and counts in
    `stats` (e.g. `{"dependencies": 648}`, `{"files": 2800}`) that reports show as a summary.
    """

    project: Path
    settings: Settings
    command: str = ""
    """The command being run (`check`, `verify` ...): a check may do more under `check`."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    data_status: list[str] = field(default_factory=list)
    advice: list[str] = field(default_factory=list)
    """Advice given once per run, not findings (the publish check's account advice)."""
    audited: list[Dependency] = field(default_factory=list)
    """Every dependency the audit checked (the JSON report lists them)."""
    inputs: list[str] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)
    incomplete: list[str] = field(default_factory=list)
    nothing: list[str] = field(default_factory=list)
    """Checks that found nothing of theirs to check (a scan of a folder without Python)."""
    _inventory: Inventory | None = None
    _inventory_error: BastionError | None = None

    def inventory(self) -> Inventory:
        """The project's dependencies, read once and shared by every check (an input that
        cannot be read fails each check that asks, with the same error, read once)."""
        if self._inventory_error is not None:
            raise self._inventory_error
        if self._inventory is None:
            from bastion.inventory.discover import load_inventory, load_recursive

            recursive = self.settings.get("recursive", False) and self.project.is_dir()
            read = load_recursive if recursive else load_inventory
            try:
                self._inventory = read(self.project, self.settings, self.diagnostics)
            except BastionError as exc:
                self._inventory_error = exc
                raise
            self.inputs.extend(self._inventory.sources)
        return self._inventory

    def warn(self, message: str) -> None:
        self.diagnostics.append(Diagnostic(message))

    def partial(self, message: str) -> None:
        """Part of what a check should have read it could not (files not analysed): like a
        failed data source, the run exits 3 unless the user allowed partial results, and
        every report says what is missing. The check's other findings still count."""
        if self.settings.get("allow_partial", False):
            self.warn(f"{message} (--allow-partial)")
        else:
            self.incomplete.append(message)


class Check(Protocol):
    """A check: its name, what it does in one line, its options, and context -> findings.

    `rules()` documents every rule ID the check's findings can carry (`bastion.ruledoc`);
    `explain(ID)` renders one for `bastion explain ID`, or returns None when the ID is not
    the check's. A check whose IDs are data rather than rules (the audit's advisory IDs)
    lists none and explains them from its data.
    """

    name: str
    summary: str
    options: tuple[Option, ...]

    def run(self, ctx: CheckContext) -> Iterable[Finding]: ...

    def rules(self) -> list[RuleDoc]: ...

    def explain(self, rule_id: str) -> str | None: ...


def load_check(name: str) -> Check:
    """The `CHECK` of the registered check `name` (its module imported on first use)."""
    from bastion.checks import CHECKS

    check: Check = importlib.import_module(CHECKS[name]).CHECK
    return check


def check_options(names: Iterable[str]) -> tuple[Option, ...]:
    """The options of the named checks, each once (checks may share one, like `offline`)."""
    found: dict[str, Option] = {}
    for name in names:
        for option in load_check(name).options:
            found.setdefault(option.dest, option)
    return tuple(found.values())
