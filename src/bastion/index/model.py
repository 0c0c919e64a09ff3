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
        "_asked",
        "_by_version",
        "_entries",
        "_files",
        "_first",
        "_read",
        "_read_entry",
        "api_version",
        "last_serial",
        "name",
        "status",
        "status_reason",
        "url",
        "versions",
        "wanted",
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
        self._asked: dict[str, list[int]] = {}  # versions looked up before a whole index
        self._read: dict[int, DistributionFile] = {}  # entries read one by one
        self._first: tuple[bool, str | None] | None = None  # first_attested(), once
        self.wanted: set[str] = set()
        """The canonical versions asked for (what a stored summary keeps)."""

    @property
    def files(self) -> tuple[DistributionFile, ...]:
        """Every file of the page, in the index's order."""
        if self._files is None:
            self._files = tuple(self._file(i) for i in range(len(self._entries)))
        return self._files

    def files_of(self, version: str) -> list[DistributionFile]:
        """The files of one version (PEP 440-equal: `1.0` is `1.0.0`), by their names.

        A check asks for one or two versions of a page that may list 10,000 files: only
        names that contain every nonzero release number of the version (as digits; the
        version in a name is those digits, maybe with leading zeros) are split and compared.
        The whole page is indexed once a third version is asked for."""
        from packaging.utils import canonicalize_version

        wanted = canonicalize_version(version, strip_trailing_zero=True)
        self.wanted.add(wanted)
        if self._by_version is None and len(self._asked) >= 2:
            self._by_version = self._index_versions()
        return [self._file(i) for i in self._positions(wanted)]

    def _positions(self, wanted: str) -> list[int]:
        """The positions of the files of the canonical version `wanted`."""
        if self._by_version is not None:
            return self._by_version.get(wanted, [])
        cached = self._asked.get(wanted)
        if cached is None:
            cached = self._asked[wanted] = self._positions_of(wanted)
        return cached

    def attested_before(self, moment: str | None) -> bool:
        """Whether any file uploaded before `moment` (an ISO 8601 `upload-time`; None: any
        file) has provenance."""
        attested, earliest = self.first_attested()
        if moment is None:
            return attested
        return earliest is not None and earliest < moment

    def first_attested(self) -> tuple[bool, str | None]:
        """Whether any file has provenance, and the earliest `upload-time` of those."""
        if self._first is not None:
            return self._first
        found, earliest = False, None
        for entry in self._entries:
            if isinstance(entry, DistributionFile):
                url, uploaded = entry.provenance, entry.upload_time
            else:
                url, uploaded = entry.get("provenance"), entry.get("upload-time")
            if url:
                found = True
                if isinstance(uploaded, str) and (earliest is None or uploaded < earliest):
                    earliest = uploaded
        self._first = (found, earliest)
        return self._first

    def summary(self) -> dict[str, Any]:
        """What a later run needs of this page when it asks the same versions again
        (`ProjectView` reads it back): the page's facts, whether and since when files are
        attested, and the raw entries of each version asked, with their positions."""
        files = {
            version: [[i, self._raw(i)] for i in self._positions(version)]
            for version in sorted(self.wanted)
        }
        return self._summary(files)

    def _summary(self, files: dict[str, list[list[Any]]]) -> dict[str, Any]:
        attested, earliest = self.first_attested()
        return {
            "name": self.name,
            "versions": list(self.versions),
            "status": self.status,
            "reason": self.status_reason,
            "api-version": self.api_version,
            "last-serial": self.last_serial,
            "attested": attested,
            "first-attested": earliest,
            "files": files,
        }

    def _raw(self, index: int) -> Any:
        entry = self._entries[index]
        if isinstance(entry, DistributionFile):
            return {
                "filename": entry.filename,
                "url": entry.url,
                "hashes": entry.hashes,
                "requires-python": entry.requires_python,
                "yanked": False if entry.yanked is None else (entry.yanked or True),
                "upload-time": entry.upload_time,
                "size": entry.size,
                "core-metadata": entry.core_metadata,
                **({"provenance": entry.provenance} if entry.provenance_known else {}),
            }
        return entry

    def _file(self, index: int) -> DistributionFile:
        if self._files is not None:
            return self._files[index]
        read = self._read.get(index)
        if read is not None:
            return read
        entry = self._entries[index]
        if isinstance(entry, DistributionFile):
            return entry
        if self._read_entry is None:
            raise TypeError("ProjectFiles: raw entries need read_entry")
        read = self._read[index] = self._read_entry(entry, index, self.url)
        return read

    def _positions_of(self, wanted: str) -> list[int]:
        from packaging.utils import canonicalize_version
        from packaging.version import InvalidVersion, Version

        try:
            release = Version(wanted).release
        except InvalidVersion:
            return self._index_versions().get(wanted, [])
        needles = sorted({str(number) for number in release if number}, key=len, reverse=True)
        first = needles[0] if needles else ""
        rest = needles[1:]
        found = []
        equal: dict[str, bool] = {wanted: True}  # raw version -> canonically `wanted`
        for position, entry in enumerate(self._entries):
            name = entry.filename if isinstance(entry, DistributionFile) else entry.get("filename")
            if name.__class__ is not str:
                self._file(position)  # raises the format's error, naming the entry
                continue
            if first not in name or (rest and not all(needle in name for needle in rest)):
                continue
            raw = _version_in(name)
            if raw is None:
                continue
            same = equal.get(raw)
            if same is None:
                same = equal[raw] = canonicalize_version(raw, strip_trailing_zero=True) == wanted
            if same:
                found.append(position)
        return found

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


class ProjectView(ProjectFiles):
    """A page read back from its stored `summary()`: the files of the versions asked
    before, without parsing the whole page (a cached run of a lock of 56 projects would
    otherwise parse 21 MB of JSON). Another version, or every file, loads the whole page
    (`load`) and answers from it."""

    __slots__ = ("_attested", "_first_attested", "_known", "_load", "_whole")

    def __init__(
        self,
        url: str,
        summary: Mapping[str, Any],
        known: dict[str, list[tuple[int, Any]]],
        load: Callable[[], ProjectFiles],
        read_entry: Callable[[Mapping[str, Any], int, str], DistributionFile],
    ) -> None:
        super().__init__(
            name=str(summary["name"]),
            url=url,
            versions=tuple(summary["versions"]),
            status=str(summary["status"]),
            status_reason=summary["reason"],
            api_version=str(summary["api-version"]),
            last_serial=summary["last-serial"],
            read_entry=read_entry,
        )
        self._known = known
        self._attested = bool(summary["attested"])
        self._first_attested: str | None = summary["first-attested"]
        self._load = load
        self._whole: ProjectFiles | None = None

    @classmethod
    def read(
        cls,
        url: str,
        summary: Any,
        load: Callable[[], ProjectFiles],
        read_entry: Callable[[Mapping[str, Any], int, str], DistributionFile],
    ) -> ProjectView | None:
        """The view of a stored summary; None when it is not of `summary()`'s shape."""
        if not isinstance(summary, dict):
            return None
        strings = ("name", "status", "api-version")
        if not all(isinstance(summary.get(k), str) for k in strings):
            return None
        versions, files = summary.get("versions"), summary.get("files")
        if not isinstance(versions, list) or not all(isinstance(v, str) for v in versions):
            return None
        if not isinstance(summary.get("attested"), bool) or not isinstance(files, dict):
            return None
        for key in ("reason", "first-attested"):
            if summary.get(key) is not None and not isinstance(summary.get(key), str):
                return None
        serial = summary.get("last-serial")
        if serial is not None and (not isinstance(serial, int) or isinstance(serial, bool)):
            return None
        known: dict[str, list[tuple[int, Any]]] = {}
        for version, entries in files.items():
            if not isinstance(entries, list):
                return None
            pairs = []
            for pair in entries:
                if not (
                    isinstance(pair, list)
                    and len(pair) == 2
                    and isinstance(pair[0], int)
                    and isinstance(pair[1], dict)
                ):
                    return None
                pairs.append((pair[0], pair[1]))
            known[version] = pairs
        return cls(url, summary, known, load, read_entry)

    @property
    def files(self) -> tuple[DistributionFile, ...]:
        return self._whole_page().files

    def files_of(self, version: str) -> list[DistributionFile]:
        from packaging.utils import canonicalize_version

        wanted = canonicalize_version(version, strip_trailing_zero=True)
        self.wanted.add(wanted)
        known = self._known.get(wanted)
        if known is None:
            return self._whole_page().files_of(version)
        found = []
        for position, entry in known:
            read = self._read.get(position)
            if read is None:
                read = self._read[position] = self._read_entry_at(entry, position)
            found.append(read)
        return found

    def first_attested(self) -> tuple[bool, str | None]:
        return self._attested, self._first_attested

    @property
    def grew(self) -> bool:
        """Whether versions beyond the stored summary's were asked (worth storing again)."""
        return not self.wanted <= set(self._known)

    def summary(self) -> dict[str, Any]:
        whole = self._whole
        if whole is not None:
            whole.wanted |= self.wanted
            return whole.summary()
        stored = {version: [[i, raw] for i, raw in pairs] for version, pairs in self._known.items()}
        return self._summary(stored)

    def _read_entry_at(self, entry: Any, position: int) -> DistributionFile:
        if self._read_entry is None:
            raise TypeError("ProjectView needs read_entry")
        return self._read_entry(entry, position, self.url)

    def _whole_page(self) -> ProjectFiles:
        if self._whole is None:
            self._whole = self._load()
        return self._whole


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
