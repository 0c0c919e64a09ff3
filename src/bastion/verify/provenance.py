"""PEP 740 provenance of locked artifacts, verified with `pypi-attestations`, and the
publishers the project trusts.

For each file a lock names by hash, the index's page gives the URL of its provenance (PEP
740's `provenance` key); PyPI also serves it at `/integrity/NAME/VERSION/FILE/provenance`,
which is asked only when the page says nothing of provenance and the project has recorded
publishers (without them nothing depends on it). Each attestation is verified offline,
against Sigstore's trust root that `sigstore` bundles, for the file's digest and the
publisher the attestation bundle names: a signature that does not verify is an invalid
provenance. The publisher (kind, repository, workflow, environment) is then compared with
the one the project recorded.

Recorded publishers: `.bastion/publishers.toml` in the project (one table per project name,
the publisher's fields; `--trust-on-first-use` writes what it sees for projects not yet in
it, with tomlkit so that comments stay) and `[tool.bastion.publishers]` in pyproject.toml
(read only). The file is meant to be committed: a change of publisher then shows in review.

Nothing of a package runs: provenance JSON is parsed by pydantic models (never `pickle`),
and a malformed object is an invalid provenance, not a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bastion.errors import InputError, SourceError

if TYPE_CHECKING:
    from bastion.index.client import PackageIndex
    from bastion.index.model import DistributionFile
    from bastion.inventory.model import Dependency

PUBLISHERS_FILE = Path(".bastion") / "publishers.toml"
#: The publisher fields compared with a recorded publisher (`kind` always).
IDENTITY = ("kind", "repository", "workflow", "workflow_filepath", "environment", "email")


@dataclass(frozen=True, slots=True)
class Verified:
    """What one file's provenance says, once checked. `publisher` is set when every
    attestation verified; `error` says why not otherwise."""

    publisher: dict[str, str] | None
    error: str | None = None
    malformed: bool = False
    """The body is not a provenance object at all (a proxy's error page ...): the source
    failed; nothing was verified either way."""


def verify_provenance(body: bytes, filename: str, sha256: str) -> Verified:
    """Verify every attestation of the provenance object `body` for the file `filename`
    with digest `sha256`, each against its bundle's publisher, offline."""
    try:
        import pypi_attestations as attestations
    except ImportError:  # pragma: no cover - a dependency; only a broken install lacks it
        return Verified(None, "pypi-attestations is not installed (pip install bastion)")
    logging.getLogger("sigstore").setLevel(logging.ERROR)  # "TUF ... offline mode" notes
    logging.getLogger("tuf").setLevel(logging.ERROR)
    try:
        provenance = attestations.Provenance.model_validate_json(body)
    except ValueError as exc:
        return Verified(None, f"not a PEP 740 provenance object ({_first_line(exc)})", True)
    distribution = attestations.Distribution(name=filename, digest=sha256)
    publisher: dict[str, str] | None = None
    for bundle in provenance.attestation_bundles:
        if not bundle.attestations:
            continue
        for attestation in bundle.attestations:
            try:
                attestation.verify(bundle.publisher, distribution, offline=True)
            except attestations.AttestationError as exc:
                return Verified(None, _first_line(exc))
            except Exception as exc:  # a hostile object must not crash the run
                return Verified(None, f"cannot be verified ({type(exc).__name__}: {exc})")
        publisher = _identity(bundle.publisher.model_dump())
    if publisher is None:
        return Verified(None, "the provenance object holds no attestation")
    return Verified(publisher)


def _identity(fields: Mapping[str, Any]) -> dict[str, str]:
    return {k: str(fields[k]) for k in IDENTITY if fields.get(k) not in (None, "")}


def describe(publisher: Mapping[str, str]) -> str:
    """`GitHub sigstore/sigstore-python, workflow release.yml, environment release`."""
    parts = [f"{publisher.get('kind', '?')} {publisher.get('repository', '')}".strip()]
    for key in ("workflow", "workflow_filepath", "environment", "email"):
        if publisher.get(key):
            parts.append(f"{key.replace('_', ' ')} {publisher[key]}")
    return ", ".join(parts)


def differences(expected: Mapping[str, str], seen: Mapping[str, str]) -> list[str]:
    """The recorded publisher's fields that the attestation's publisher does not match."""
    found = []
    for key, value in expected.items():
        if key in IDENTITY and str(seen.get(key, "")).lower() != str(value).lower():
            found.append(f"{key} {seen.get(key) or '(none)'} where {value} was recorded")
    return found


# --- the locked artifacts' provenance ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Artifact:
    """One locked file and what is known of its provenance: `verified` is None when the
    index has none for it (`known`: the index said so) or was not asked (`known` False)."""

    dependency: Dependency
    file: DistributionFile
    known: bool
    verified: Verified | None = None


@dataclass(slots=True)
class Provenances:
    """Every locked artifact's provenance, the recorded publishers, and what failed."""

    artifacts: list[Artifact] = field(default_factory=list)
    publishers: Publishers | None = None
    error: str | None = None

    def publisher_of(self, name: str) -> dict[str, str] | None:
        return self.publishers.known.get(name) if self.publishers is not None else None


def locked_files(dependency: Dependency, files: list[DistributionFile]) -> list[DistributionFile]:
    """The files of the dependency's version that its sha256 hashes name (what it installs)."""
    wanted = {
        entry.partition(":")[2].lower()
        for entry in dependency.hashes
        if entry.startswith("sha256:")
    }
    return [item for item in files if item.hashes.get("sha256") in wanted]


def gather(
    locked: list[tuple[Dependency, list[DistributionFile]]],
    index: PackageIndex,
    publishers: Publishers,
    cache: OutcomeCache | None,
) -> Provenances:
    """Fetch and verify the provenance of each locked file.

    The URL is the one the file's page entry gives. A page that says nothing of PEP 740 (an
    index or proxy without it) leaves the file unknown, except for a project with a recorded
    publisher: then the integrity API is asked, where the index has one. A 404 from it with
    PyPI's JSON explanation means the file has no provenance; any other failure, or a 404
    for a URL the page gave, is a failed source (`error`) and leaves the file unknown.
    """
    result = Provenances(publishers=publishers)
    wanted: dict[str, tuple[str, str]] = {}  # provenance URL -> (filename, sha256)
    from_integrity: set[str] = set()
    plan: list[tuple[Dependency, DistributionFile, str | None]] = []
    for dependency, files in locked:
        for item in files:
            url = item.provenance
            if url is None and not item.provenance_known and dependency.name in publishers.known:
                url = index.integrity_url(dependency.name, dependency.version or "", item.filename)
                if url is not None:
                    from_integrity.add(url)
            digest = item.hashes.get("sha256")
            if url is not None and digest is not None:
                wanted[url] = (item.filename, digest)
            plan.append((dependency, item, url))
    outcomes: dict[str, Verified | None] = {}  # None: the index has no provenance for it
    missing = []
    for url, (_name, digest) in wanted.items():
        stored = cache.get(url, digest) if cache is not None else None
        if stored is not None:
            outcomes[url] = stored
        else:
            missing.append(url)
    answers = {}
    if missing:
        try:
            answers = index.fetch_many(missing)
        except SourceError as exc:
            result.error = str(exc)
    for url, answer in answers.items():
        if answer.status == 404:
            if url in from_integrity and _explained_404(answer.body):
                outcomes[url] = None
            else:
                result.error = result.error or f"GET {url}: HTTP 404 (no provenance served)"
            continue
        filename, digest = wanted[url]
        outcome = verify_provenance(answer.body, filename, digest)
        if outcome.malformed:
            result.error = result.error or f"{url}: {outcome.error}"
            continue
        outcomes[url] = outcome
        if cache is not None:
            cache.put(url, digest, outcome)
    for dependency, item, url in plan:
        if url is None:
            result.artifacts.append(Artifact(dependency, item, item.provenance_known))
        elif url in outcomes:
            result.artifacts.append(Artifact(dependency, item, True, outcomes[url]))
        else:
            result.artifacts.append(Artifact(dependency, item, False))
    return result


def _explained_404(body: bytes) -> bool:
    """PyPI's integrity API answers a file without provenance with a 404 and
    `{"message": "No provenance available for FILE"}`; a proxy's bare 404 says nothing."""
    import json

    try:
        answer = json.loads(body)
    except ValueError:
        return False
    return isinstance(answer, dict) and isinstance(answer.get("message"), str)


class OutcomeCache:
    """Verification outcomes by provenance URL and file digest, on disk: a file's provenance
    never changes once uploaded, and verifying costs the Sigstore import (about 0.3 s)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, url: str, digest: str) -> Path:
        import hashlib

        key = hashlib.sha256(f"{url} {digest}".encode()).hexdigest()[:40]
        return self.folder / f"{key}.verified"

    def get(self, url: str, digest: str) -> Verified | None:
        from bastion.net import read_headed

        stored = read_headed(self._path(url, digest))
        if stored is None:
            return None
        meta = stored[0]
        publisher = meta.get("publisher")
        error = meta.get("error")
        if meta.get("url") != url or meta.get("digest") != digest:
            return None
        if isinstance(publisher, dict) and all(isinstance(v, str) for v in publisher.values()):
            return Verified({str(k): v for k, v in publisher.items()})
        if isinstance(error, str):
            return Verified(None, error)
        return None

    def put(self, url: str, digest: str, outcome: Verified) -> None:
        from bastion.net import write_headed

        meta = {
            "url": url,
            "digest": digest,
            "publisher": outcome.publisher,
            "error": outcome.error,
        }
        write_headed(self._path(url, digest), meta, b"")


# --- recorded publishers ------------------------------------------------------------------


@dataclass(slots=True)
class Publishers:
    """The publishers the project trusts, by normalized project name, and where each is."""

    known: dict[str, dict[str, str]]
    path: Path
    sources: list[str]


def load_publishers(
    project_dir: Path,
    tool_table: Mapping[str, Any],
    config_path: Path | None = None,
    named: Path | None = None,
) -> Publishers:
    """The recorded publishers: `[tool.bastion.publishers]`, then the publishers file
    (`named`, else `.bastion/publishers.toml` in the project), whose entries win."""
    from bastion.documents import parse_toml, read_text
    from bastion.inventory.model import normalize_name

    known: dict[str, dict[str, str]] = {}
    sources: list[str] = []
    table = tool_table.get("publishers")
    if table is not None:
        if not isinstance(table, dict):
            raise InputError("[tool.bastion] publishers must be a table", config_path)
        where = str(config_path) if config_path is not None else "pyproject.toml"
        known.update(_tables(table, where, config_path))
        sources.append("pyproject.toml [tool.bastion.publishers]")
    path = named if named is not None else project_dir / PUBLISHERS_FILE
    if named is not None and not path.is_file() and path.exists():
        raise InputError("not a file", path)
    if path.is_file():
        data = parse_toml(read_text(path), path)
        known.update(_tables(data, str(path), path))
        sources.append(str(path))
    return Publishers({normalize_name(k): v for k, v in known.items()}, path, sources)


def _tables(
    data: Mapping[str, Any], where: str, path: Path | None = None
) -> dict[str, dict[str, str]]:
    from bastion.config import key_line

    found: dict[str, dict[str, str]] = {}
    for name, value in data.items():
        if not isinstance(value, dict) or not isinstance(value.get("kind"), str):
            raise InputError(
                f"{name}: a publisher is a table with at least `kind` (GitHub, GitLab, "
                "Google, CircleCI) and its repository and workflow",
                where,
                key_line(path, name),
            )
        found[name] = {k: str(v) for k, v in value.items() if k in IDENTITY}
    return found


def record_publishers(publishers: Publishers, new: Mapping[str, Mapping[str, str]]) -> None:
    """Add `new` (project -> publisher) to `.bastion/publishers.toml`, keeping what is
    there (comments included)."""
    import tomlkit

    from bastion.fsutil import write_atomic

    path = publishers.path
    if path.is_file():
        document = tomlkit.parse(path.read_text(encoding="utf-8"))
    else:
        document = tomlkit.document()
        document.add(
            tomlkit.comment(
                "Trusted publishers of this project's dependencies (PEP 740), recorded by "
                "`bastion verify --trust-on-first-use`."
            )
        )
        document.add(
            tomlkit.comment(
                "Commit this file: a dependency published from elsewhere then fails the check."
            )
        )
    for name in sorted(new):
        if name in document:
            continue
        table = tomlkit.table()
        for key, value in new[name].items():
            table[key] = value
        document[name] = table
        publishers.known[name] = dict(new[name])
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, tomlkit.dumps(document))
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}", path) from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
