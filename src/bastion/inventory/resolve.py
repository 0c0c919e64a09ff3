"""Unpinned requirements pinned by pip's own resolver (`--resolve`), never by a hand-written one.

What runs: `python -m pip install --dry-run --ignore-installed --only-binary :all:
--progress-bar off --report FILE -r REQUIREMENTS` (not `--quiet`: pip explains a conflict only
at normal verbosity), then the installation report (pip's documented JSON format,
version "1") gives every package pip would install: the requested ones get their resolved
version (keeping their origin line and their own hashes), the others come back as transitive
dependencies (`direct=False`, no origin, the hashes of the archive pip picked from
`download_info.archive_info`).

Where from: the index options of the input itself (`--index-url`, `--extra-index-url`,
`--find-links`, `--no-index`, `--trusted-host` in a requirements file) go first in the scratch
requirements file, so pip looks where the project installs from.

Which pip: the running interpreter's own (`sys.executable -m pip`). `--dry-run` with
`--ignore-installed` installs nothing and ignores what is installed, so a throwaway venv
would add seconds of `ensurepip` and no isolation; one is made (with `venv`, in a temporary
folder) only when the running interpreter has no pip. `python=` targets another
interpreter: a path is passed as `pip --python PATH` (pip runs itself there, so markers and
wheel tags are that interpreter's); a version (`"3.9"`) is passed as `--python-version` (with a
scratch `--target`, which older pip needs and `--dry-run` never writes). The user's pip
configuration (index URLs, certificates) is kept, so private indexes work as in an install.

Never runs code from a package: `--only-binary :all:` keeps pip from building any sdist (a
build runs the package's `setup.py` or build backend, and so does preparing its metadata).
URL, VCS, local-path and editable dependencies are not sent to pip for the same reason: they
come back unchanged, with a warning that their own dependencies are not resolved.

Failures: the package index unreachable, pip missing, too old (no `--report`), or crashing is a
`SourceError` (exit 3). Requirements that cannot be resolved (no such version, conflicts)
are an `InputError` at the requirement's line, except one whose matching releases have only
source archives (found with `pip index versions`, which lists releases without building
anything): that requirement is left unpinned with a warning saying why, and the others are
resolved without it (pip stops at the first such pin; bastion asks again without it).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess  # nosec B404 -- only pip, as --resolve asks
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from bastion.errors import InputError, SourceError
from bastion.findings import Diagnostic
from bastion.inventory.model import Dependency, IndexOption, normalize_name

__all__ = ["resolve"]

TIMEOUT_SECONDS = 900.0
"""How long one pip run may take before bastion gives up (a SourceError)."""

_PYTHON_VERSION = re.compile(r"^[0-9]+(\.[0-9]+){0,2}$")
_NOT_FOUND = re.compile(
    r"Could not find a version that satisfies the requirement (?P<req>.+?)"
    r" \(from versions: (?P<versions>[^)]*)\)"
)
_NO_MATCH = re.compile(r"No matching distribution found for (?P<req>\S+)")
_REQ_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*")
_AVAILABLE = re.compile(r"Available versions: (?P<versions>.*)")
_NETWORK = (
    "NewConnectionError",
    "Max retries exceeded",
    "ConnectTimeoutError",
    "ReadTimeoutError",
    "ProxyError",
    "SSLError",
    "Temporary failure in name resolution",
    "Network is unreachable",
    "Connection refused",
    "connection broken by",
)
_HASH_ORDER = ("sha256", "sha384", "sha512")


def resolve(
    dependencies: Sequence[Dependency],
    *,
    python: str | None = None,
    diagnostics: list[Diagnostic],
    index_options: Sequence[IndexOption] = (),
) -> list[Dependency]:
    """`dependencies` with pins from pip's resolver, plus their transitive dependencies.

    `python` is a target interpreter (a path) or Python version (`"3.11"`); None means the
    running interpreter. `index_options` are the input's own package sources (`--index-url`,
    `--extra-index-url`, `--find-links`, `--no-index`, `--trusted-host` lines of a
    requirements file): pip gets them as the file gave them, so a private package is looked
    up where the project installs it from, not on PyPI. Nothing is installed and no package
    code runs (see the module doc).
    """
    sendable = [d for d in dependencies if _sendable(d, diagnostics)]
    while sendable:
        try:
            with tempfile.TemporaryDirectory(prefix="bastion-resolve-") as scratch:
                report = _run_resolver(sendable, python, Path(scratch), index_options)
        except NoWheel as exc:
            culprits = [d for d in sendable if d.name == exc.name]
            if not culprits:
                raise  # a transitive dependency: its requester cannot be told apart
            for dep in culprits:
                diagnostics.append(Diagnostic(f"not resolved: {exc.reason}", dep.origin))
            sendable = [d for d in sendable if d.name != exc.name]
            continue
        return _merge(dependencies, sendable, report, diagnostics)
    return list(dependencies)


class NoWheel(InputError):
    """A requirement whose matching releases have only source archives (`name` says which)."""

    def __init__(self, message: str, name: str, path: str | None, line: int | None) -> None:
        super().__init__(message, path, line)
        self.name = name


def option_line(option: IndexOption) -> str:
    """`option` as a requirements-file line (`--index-url URL`, `--no-index`)."""
    if option.value is None:
        return option.option
    return f"{option.option} {shlex.quote(option.value)}"


def _sendable(dep: Dependency, diagnostics: list[Diagnostic]) -> bool:
    """Whether pip may resolve `dep` without building anything: name-based requirements."""
    if dep.url is None and not dep.editable:
        return True
    diagnostics.append(
        Diagnostic(
            f"{dep.name} comes from {dep.url or 'an editable path'}: its own dependencies are "
            "not resolved (that would mean building it)",
            dep.origin,
        )
    )
    return False


def requirement_line(dep: Dependency) -> str:
    """`dep` as one requirements-file line for pip (no hashes: pip would demand them all)."""
    extras = f"[{','.join(dep.extras)}]" if dep.extras else ""
    if dep.version is not None:
        spec = ("===" if dep.specifier.startswith("===") else "==") + dep.version
    else:
        spec = dep.specifier
    line = f"{dep.name}{extras}{spec}"
    return f"{line} ; {dep.markers}" if dep.markers else line


def _run_resolver(
    requested: Sequence[Dependency],
    python: str | None,
    folder: Path,
    index_options: Sequence[IndexOption] = (),
) -> Any:
    """Run pip's resolver on `requested`; the parsed installation report."""
    requirements = folder / "requirements.txt"
    # Only where packages come from: `--require-hashes` would refuse the unpinned requests.
    options = list(
        dict.fromkeys(option_line(o) for o in index_options if o.option != "--require-hashes")
    )
    lines = [*options, *(requirement_line(d) for d in requested)]
    requirements.write_text("".join(line + "\n" for line in lines), "utf-8")
    report = folder / "report.json"
    pip = _pip_command(python, folder)
    command = [
        *pip,
        "install",
        "--dry-run",
        "--ignore-installed",
        "--only-binary",
        ":all:",
        "--progress-bar",
        "off",
        "--no-input",
        "--report",
        str(report),
        *_target_options(python, folder),
        "-r",
        str(requirements),
    ]
    result = _run(command, timeout=TIMEOUT_SECONDS)
    if result.returncode != 0:
        said = _attributed(
            f"{result.stderr}\n{result.stdout}", requirements, requested, first=len(options) + 1
        )
        raise _failure(said, requested, pip, python)
    try:
        return json.loads(report.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SourceError(f"pip wrote no readable installation report: {exc}") from None


def _pip_command(python: str | None, folder: Path) -> list[str]:
    has_pip = _has_pip()
    if python is not None and not _PYTHON_VERSION.match(python):
        return (
            [sys.executable, "-m", "pip", "--python", python] if has_pip else [python, "-m", "pip"]
        )
    if has_pip:
        return [sys.executable, "-m", "pip"]
    return [str(_make_venv(folder / "venv")), "-m", "pip"]


def _target_options(python: str | None, folder: Path) -> list[str]:
    if python is None or not _PYTHON_VERSION.match(python):
        return []
    return ["--python-version", python, "--target", str(folder / "target")]


def _has_pip() -> bool:
    import importlib.util

    return importlib.util.find_spec("pip") is not None


def _make_venv(where: Path) -> Path:
    """A throwaway venv with pip (ensurepip, offline); its interpreter."""
    import venv

    try:
        venv.EnvBuilder(with_pip=True, clear=True).create(where)
    except (OSError, subprocess.CalledProcessError) as exc:
        raise SourceError(f"cannot create a virtual environment to run pip in: {exc}") from None
    return where / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _run(command: Sequence[str], *, timeout: float) -> subprocess.CompletedProcess[str]:
    """The one place a process starts (tests replace it)."""
    env = dict(os.environ)
    env.update(
        PIP_NO_INPUT="1",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PIP_REQUIRE_VIRTUALENV="0",
        PYTHONIOENCODING="utf-8",
    )
    try:
        return subprocess.run(  # nosec B603 -- argv list (pip, fixed flags), no shell
            list(command),
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise SourceError(f"pip did not finish resolving within {timeout:.0f} s") from None
    except OSError as exc:
        raise SourceError(f"cannot run pip ({command[0]}): {exc}") from None


def _attributed(
    output: str, requirements: Path, requested: Sequence[Dependency], *, first: int = 1
) -> str:
    """pip's output with `-r <scratch file> (line N)` replaced by the requirement it stands for
    (`first` is the line of the first requirement, after the index options)."""

    def name(match: re.Match[str]) -> str:
        index = int(match.group(1)) - first
        if not 0 <= index < len(requested):
            return match.group(0)
        dep = requested[index]
        where = f" ({dep.origin})" if dep.origin else ""
        return f"{requirement_line(dep)}{where}"

    return re.sub(rf"-r {re.escape(str(requirements))} \(line (\d+)\)", name, output)


def _failure(
    stderr: str, requested: Sequence[Dependency], pip: list[str], python: str | None
) -> Exception:
    """The error for a failed pip run, worded from what pip said."""
    if "No module named pip" in stderr:
        return SourceError(f"{pip[0]} has no pip to resolve with")
    if "no such option: --report" in stderr or "no such option: --dry-run" in stderr:
        return SourceError("pip is too old to resolve without installing (pip >= 22.2 needed)")
    if any(marker in stderr for marker in _NETWORK):
        return SourceError(f"package index unreachable while resolving: {_last_error(stderr)}")
    not_found = _NOT_FOUND.search(stderr)
    if not_found is not None:
        return _not_found(not_found["req"], not_found["versions"], requested, pip, python)
    no_match = _NO_MATCH.search(stderr)
    if no_match is not None:
        return _not_found(no_match["req"], "none", requested, pip, python)
    if "ResolutionImpossible" in stderr or "conflicting dependencies" in stderr:
        first = next((d.origin for d in requested if d.origin and str(d.origin) in stderr), None)
        reason = f"the requirements conflict: {_conflict_summary(stderr)}"
        return InputError(reason, first.path if first else None, first.line if first else None)
    return SourceError(f"pip failed to resolve: {_last_error(stderr)}")


def _not_found(
    requirement: str,
    wheel_versions: str,
    requested: Sequence[Dependency],
    pip: list[str],
    python: str | None,
) -> InputError:
    match = _REQ_NAME.match(requirement.strip())
    name = normalize_name(match.group(0)) if match else requirement
    origin = next((d.origin for d in requested if d.name == name), None)
    with_wheels = [v.strip() for v in wheel_versions.split(",") if v.strip() not in ("", "none")]
    released = [v for v in _index_versions(name, pip, python) if _matches(requirement, v)]
    no_wheel = [v for v in released if v not in with_wheels]
    if no_wheel:
        shown = ", ".join(no_wheel[:5]) + (" ..." if len(no_wheel) > 5 else "")
        having = f"; versions with a wheel: {', '.join(with_wheels[:5])}" if with_wheels else ""
        reason = (
            f"{requirement}: no wheel for this Python and platform (releases with only source "
            f"archives: {shown}{having}); bastion resolves with --only-binary :all: because "
            "building an sdist runs its code: pin a version that has wheels"
        )
        if origin is None:
            return NoWheel(f"cannot resolve a dependency: {reason}", name, None, None)
        return NoWheel(reason, name, origin.path, origin.line)
    if with_wheels:
        reason = f"{requirement}: no version matches (newest: {', '.join(with_wheels[-10:])})"
    else:
        reason = f"{requirement}: no such package on the configured index"
    if origin is None:
        return InputError(f"cannot resolve a dependency: {reason}")
    return InputError(reason, origin.path, origin.line)


def _matches(requirement: str, version: str) -> bool:
    """Whether `version` satisfies pip's spelling of a requirement (True when unsure)."""
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        return Requirement(requirement).specifier.contains(version, prereleases=True)
    except InvalidRequirement:
        return True


def _index_versions(name: str, pip: list[str], python: str | None) -> list[str]:
    """Every release of `name` the index lists, sdists included (`pip index versions`)."""
    command = [*pip, "index", "versions", name]
    if python is not None and _PYTHON_VERSION.match(python):
        command += ["--python-version", python]
    try:
        result = _run(command, timeout=120.0)
    except SourceError:
        return []
    match = _AVAILABLE.search(result.stdout) if result.returncode == 0 else None
    if match is None:
        return []
    return [v.strip() for v in match["versions"].split(",") if v.strip()]


def _last_error(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("ERROR:")]
    chosen = errors[-1] if errors else (lines[-1] if lines else "no message")
    return chosen.removeprefix("ERROR:").strip()


def _conflict_summary(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    wanted = [
        line.removeprefix("ERROR: ").rstrip(".")
        for line in lines
        if line.startswith("ERROR: Cannot install")
        or " depends on " in line
        or line.startswith("The user requested")
    ]
    return "; ".join(wanted) if wanted else _last_error(stderr)


def _merge(
    dependencies: Sequence[Dependency],
    sent: Sequence[Dependency],
    report: Any,
    diagnostics: list[Diagnostic],
) -> list[Dependency]:
    resolved = _report_items(report)
    sent_ids = {id(d) for d in sent}
    requested_names = {d.name for d in sent}
    result: list[Dependency] = []
    for dep in dependencies:
        if id(dep) not in sent_ids:
            result.append(dep)
            continue
        item = resolved.get(dep.name)
        if item is None:
            diagnostics.append(
                Diagnostic(
                    f"{dep.name}: not needed on the target Python/platform (markers); "
                    "left unresolved",
                    dep.origin,
                )
            )
            result.append(dep)
        else:
            result.append(replace(dep, version=item.version))
    transitive = [item for name, item in sorted(resolved.items()) if name not in requested_names]
    result.extend(transitive)
    return result


def _report_items(report: Any) -> dict[str, Dependency]:
    """pip's installation report (format version 1) as transitive `Dependency`s by name."""
    install = report.get("install") if isinstance(report, dict) else None
    if not isinstance(install, list):
        raise SourceError("pip's installation report has no 'install' list")
    found: dict[str, Dependency] = {}
    for entry in install:
        metadata = entry.get("metadata") if isinstance(entry, dict) else None
        name = metadata.get("name") if isinstance(metadata, dict) else None
        version = metadata.get("version") if isinstance(metadata, dict) else None
        if not isinstance(name, str) or not isinstance(version, str):
            raise SourceError("pip's installation report has an entry without name or version")
        download = entry.get("download_info")
        download = download if isinstance(download, dict) else {}
        url = download.get("url") if entry.get("is_direct") else None
        found[normalize_name(name)] = Dependency(
            name=normalize_name(name),
            version=version,
            origin=None,
            direct=False,
            hashes=_archive_hashes(download.get("archive_info")),
            url=url if isinstance(url, str) else None,
        )
    return found


def _archive_hashes(archive_info: object) -> tuple[str, ...]:
    """`algorithm:hex` from `archive_info.hashes` (pip >= 23), else the legacy `hash`."""
    if not isinstance(archive_info, dict):
        return ()
    hashes = archive_info.get("hashes")
    pairs: dict[str, str] = {}
    if isinstance(hashes, dict):
        pairs = {str(k): str(v).lower() for k, v in hashes.items() if isinstance(v, str)}
    elif isinstance(archive_info.get("hash"), str):
        algorithm, _, digest = archive_info["hash"].partition("=")
        if digest:
            pairs = {algorithm: digest.lower()}
    ordered = sorted(pairs, key=lambda a: (_HASH_ORDER.index(a) if a in _HASH_ORDER else 9, a))
    return tuple(f"{a}:{pairs[a]}" for a in ordered)
