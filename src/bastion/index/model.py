"""What a package index says about a project: its files and its status."""

from __future__ import annotations

from dataclasses import dataclass, field

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
    core_metadata: bool = False

    @property
    def is_wheel(self) -> bool:
        return self.filename.lower().endswith(".whl")

    @property
    def is_sdist(self) -> bool:
        return self.filename.lower().endswith(_SDIST_SUFFIXES)

    def digest(self, algorithm: str = "sha256") -> str | None:
        return self.hashes.get(algorithm)


@dataclass(frozen=True, slots=True)
class ProjectFiles:
    """A project's page on the index: every file, the versions, the project's status."""

    name: str
    url: str
    files: tuple[DistributionFile, ...] = ()
    versions: tuple[str, ...] = ()
    status: str = "active"
    status_reason: str | None = None
    api_version: str = "1.0"
    last_serial: int | None = None

    def files_of(self, version: str) -> list[DistributionFile]:
        """The files of one version, found by their file names (wheel or sdist)."""
        from packaging.utils import (
            InvalidSdistFilename,
            InvalidWheelFilename,
            canonicalize_version,
            parse_sdist_filename,
            parse_wheel_filename,
        )

        wanted = canonicalize_version(version)
        found: list[DistributionFile] = []
        for item in self.files:
            try:
                if item.is_wheel:
                    file_version = parse_wheel_filename(item.filename)[1]
                elif item.filename.lower().endswith((".tar.gz", ".zip")):
                    file_version = parse_sdist_filename(item.filename)[1]
                else:
                    continue
            except (InvalidWheelFilename, InvalidSdistFilename):
                continue
            if canonicalize_version(file_version) == wanted:
                found.append(item)
        return found
