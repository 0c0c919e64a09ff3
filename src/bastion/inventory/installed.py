"""What is installed in an environment, read from its files without importing anything.

`--python PATH` names an interpreter or a virtual environment directory. bastion never runs
a program from what it inspects: a venv's `bin/python` may be anything (a script, a trojan),
so an environment is read from its files, and an interpreter is run only when its real path
(symlinks followed) lies outside the inspected project and venv. Site-packages directories
are found:

1. from the layout when `pyvenv.cfg` is there (`lib/pythonX.Y/site-packages`,
   `Lib/site-packages` on Windows; `version_info` in `pyvenv.cfg` picks among several), or
   for a folder without one that has that layout (a conda environment), without running
   anything;
2. for an interpreter that is no venv's (a system interpreter), by running it as
   `PATH -I -S -c ...` to print `sysconfig.get_paths()` and `site.getsitepackages()`. `-S`
   means `site` does not run, so no `.pth` file in site-packages executes; `site` is then
   only imported for its path function, which runs nothing from site-packages. `-I` keeps
   the user's environment variables, current directory and user site out.
   `site.getsitepackages()` is asked too because distributions patch it (Debian's
   `dist-packages`) where sysconfig alone would miss directories on `sys.path`.

A venv with `include-system-site-packages = true` also sees the base interpreter's
site-packages: the base interpreter is the one `home` in `pyvenv.cfg` names; it is asked
(as in 2, and said so in a warning) only when it resolves outside the inspected tree, and its
site-packages are read after the venv's own (a name found in the venv shadows it). The user
site directory is not read (`-I` excludes it, as a project venv should).

Each `*.dist-info/METADATA` gives `Name` and `Version` (stdlib email parser, headers only);
`*.egg-info` directories or files and `*.egg/EGG-INFO` give theirs through `PKG-INFO`.
Origin is the metadata directory. Direct: a `REQUESTED` file marks what was asked for by
name (PEP 376); when no distribution in the environment has one (an installer that does not
write it), every distribution counts as direct. `direct_url.json` (PEP 610) gives `url`,
`editable` and the archive hash.
"""

from __future__ import annotations

import json
import os
import subprocess  # nosec B404 -- runs the named interpreter with -I -S only
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bastion.errors import InputError
from bastion.findings import Diagnostic, Location
from bastion.inventory.lines import format_hashes, hash_table
from bastion.inventory.model import Dependency, Inventory, normalize_name

QUERY = (
    "import json, site, sys, sysconfig; p = sysconfig.get_paths(); "
    "print(json.dumps({'paths': [p['purelib'], p['platlib']], 'site': site.getsitepackages(), "
    "'base': site.getsitepackages([sys.base_prefix, sys.base_exec_prefix]), "
    "'venv': sys.prefix != sys.base_prefix}))"
)
TIMEOUT_SECONDS = 30


@dataclass(frozen=True, slots=True)
class SitePaths:
    """Where an environment's distributions live, most important first."""

    own: tuple[Path, ...]
    base: tuple[Path, ...] = ()


def read_installed(
    python: Path,
    diagnostics: list[Diagnostic] | None = None,
    *,
    inspected: tuple[Path, ...] = (),
) -> Inventory:
    """Every distribution installed in the environment of `python` (interpreter or venv).

    `inspected`: folders whose programs must not run (the project); the venv is one too.
    """
    diagnostics = diagnostics if diagnostics is not None else []
    paths = site_packages(python, diagnostics, inspected=inspected)
    directories = [p for p in dict.fromkeys((*paths.own, *paths.base)) if p.is_dir()]
    if not directories:
        raise InputError("no site-packages directory found for this environment", python)
    found: list[Dependency] = []
    requested: set[int] = set()
    seen_in: dict[str, Path] = {}
    for directory in directories:
        try:
            entries = sorted(directory.iterdir())
        except OSError as exc:
            diagnostics.append(Diagnostic(f"skipped: cannot list: {exc}", Location(str(directory))))
            continue
        for entry in entries:
            metadata = _metadata_file(entry)
            if metadata is None:
                continue
            dependency, has_requested = _distribution(entry, metadata, diagnostics)
            if dependency is None:
                continue
            earlier = seen_in.get(dependency.name)
            if earlier is not None and earlier != directory:
                continue  # shadowed by the same name earlier on the path
            if earlier == directory:
                diagnostics.append(
                    Diagnostic(
                        f"{dependency.name} has more than one metadata directory "
                        "(a stale install?); both are reported",
                        dependency.origin,
                    )
                )
            seen_in[dependency.name] = directory
            if has_requested:
                requested.add(len(found))
            found.append(dependency)
    if requested:
        found = [replace(d, direct=i in requested) for i, d in enumerate(found)]
    diagnostics.extend(_startup_code(directories))
    sources = [str(d) for d in directories]
    kinds = dict.fromkeys(sources, "installed")  # and each distribution's metadata file:
    kinds.update((d.origin.path, "installed") for d in found if d.origin is not None)
    return Inventory(dependencies=found, sources=sources, kinds=kinds)


def _startup_code(directories: list[Path]) -> list[Diagnostic]:
    """A warning for each `.pth` line and customize module that would run at start-up (read,
    never run; `bastion env` rates them)."""
    from bastion.env.startup import customize_modules, owners, read_pth_files

    found = []
    for directory in directories:
        for pth in read_pth_files(directory, owners(directory), False):
            for line in pth.code:
                found.append(
                    Diagnostic(
                        f"{pth.path.name}:{line.line} runs code at every interpreter start "
                        f"(not run by bastion; `bastion env` rates it): {line.code[:120]}",
                        Location(str(pth.path), line.line),
                    )
                )
    for module, where in customize_modules(directories):
        found.append(
            Diagnostic(
                f"{where.name} runs at every interpreter start ({module}; not run by "
                "bastion; `bastion env` rates it)",
                Location(str(where)),
            )
        )
    return found


def site_packages(
    python: Path,
    diagnostics: list[Diagnostic] | None = None,
    *,
    inspected: tuple[Path, ...] = (),
) -> SitePaths:
    """The site-packages directories of an interpreter or venv (see the module docstring)."""
    diagnostics = diagnostics if diagnostics is not None else []
    if not python.exists():
        raise InputError("no such interpreter or environment", python)
    venv = _venv_root(python)
    if venv is not None:
        config = _pyvenv_cfg(venv / "pyvenv.cfg")
        own = _venv_layout(venv, config)
        if not own:
            raise InputError(
                "no site-packages directory found in this virtual environment "
                "(lib/pythonX.Y/site-packages)",
                venv,
            )
        if config.get("include-system-site-packages", "").lower() != "true":
            return SitePaths(own=own)
        base = _base_site_packages(venv, config, diagnostics, (*inspected, venv))
        return SitePaths(own=own, base=base)
    if python.is_dir():
        if any(python.glob("*.dist-info")):
            return SitePaths(own=(python,))  # a site-packages directory itself
        layout = _venv_layout(python, {})
        if layout:
            return SitePaths(own=layout)  # an environment without pyvenv.cfg (conda)
        raise InputError("not an interpreter, a virtual environment or site-packages", python)
    runnable = _outside(python, inspected)
    if runnable is None:
        raise InputError(
            "this interpreter lies inside the project; bastion does not run programs from "
            "what it inspects: name the environment's folder (it is read from its files) or "
            "an interpreter outside the project",
            python,
        )
    answer = _ask(runnable, shown=python)
    own = tuple(Path(p) for p in dict.fromkeys([*answer["paths"], *answer["site"]]))
    return SitePaths(own=own)


def _base_site_packages(
    venv: Path, config: dict[str, str], diagnostics: list[Diagnostic], inspected: tuple[Path, ...]
) -> tuple[Path, ...]:
    """The base interpreter's site-packages, from the interpreter `home` names, when it may
    run; () with a warning otherwise."""
    where = Location(str(venv / "pyvenv.cfg"))
    home = config.get("home", "")
    interpreter = base_interpreter(config)
    if interpreter is None:
        diagnostics.append(
            Diagnostic(
                f"include-system-site-packages is true but the base interpreter (home = "
                f"{home or '?'}) was not found; read the venv's own site-packages only",
                where,
            )
        )
        return ()
    runnable = _outside(interpreter, inspected)
    if runnable is None:
        diagnostics.append(
            Diagnostic(
                f"include-system-site-packages is true but the base interpreter {interpreter} "
                "lies inside the inspected tree and is not run; read the venv's own "
                "site-packages only",
                where,
            )
        )
        return ()
    try:
        answer = _ask(runnable, shown=interpreter)
    except InputError as exc:
        diagnostics.append(Diagnostic(f"base site-packages not read: {exc.reason}", where))
        return ()
    diagnostics.append(
        Diagnostic(
            f"include-system-site-packages is true: ran the base interpreter {runnable} "
            "(-I -S, nothing of the venv runs) for its site-packages",
            where,
        )
    )
    return tuple(Path(p) for p in dict.fromkeys([*answer["paths"], *answer["site"]]))


def _outside(interpreter: Path, inspected: tuple[Path, ...]) -> Path | None:
    """The interpreter's real path when it lies outside every inspected folder, else None."""
    real = Path(os.path.realpath(interpreter))
    for folder in inspected:
        root = Path(os.path.realpath(folder))
        if real == root or root in real.parents:
            return None
    return real


def venv_root(python: Path) -> Path | None:
    """The virtual environment `python` (an interpreter or a folder) belongs to, if any."""
    return _venv_root(python)


def _venv_root(python: Path) -> Path | None:
    """The venv directory holding `python` (not following symlinks: a venv's interpreter is
    usually a link to the base one)."""
    candidates = [python] if python.is_dir() else [python.parent.parent, python.parent]
    for candidate in candidates:
        if (candidate / "pyvenv.cfg").is_file():
            return candidate
    return None


def _pyvenv_cfg(path: Path) -> dict[str, str]:
    """`key = value` lines of pyvenv.cfg (no sections, so configparser does not fit)."""
    values: dict[str, str] = {}
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path) from None
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            values[key.strip().lower()] = value.strip()
    return values


def _venv_layout(venv: Path, config: dict[str, str]) -> tuple[Path, ...]:
    """The venv's site-packages from its layout, or () when the layout is ambiguous."""
    windows = venv / "Lib" / "site-packages"
    if windows.is_dir() and not (venv / "lib").is_dir():
        return (windows,)
    found: dict[Path, Path] = {}
    for lib in ("lib", "lib64"):
        for candidate in sorted((venv / lib).glob("*/site-packages")):
            found.setdefault(candidate.resolve(), candidate)
    if len(found) <= 1:
        return tuple(found.values())
    version = config.get("version_info") or config.get("version") or ""
    major_minor = ".".join(version.split(".")[:2])
    matching = [p for p in found.values() if p.parent.name.startswith(f"python{major_minor}")]
    return (matching[0],) if major_minor and len(matching) == 1 else ()


def _ask(python: Path, *, shown: Path) -> dict[str, list[str]]:
    """Run `python -I -S` to print its site-packages paths (no site, no .pth file runs).

    `python` is an absolute real path outside the inspected tree (`_outside`); errors name
    `shown`, the path the user gave.
    """
    answer = run_isolated(python, QUERY, shown=shown, what="its paths")
    try:
        return {k: [str(p) for p in answer[k]] for k in ("paths", "site", "base")}
    except (KeyError, TypeError):
        raise InputError("the interpreter did not report its paths", shown) from None


def run_isolated(python: Path, script: str, *, shown: Path, what: str) -> Any:
    """The JSON that `python -I -S -c script` prints last (-S: no `site`, so no `.pth` file
    or sitecustomize runs; -I: no environment variables, working directory or user site).
    `python` must lie outside the inspected tree (`outside`); errors name `shown`."""
    try:
        result = subprocess.run(  # nosec B603 -- fixed argv, no shell; python -I -S runs no .pth
            [str(python), "-I", "-S", "-c", script],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
            cwd=os.sep,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise InputError(f"cannot run the interpreter: {exc}", shown) from None
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise InputError(f"the interpreter failed ({result.returncode}): {last}", shown)
    try:
        return json.loads(result.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError, RecursionError):
        raise InputError(f"the interpreter did not report {what}", shown) from None


def _metadata_file(entry: Path) -> Path | None:
    name = entry.name
    if name.endswith(".dist-info"):
        return entry / "METADATA"
    if name.endswith(".egg-info"):
        return entry / "PKG-INFO" if entry.is_dir() else entry
    if name.endswith(".egg") and entry.is_dir():
        return entry / "EGG-INFO" / "PKG-INFO"
    return None


def _distribution(
    entry: Path, metadata: Path, diagnostics: list[Diagnostic]
) -> tuple[Dependency | None, bool]:
    """One installed distribution, and whether it has a REQUESTED file."""
    from email.parser import HeaderParser
    from email.policy import compat32

    origin = Location(str(entry))
    try:
        with metadata.open(encoding="utf-8", errors="replace") as handle:
            headers = HeaderParser(policy=compat32).parse(handle)
    except OSError as exc:
        diagnostics.append(Diagnostic(f"skipped: cannot read {metadata.name}: {exc}", origin))
        return None, False
    name, version = headers.get("Name"), headers.get("Version")
    if not name or not version:
        diagnostics.append(Diagnostic(f"skipped: {metadata.name} has no Name or Version", origin))
        return None, False
    url, editable, hashes = _direct_url(entry / "direct_url.json")
    dependency = Dependency(
        name=normalize_name(str(name).strip()),
        version=str(version).strip(),
        origin=origin,
        direct=True,
        hashes=hashes,
        url=url,
        editable=editable,
    )
    return dependency, (entry / "REQUESTED").is_file()


def _direct_url(path: Path) -> tuple[str | None, bool, tuple[str, ...]]:
    """PEP 610 `direct_url.json`: the URL, whether editable, and the archive's hashes."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None, False, ()
    if not isinstance(data, dict) or not isinstance(data.get("url"), str):
        return None, False, ()
    url: str = data["url"]
    vcs = data.get("vcs_info")
    if isinstance(vcs, dict) and isinstance(vcs.get("vcs"), str):
        commit = vcs.get("commit_id")
        url = f"{vcs['vcs']}+{url}" + (f"@{commit}" if isinstance(commit, str) else "")
    dir_info = data.get("dir_info")
    editable = isinstance(dir_info, dict) and dir_info.get("editable") is True
    archive = data.get("archive_info")
    hashes: tuple[str, ...] = ()
    if isinstance(archive, dict):
        table = archive.get("hashes") if isinstance(archive.get("hashes"), dict) else None
        legacy = archive.get("hash") if isinstance(archive.get("hash"), str) else None
        hashes = format_hashes([*hash_table(table), legacy])
    return url, editable, hashes


def base_interpreter(config: dict[str, str]) -> Path | None:
    """The interpreter `home` in pyvenv.cfg names (the venv's version first), if it exists."""
    home = config.get("home", "")
    if not home:
        return None
    version = config.get("version_info") or config.get("version") or ""
    major_minor = ".".join(version.split(".")[:2])
    names = [f"python{major_minor}"] if major_minor else []
    names += ["python3", "python", "python.exe"]
    return next((Path(home) / n for n in names if (Path(home) / n).is_file()), None)


def project_venv(folder: Path) -> Path | None:
    """The project's own virtual environment: its `.venv/` or `venv/` with a pyvenv.cfg."""
    for name in (".venv", "venv"):
        if (folder / name / "pyvenv.cfg").is_file():
            return folder / name
    return None


def outside(interpreter: Path, inspected: tuple[Path, ...]) -> Path | None:
    """The interpreter's real path when it lies outside every inspected folder, else None."""
    return _outside(interpreter, inspected)


def pyvenv_config(path: Path) -> dict[str, str]:
    """The `key = value` lines of a pyvenv.cfg (keys lower-cased)."""
    return _pyvenv_cfg(path)


def venv_layout(venv: Path, config: dict[str, str]) -> tuple[Path, ...]:
    """A venv's site-packages from its layout (none when ambiguous)."""
    return _venv_layout(venv, config)
