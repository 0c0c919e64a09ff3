"""The seam between the audit check and where advisories come from: an interface and a registry.

An `AdvisorySource` answers one question for a batch of pinned packages: which advisories
affect each `(normalized name, PEP 440 version)`, grouped into distinct vulnerabilities, with
each one's fix versions and the package's smallest safe upgrade (`records.PackageResult`).
Choosing that upgrade needs every advisory of the package, not only those affecting the pinned
version, so a source must look at all of them. `describe()` gives what the report says about
the data (`SourceStatus.line()`): the kind of source, how many records, from where, how old.

`SOURCES` names each source's module (`--source NAME`); the module exposes
`open_source(settings, *, brief) -> AdvisorySource` and is imported only when chosen:

- `db` (the default): `local.LocalSource`, the SQLite store filled by `bastion db import` /
  `bastion db update`. Never touches the network.
- `osv-api`: `osv_api.OsvApiSource`, a live OSV API (`--osv-url`).

Adding a source is one module and one line here.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from bastion.errors import InputError

if TYPE_CHECKING:
    from bastion.advisories.records import PackageResult, SourceStatus
    from bastion.config import Settings

SOURCES: dict[str, str] = {
    "db": "bastion.advisories.local",
    "osv-api": "bastion.advisories.osv_api",
}


class AdvisorySource(Protocol):
    """Where advisories come from. See the module docstring."""

    def describe(self) -> SourceStatus: ...

    def audit(self, packages: Sequence[tuple[str, str]]) -> dict[tuple[str, str], PackageResult]:
        """The result for each `(normalized name, PEP 440 version)` (unknown packages may be
        left out or given an empty result)."""
        ...

    def close(self) -> None:
        """Release files or connections."""
        ...


def open_source(settings: Settings, *, brief: bool = False) -> AdvisorySource:
    """The source the settings name (`source`, default `db`).

    `brief`: the caller needs no details or reference URLs (a source may still give them).
    """
    kind = settings.get("source", "db")
    module_path = SOURCES.get(kind)
    if module_path is None:
        raise InputError(f"unknown advisory source {kind!r} (expected {', '.join(SOURCES)})")
    source: AdvisorySource = importlib.import_module(module_path).open_source(settings, brief=brief)
    return source
