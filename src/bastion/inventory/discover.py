"""Find what a project declares and decide which input is authoritative.

Explicit inputs win: `-r FILE` (repeatable), `--lock FILE` and `--python PATH` (an interpreter
or venv) are read, all of them, and nothing is discovered. A relative path is looked up from
the current directory, then from the project directory.

Otherwise `project` is a file, read by the reader its name (or, for other names, its content)
calls for; or a virtual environment (it has `pyvenv.cfg`), read as installed; or a directory,
where the first of these that exists is read, and only that one:

1. `uv.lock`
2. `poetry.lock`
3. `pylock.toml`, else the first `pylock.<name>.toml` by name (PEP 751)
4. `Pipfile.lock`
5. `requirements.txt` (a compiled requirements file pins what gets installed)
6. `pyproject.toml`, when it has `[project]`, `[dependency-groups]` or Poetry dependencies
7. `Pipfile`
8. `requirements.in`

A lock beats the manifest it locks because it names the exact versions that get installed,
and a lock's reader still reads the manifest beside it to tell direct from transitive. uv.lock
comes first because a project that has one is driven by uv (a uv user expects it even when
a Poetry table or an older lock remains); after it, the richer and standard formats before
the older ones. When other inputs were seen but not read, a diagnostic names the input
chosen and each of them, with the option that reads it instead (a manifest a lock reader
consulted is not "unused", nor is a pyproject.toml that holds only tool settings); the
report's inputs say what was read either way. The directory is not searched recursively.

Unpinned requirements (manifests) stay unpinned, for the audit to report, unless `resolve`
is set: then they go through `bastion.inventory.resolve.resolve` (a real resolver).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bastion.config import Settings
from bastion.errors import InputError, NoInputsError
from bastion.findings import Diagnostic, Location
from bastion.inventory.model import Inventory

Reader = Callable[[Path, list[Diagnostic]], Inventory]


class InputFormat:
    """One kind of input file: the name discovery looks for, and the reader that reads it.

    `reader` is `module:function`, imported only when a file of the kind is read (start-up
    time). `lock`: the file pins what gets installed, so it beats its manifest; a manifest's
    unpinned requirements can go through the resolver (`--resolve`). A plain class, not a
    dataclass: every run builds this table, and a dataclass costs start-up time.
    """

    __slots__ = ("kind", "lock", "name", "reader")

    def __init__(self, name: str, kind: str, reader: str, *, lock: bool = False) -> None:
        self.name = name
        self.kind = kind
        self.reader = reader
        self.lock = lock


#: Discovery order (see the module docstring). A new input format is one reader module and
#: one line here.
FORMATS: tuple[InputFormat, ...] = (
    InputFormat("uv.lock", "uv", "bastion.inventory.uvlock:read_uv_lock", lock=True),
    InputFormat(
        "poetry.lock", "poetry", "bastion.inventory.poetrylock:read_poetry_lock", lock=True
    ),
    InputFormat("pylock.toml", "pylock", "bastion.inventory.pylock:read_pylock", lock=True),
    InputFormat("pylock.*.toml", "pylock", "bastion.inventory.pylock:read_pylock", lock=True),
    InputFormat(
        "Pipfile.lock", "pipfile-lock", "bastion.inventory.pipfilelock:read_pipfile_lock", lock=True
    ),
    InputFormat(
        "requirements.txt", "requirements", "bastion.inventory.requirements:read_requirements"
    ),
    InputFormat("pyproject.toml", "pyproject", "bastion.inventory.pyproject:read_pyproject"),
    InputFormat("Pipfile", "pipfile", "bastion.inventory.pipfilelock:read_pipfile"),
    InputFormat(
        "requirements.in", "requirements", "bastion.inventory.requirements:read_requirements"
    ),
)
READERS: dict[str, str] = {f.kind: f.reader for f in FORMATS}
LOCK_NAMES = tuple(f.name for f in FORMATS if f.lock)
ORDER = tuple(f.name for f in FORMATS)
MANIFEST_KINDS = frozenset(f.kind for f in FORMATS if not f.lock)
VENV_NAMES = (".venv", "venv", "env")
EXPECTED = (
    "expected a requirements file (requirements.txt, *.in), pyproject.toml, uv.lock, "
    "poetry.lock, Pipfile, Pipfile.lock, pylock.toml or a virtual environment"
)


def load_inventory(project: Path, settings: Settings, diagnostics: list[Diagnostic]) -> Inventory:
    """The project's dependencies from the inputs the settings name, or those discovered."""
    inventory = Inventory()
    resolve = bool(settings.get("resolve", False))
    offline = bool(settings.get("offline", False))
    base = project if project.is_dir() else project.parent
    explicit = False
    for value in settings.get("requirement", None) or []:
        if str(value) == "-":
            inventory.extend(_stdin_requirements(diagnostics, resolve=resolve, offline=offline))
        else:
            path = _existing(value, base)
            inventory.extend(
                _read(path, "requirements", diagnostics, resolve=resolve, offline=offline)
            )
        explicit = True
    lock = settings.get("lock")
    if lock:
        path = _existing(lock, base)
        inventory.extend(_read(path, kind_of(path), diagnostics, resolve=resolve, offline=offline))
        explicit = True
    python = settings.get("python")
    if python:
        from bastion.inventory.installed import read_installed

        inventory.extend(read_installed(_interpreter(python, base), diagnostics, inspected=(base,)))
        explicit = True
    if explicit:
        return inventory
    if project.is_file():
        return _read(project, kind_of(project), diagnostics, resolve=resolve, offline=offline)
    if not project.is_dir():
        raise InputError("no such file or directory", project)
    if (project / "pyvenv.cfg").is_file():
        from bastion.inventory.installed import read_installed

        return read_installed(project, diagnostics, inspected=(project,))
    chosen, seen = discover(project)
    if chosen is None:
        raise NoInputsError(_nothing_found(project))
    inventory = _read(chosen, kind_of(chosen), diagnostics, resolve=resolve, offline=offline)
    unused = [
        p
        for p in seen
        if str(p) not in inventory.sources and _is_input(p) and not _locked_by(p, chosen)
    ]
    if unused:  # the choice itself is in the report's inputs; only a choice among many warns
        diagnostics.append(Diagnostic(_choice_message(chosen, unused), Location(str(chosen))))
    return inventory


#: Folders never searched for projects by `--recursive` (tools' caches, vendored code).
_NOT_PROJECTS = frozenset(
    {".git", ".hg", ".svn", "node_modules", "__pycache__", ".tox", ".nox", "build", "dist",
     "site-packages", ".mypy_cache", ".ruff_cache", ".pytest_cache"}
)  # fmt: skip


def projects_below(root: Path) -> list[Path]:
    """Every folder at or below `root` that has a dependency input of its own (its
    authoritative one is read as for a project alone), virtual environments left out;
    `root` first, then by path."""
    import os

    found: list[Path] = []
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        if any(e.name == "pyvenv.cfg" for e in entries):
            continue
        if discover(folder)[0] is not None:
            found.append(folder)
        stack.extend(
            Path(e.path)
            for e in reversed(entries)
            if e.is_dir(follow_symlinks=False)
            and e.name not in _NOT_PROJECTS
            and not e.name.startswith(".")
        )
    return found


def load_recursive(root: Path, settings: Settings, diagnostics: list[Diagnostic]) -> Inventory:
    """`--recursive`: the inventories of every project below `root`, each read on its own."""
    inventory = Inventory()
    for folder in projects_below(root):
        inventory.extend(load_inventory(folder, settings, diagnostics))
    if not inventory.sources:
        raise NoInputsError(_nothing_found(root))
    return inventory


def discover(directory: Path) -> tuple[Path | None, list[Path]]:
    """The authoritative input in `directory` (see the module docstring) and the others seen."""
    from bastion.inventory.pylock import is_pylock_name

    found: list[Path] = []
    for name in ORDER:
        if "*" in name:
            found += sorted(p for p in directory.glob(name) if p.is_file() and is_pylock_name(p))
        elif (directory / name).is_file():
            found.append(directory / name)
    chosen = next((p for p in found if _is_input(p)), None)
    return chosen, [p for p in found if p != chosen]


#: The manifests each lock kind locks (in the same folder): a lock beats them, and saying
#: "also found pyproject.toml, not read" beside the uv.lock made from it would be noise.
_MANIFESTS_OF = {
    "uv": ("pyproject.toml",),
    "poetry": ("pyproject.toml",),
    "pylock": ("pyproject.toml", "requirements.in"),
    "pipfile-lock": ("Pipfile",),
}


def _locked_by(manifest: Path, lock: Path) -> bool:
    """True when `manifest` is what `lock`, beside it, locks."""
    if manifest.parent != lock.parent:
        return False
    return manifest.name in _MANIFESTS_OF.get(kind_of(lock), ())


def _is_input(path: Path) -> bool:
    """Every candidate is an input, except a pyproject.toml that declares no dependencies
    (only tool settings)."""
    if path.name != "pyproject.toml":
        return True
    from bastion.inventory.pyproject import project_tables

    return bool(project_tables(path))


def kind_of(path: Path) -> str:
    """Which reader a file needs: by its name, else by a look at its content."""
    from bastion.inventory.pylock import is_pylock_name

    name = path.name
    by_name = {f.name: f.kind for f in FORMATS if "*" not in f.name and f.kind != "requirements"}
    if name in by_name:
        return by_name[name]
    # packaging.pylock costs ~25 ms to import: ask it only about names that could be one.
    if name.startswith("pylock.") and name.endswith(".toml") and is_pylock_name(path):
        return "pylock"
    if path.suffix in (".txt", ".in"):
        return "requirements"
    if path.suffix in (".py", ".pyw", ".pyi"):
        raise InputError(f"this is Python source, not a dependency input; {EXPECTED}", path)
    return _sniff(path)


def _sniff(path: Path) -> str:
    from bastion.documents import read_text

    text = read_text(path)
    if text.lstrip().startswith("{"):
        return "pipfile-lock"

    def has(pattern: str) -> bool:
        return re.search(pattern, text, re.MULTILINE) is not None

    if has(r"^\[metadata\]") and has(r"^content-hash\s*="):
        return "poetry"
    if has(r"^lock-version\s*=") and has(r"^created-by\s*="):
        return "pylock"
    if has(r"^version\s*=\s*\d") and has(r"^\[\[package\]\]"):
        return "uv"
    if has(r"^\[(project|dependency-groups|tool\.poetry)"):
        return "pyproject"
    if has(r"^\[(packages|dev-packages)\]"):
        return "pipfile"
    if _looks_like_python(text):
        raise InputError(f"this is Python source, not a dependency input; {EXPECTED}", path)
    return "requirements"


def _looks_like_python(text: str) -> bool:
    """A Python shebang, or a first statement that is Python and no requirement can be."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    if first.startswith("#!") and "python" in first:
        return True
    return re.match(r"(import \w|from \w[\w.]* import |def \w+\(|class \w+[:(])", first) is not None


STDIN = Path("<stdin>")
"""How requirements read from standard input (`-r -`) are named in messages."""


def _stdin_requirements(
    diagnostics: list[Diagnostic], *, resolve: bool, offline: bool
) -> Inventory:
    """`-r -`: a requirements file on standard input (pip-audit's `-r -`); includes are
    relative to the current directory."""
    import sys

    from bastion.documents import MAX_BYTES
    from bastion.inventory.requirements import parse_requirements_text

    text = sys.stdin.read(MAX_BYTES + 1)
    if len(text) > MAX_BYTES:
        raise InputError(f"larger than {MAX_BYTES // (1024 * 1024)} MB; not read", STDIN)
    inventory = parse_requirements_text(text, STDIN, diagnostics)
    for source in inventory.sources:
        inventory.kinds.setdefault(source, "requirements")
    return _resolved(
        inventory, "requirements", STDIN, diagnostics, resolve=resolve, offline=offline
    )


def _read(
    path: Path, kind: str, diagnostics: list[Diagnostic], *, resolve: bool, offline: bool = False
) -> Inventory:
    inventory = reader_of(kind)(path, diagnostics)
    for source in inventory.sources:
        inventory.kinds.setdefault(source, kind)
    return _resolved(inventory, kind, path, diagnostics, resolve=resolve, offline=offline)


def _resolved(
    inventory: Inventory,
    kind: str,
    path: Path,
    diagnostics: list[Diagnostic],
    *,
    resolve: bool,
    offline: bool,
) -> Inventory:
    """`inventory`, its unpinned requirements pinned by the resolver when `resolve` asks."""
    if resolve and kind in MANIFEST_KINDS and inventory.unpinned():
        if offline:
            raise InputError(
                "--resolve needs the package index and --offline forbids the network; "
                "drop one of them (--no-resolve overrides `resolve = true` in the config)",
                path,
            )
        from bastion.inventory.resolve import resolve as run_resolver

        resolved = run_resolver(
            inventory.dependencies,
            python=None,
            diagnostics=diagnostics,
            index_options=inventory.index_options,
        )
        inventory.dependencies = list(resolved)  # sources, constraints, index options stay
    return inventory


def reader_of(kind: str) -> Reader:
    """The reader function of an input kind (its module imported now)."""
    module, _, function = READERS[kind].partition(":")
    reader: Reader = getattr(importlib.import_module(module), function)
    return reader


def _existing(value: Any, base: Path) -> Path:
    """A path from the settings: as given (from the current directory), else from `base`."""
    path = Path(str(value))
    if path.exists():
        return path
    if not path.is_absolute() and (base / path).exists():
        return base / path
    raise InputError("no such file or directory", path)


def _interpreter(value: Any, base: Path) -> Path:
    """`--python`: a path as for other inputs, or a bare command name found on PATH."""
    import shutil

    text = str(value)
    if "/" not in text and "\\" not in text and not Path(text).exists():
        found = shutil.which(text)
        if found:
            return Path(found)
    return _existing(text, base)


def _choice_message(chosen: Path, seen: list[Path]) -> str:
    message = f"reading {chosen.name}"
    if chosen.name in LOCK_NAMES or chosen.name.startswith("pylock."):
        message += " (a lock is authoritative over its manifest)"
    if seen:
        names = ", ".join(p.name for p in seen)
        message += (
            f"; also found {names}, not read: name one with --lock FILE or -r FILE "
            "to read it instead"
        )
    return message


def _nothing_found(project: Path) -> str:
    looked_for = ", ".join(
        n.replace("pyproject.toml", "pyproject.toml (with dependencies)") for n in ORDER
    )
    message = (
        f"{project}: no dependency inputs found (looked for {looked_for}); name one with "
        "-r FILE, --lock FILE or --python PATH"
    )
    venvs = [name for name in VENV_NAMES if (project / name / "pyvenv.cfg").is_file()]
    if venvs:
        message += f" (--python {project / venvs[0]} audits what is installed there)"
    return message
