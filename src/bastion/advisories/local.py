"""The local advisory database as an `AdvisorySource` (`--source db`, the default).

Answers from the store's precomputed per-package indexes (`segments.PackageIndex`): per
package, a bisect into its version segments gives the vulnerabilities (records already
grouped at import), their fix versions and the smallest clean upgrade. Two indexed queries
in all: the packages' rows, then the records that affect them. Never touches the network.
`matching.match_package` answers the same question by plain evaluation; a test over the
whole PyPA snapshot keeps the two in agreement.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bastion.advisories.records import Group, PackageResult, SourceStatus, Vulnerability
from bastion.advisories.store import Store

if TYPE_CHECKING:
    from bastion.advisories.segments import PackageIndex
    from bastion.config import Settings


class LocalSource:
    """The local SQLite store as an `AdvisorySource`."""

    def __init__(self, path: Path | None = None, *, brief: bool = False) -> None:
        self.store = Store.open(path)
        self.brief = brief

    def describe(self) -> SourceStatus:
        info = self.store.info()
        return SourceStatus(
            kind="local database",
            location=info.source,
            records=info.records,
            packages=info.packages,
            imported_at=info.imported_at,
            newest_record=info.newest_record,
            extra={"path": str(self.store.path)},
        )

    def audit(self, packages: Sequence[tuple[str, str]]) -> dict[tuple[str, str], PackageResult]:
        return match_pins(self.store, packages, brief=self.brief)

    def close(self) -> None:
        self.store.close()


def open_source(settings: Settings, *, brief: bool = False) -> LocalSource:
    """The registry's entry point (`source.SOURCES`)."""
    return LocalSource(brief=brief)


def match_pins(
    store: Store, packages: Sequence[tuple[str, str]], *, brief: bool = False
) -> dict[tuple[str, str], PackageResult]:
    """Match `(normalized name, version)` pairs against the store's package indexes.

    Pairs whose version is not PEP 440 are left out. `brief` leaves records' details and
    reference URLs empty (see `Store.records`).
    """
    from bastion.advisories.versionkey import key_of

    indexes = store.package_indexes(name for name, _version in packages)
    hits: list[tuple[str, str, str, PackageIndex, tuple[tuple[str, ...], ...]]] = []
    wanted: set[str] = set()
    results: dict[tuple[str, str], PackageResult] = {}
    for name, version in packages:
        key = key_of(version)
        if key is None:
            continue
        index = indexes.get(name)
        groups = index.groups(key) if index is not None else ()
        if index is None or not groups:
            results[name, version] = PackageResult(name, version, (), None)
            continue
        ids = index.ids
        wanted.update(ids[int(m)] for members in groups for m in members)
        hits.append((name, version, key, index, groups))
    records = store.records(wanted, brief=brief)
    for name, version, key, index, groups in hits:
        ids = index.ids
        vulnerabilities = tuple(
            Vulnerability(
                Group(tuple(records[ids[int(m)]] for m in members)),
                index.fix_versions(key, members),
                index.functions_of(members),
            )
            for members in groups
        )
        results[name, version] = PackageResult(name, version, vulnerabilities, index.upgrade(key))
    return results
