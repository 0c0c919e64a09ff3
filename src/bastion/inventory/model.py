"""The one `Dependency` type every inventory reader produces."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bastion.findings import Location

_NORMALIZE = re.compile(r"[-_.]+")


def normalize_name(name: str) -> str:
    """PEP 503 normalization: runs of `-`, `_`, `.` become one `-`, lower case."""
    return _NORMALIZE.sub("-", name).lower()


@dataclass(frozen=True, slots=True)
class Dependency:
    """One dependency of the project.

    `version` is set only when the input pins one exact version (`==1.2.3`, a lock entry, an
    installed distribution); otherwise `specifier` holds the range as written and the
    dependency cannot be audited exactly. `hashes` are `algorithm:hexdigest` strings.
    """

    name: str
    version: str | None
    origin: Location | None = None
    direct: bool = True
    specifier: str = ""
    hashes: tuple[str, ...] = ()
    markers: str | None = None
    extras: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    url: str | None = None
    editable: bool = False

    @property
    def pinned(self) -> bool:
        return self.version is not None


@dataclass(slots=True)
class Inventory:
    """What one or more inputs declare: the dependencies and the files they came from."""

    dependencies: list[Dependency] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def pinned(self) -> list[Dependency]:
        return [d for d in self.dependencies if d.version is not None]

    def unpinned(self) -> list[Dependency]:
        return [d for d in self.dependencies if d.version is None]

    def extend(self, other: Inventory) -> None:
        self.dependencies.extend(other.dependencies)
        self.sources.extend(other.sources)
