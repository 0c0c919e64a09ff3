"""Sdists and wheels about to be uploaded (`bastion publish --dist DIR`), read in memory.

Nothing is extracted to disk and nothing runs: a wheel is a zip, an sdist a tar (gzip), and
each member is read from the archive with limits (members, bytes per member, bytes in all)
so that a bomb is a refusal, not an exhausted machine. Links, devices and members that would
leave the archive's folder are not read (and said). What is read: member names (files that
should not ship), the content of text members (credentials), a wheel's RECORD against its
members' hashes, `.pth` files with code in a wheel, and the core metadata (`METADATA` of a
wheel, `PKG-INFO` of an sdist) through `packaging.metadata` (what PyPI would reject), sdist
and wheel of one release compared.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import tarfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from bastion.errors import InputError
from bastion.publish.secrets import Secret, find_secrets

MAX_MEMBERS = 20_000
MAX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 512 * 1024 * 1024
LARGE_BINARY = 20 * 1024 * 1024
#: Names (any folder) that should never ship.
UNWANTED_NAMES = frozenset(
    {".env", ".pypirc", ".netrc", "id_rsa", "id_ed25519", ".git-credentials"}
)
UNWANTED_SUFFIXES = (".pem", ".key", ".p12", ".pfx")
UNWANTED_FOLDERS = frozenset({".git", "__pycache__", ".tox", ".venv", ".mypy_cache", ".hg"})


@dataclass(slots=True)
class Artifact:
    path: Path
    kind: str  # "wheel" or "sdist"
    members: dict[str, bytes] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)
    """Members not read, and why (links, paths leaving the folder, limits)."""
    metadata: dict[str, object] | None = None
    metadata_problems: list[str] = field(default_factory=list)

    @property
    def name_version(self) -> tuple[str, str] | None:
        if self.metadata is None:
            return None
        return str(self.metadata.get("name", "")), str(self.metadata.get("version", ""))


def read_dist(folder: Path) -> list[Artifact]:
    if not folder.is_dir():
        raise InputError("--dist: not a folder", folder)
    found = []
    for path in sorted(folder.iterdir()):
        if path.suffix == ".whl":
            found.append(_wheel(path))
        elif path.name.endswith((".tar.gz", ".zip")):
            found.append(_sdist(path))
    return found


def _wheel(path: Path) -> Artifact:
    artifact = Artifact(path, "wheel")
    try:
        with zipfile.ZipFile(path) as archive:
            total = 0
            infos = archive.infolist()
            if len(infos) > MAX_MEMBERS:
                artifact.refused.append(f"{len(infos):,} members, more than {MAX_MEMBERS:,}")
                return artifact
            for info in infos:
                name = info.filename
                if info.is_dir():
                    continue
                if _leaves(name):
                    artifact.refused.append(f"{name}: leaves the archive's folder")
                    continue
                if info.file_size > MAX_MEMBER_BYTES or total + info.file_size > MAX_TOTAL_BYTES:
                    artifact.refused.append(f"{name}: over the size limits")
                    continue
                with archive.open(info) as handle:
                    data = handle.read(MAX_MEMBER_BYTES + 1)
                if len(data) > MAX_MEMBER_BYTES:  # the header lied: a bomb
                    artifact.refused.append(f"{name}: expands past {MAX_MEMBER_BYTES:,} bytes")
                    continue
                total += len(data)
                artifact.members[name] = data
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(f"not a readable wheel: {exc}", path) from None
    meta = next(
        (n for n in artifact.members if n.count("/") == 1 and n.endswith(".dist-info/METADATA")),
        None,
    )
    _metadata(artifact, artifact.members.get(meta) if meta else None)
    return artifact


def _sdist(path: Path) -> Artifact:
    artifact = Artifact(path, "sdist")
    if path.suffix == ".zip":
        artifact.refused.append("a .zip sdist: not read (PyPI accepts only .tar.gz sdists)")
        return artifact
    try:
        with tarfile.open(path, "r:gz") as archive:
            total = count = 0
            for member in archive:
                count += 1
                if count > MAX_MEMBERS:
                    artifact.refused.append(f"more than {MAX_MEMBERS:,} members")
                    break
                name = member.name
                if member.isdir():
                    continue
                if not member.isfile():
                    artifact.refused.append(f"{name}: a link or special file; not read")
                    continue
                if _leaves(name):
                    artifact.refused.append(f"{name}: leaves the archive's folder")
                    continue
                if member.size > MAX_MEMBER_BYTES or total + member.size > MAX_TOTAL_BYTES:
                    artifact.refused.append(f"{name}: over the size limits")
                    continue
                handle = archive.extractfile(member)
                if handle is None:
                    continue
                data = handle.read(MAX_MEMBER_BYTES + 1)
                total += len(data)
                artifact.members[name] = data
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise InputError(f"not a readable sdist: {exc}", path) from None
    info = next(
        (n for n in artifact.members if n.count("/") == 1 and n.endswith("/PKG-INFO")), None
    )
    _metadata(artifact, artifact.members.get(info) if info else None)
    return artifact


def _leaves(name: str) -> bool:
    return name.startswith(("/", "\\")) or ".." in name.replace("\\", "/").split("/")


def _metadata(artifact: Artifact, raw: bytes | None) -> None:
    from packaging.metadata import ExceptionGroup, Metadata, parse_email

    if raw is None:
        artifact.metadata_problems.append("no core metadata (METADATA / PKG-INFO) at the top")
        return
    fields, unparsed = parse_email(raw)
    artifact.metadata = dict(fields)
    for key in unparsed:
        artifact.metadata_problems.append(f"unparsable metadata field {key!r}")
    try:
        Metadata.from_raw(fields, validate=True)
    except ExceptionGroup as group:
        artifact.metadata_problems.extend(str(e) for e in group.exceptions)
    except ValueError as exc:
        artifact.metadata_problems.append(str(exc))


def unwanted(name: str, size: int) -> str | None:
    """Why a member should not ship, or None."""
    parts = name.split("/")
    if UNWANTED_FOLDERS & set(parts[:-1]):
        return f"a {next(p for p in parts[:-1] if p in UNWANTED_FOLDERS)}/ folder"
    base = parts[-1]
    if base in UNWANTED_NAMES or base.startswith(".env."):
        return "a credentials file"
    if base.endswith(UNWANTED_SUFFIXES):
        return "a key or certificate file"
    if size > LARGE_BINARY and not base.endswith((".so", ".pyd", ".dll", ".dylib")):
        return f"a large file ({size / 1e6:.0f} MB)"
    return None


def secrets_in(artifact: Artifact) -> list[tuple[str, Secret]]:
    found: list[tuple[str, Secret]] = []
    for name, data in artifact.members.items():
        if b"\0" in data[:8000]:
            continue
        found.extend((name, secret) for secret in find_secrets(data))
    return found


def record_problems(artifact: Artifact) -> list[str]:
    """A wheel's RECORD against its members: listed but absent, present but unlisted, or a
    hash that differs."""
    record_name = next(
        (n for n in artifact.members if n.count("/") == 1 and n.endswith(".dist-info/RECORD")), None
    )
    if record_name is None:
        return ["no .dist-info/RECORD"]
    problems = []
    rows = list(csv.reader(io.StringIO(artifact.members[record_name].decode("utf-8", "replace"))))
    listed = set()
    for row in rows:
        if not row or not row[0]:
            continue
        name = row[0]
        listed.add(name)
        digest = row[1] if len(row) > 1 else ""
        data = artifact.members.get(name)
        if data is None:
            problems.append(f"{name}: in RECORD, not in the wheel")
            continue
        if not digest:
            continue
        algorithm, _, value = digest.partition("=")
        try:
            actual = base64.urlsafe_b64encode(hashlib.new(algorithm, data).digest()).rstrip(b"=")
        except ValueError:
            problems.append(f"{name}: RECORD names an unknown hash {algorithm!r}")
            continue
        if actual.decode() != value.rstrip("="):
            problems.append(f"{name}: its {algorithm} differs from RECORD")
    for name in artifact.members:
        if name not in listed and not name.endswith(".dist-info/RECORD"):
            problems.append(f"{name}: in the wheel, not in RECORD")
    return problems
