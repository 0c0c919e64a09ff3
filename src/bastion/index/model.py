"""What a package index says about a project: its files and its status."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

#: PEP 792 statuses. `active` is what a project without a status is.
STATUSES = frozenset({"active", "archived", "quarantined", "deprecated"})

_SDIST_SUFFIXES = (".tar.gz", ".zip", ".tar.bz2", ".tar.xz", ".tgz", ".tar")


@dataclass(frozen=True, slots=True)
class DistributionFile:
    """One file the index publishes for a project (a wheel or an sdist).

    `hashes` maps algorithm names (`sha256`) to lower-case hex digests. `yanked` is None when
    the file is not yanked, else the reason (`""` when none was given). `provenance` is the
    URL of its PEP 740 provenance, when the index has one.
    """

    filename: str
    url: str
    hashes: dict[str, str] = field(default_factory=dict)
    requires_python: str | None = None
    yanked: str | None = None
    upload_time: str | None = None
    size: int | None = None
    provenance: str | None = None
    provenance_known: bool = False
    """Whether the page says anything of provenance (PEP 740's key, a URL or null): an
    index that predates PEP 740, or a proxy that drops the key, says nothing."""
    core_metadata: bool = False

    @property
    def is_wheel(self) -> bool:
        return self.filename.lower().endswith(".whl")

    @property
    def is_sdist(self) -> bool:
        return self.filename.lower().endswith(_SDIST_SUFFIXES)

    def digest(self, algorithm: str = "sha256") -> str | None:
        return self.hashes.get(algorithm)


class ProjectFiles:
    """A project's page on the index: every file, the versions, the project's status.

    The files are kept as the index sent them and read on demand (by `read_entry`, the
    format's reader; entries may be `DistributionFile`s already): a large project's page
    lists tens of thousands (ruff: 5,000), while a check asks about the few of one version.
    `files_of(version)` reads only those, finding them by file name; `files` reads all. A
    file entry of the wrong shape is a `SourceError` naming the page and the entry, when read.
    """

    __slots__ = (
        "_by_version",
        "_entries",
        "_files",
        "_read_entry",
        "api_version",
        "last_serial",
        "name",
        "status",
        "status_reason",
        "url",
        "versions",
    )

    def __init__(
        self,
        name: str,
        url: str,
        entries: Sequence[Mapping[str, Any] | DistributionFile] = (),
        *,
        versions: tuple[str, ...] = (),
        status: str = "active",
        status_reason: str | None = None,
        api_version: str = "1.0",
        last_serial: int | None = None,
        read_entry: Callable[[Mapping[str, Any], int, str], DistributionFile] | None = None,
    ) -> None:
        self.name = name
        self.url = url
        self._entries = entries
        self.versions = versions
        self.status = status
        self.status_reason = status_reason
        self.api_version = api_version
        self.last_serial = last_serial
        self._read_entry = read_entry
        self._files: tuple[DistributionFile, ...] | None = None
        self._by_version: dict[str, list[int]] | None = None

    @property
    def files(self) -> tuple[DistributionFile, ...]:
        """Every file of the page, in the index's order."""
        if self._files is None:
            self._files = tuple(self._file(i) for i in range(len(self._entries)))
        return self._files

    def files_of(self, version: str) -> list[DistributionFile]:
        """The files of one version (PEP 440-equal: `1.0` is `1.0.0`), by their names."""
        from packaging.utils import canonicalize_version

        if self._by_version is None:
            self._by_version = self._index_versions()
        wanted = canonicalize_version(version, strip_trailing_zero=True)
        return [self._file(i) for i in self._by_version.get(wanted, [])]

    def attested_before(self, moment: str | None) -> bool:
        """Whether any file uploaded before `moment` (an ISO 8601 `upload-time`; None: any
        file) has provenance, read from the entries without reading them whole."""
        for entry in self._entries:
            if isinstance(entry, DistributionFile):
                url, uploaded = entry.provenance, entry.upload_time
            else:
                url, uploaded = entry.get("provenance"), entry.get("upload-time")
            if url and (moment is None or (isinstance(uploaded, str) and uploaded < moment)):
                return True
        return False

    def _file(self, index: int) -> DistributionFile:
        if self._files is not None:
            return self._files[index]
        entry = self._entries[index]
        if isinstance(entry, DistributionFile):
            return entry
        if self._read_entry is None:
            raise TypeError("ProjectFiles: raw entries need read_entry")
        return self._read_entry(entry, index, self.url)

    def _index_versions(self) -> dict[str, list[int]]:
        """Canonical version -> positions of its files. A name is split as its format says
        (a wheel's second `-` field; an sdist's text after the last `-`); names that are
        neither are left out, as pip leaves them out."""
        from packaging.utils import canonicalize_version

        canonical: dict[str, str] = {}
        found: dict[str, list[int]] = {}
        for position, entry in enumerate(self._entries):
            name = entry.filename if isinstance(entry, DistributionFile) else entry.get("filename")
            if not isinstance(name, str):
                self._file(position)  # raises the format's error, naming the entry
                continue
            raw = _version_in(name)
            if raw is None:
                continue
            key = canonical.get(raw)
            if key is None:
                key = canonical[raw] = canonicalize_version(raw, strip_trailing_zero=True)
            found.setdefault(key, []).append(position)
        return found


_SDIST_NAME = (".tar.gz", ".zip")


def _version_in(filename: str) -> str | None:
    lowered = filename.lower()
    if lowered.endswith(".whl"):
        parts = filename[:-4].split("-")
        return parts[1] if len(parts) in (5, 6) else None
    for suffix in _SDIST_NAME:
        if lowered.endswith(suffix):
            stem = filename[: -len(suffix)]
            name, dash, version = stem.rpartition("-")
            return version if dash and name else None
    return None
