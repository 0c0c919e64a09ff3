"""pip requirements files (`requirements.txt` and the files it includes) as `Dependency`s.

Why by hand: pip has no public API for its requirements-file format (`pip._internal` is
declared unsupported, may be missing from the audited environment, and importing it costs
more than the parse). So these modules follow pip 26's `req_file.py` and `constructors.py`
step by step; the parts a maintained library does well are delegated: `packaging` for PEP 508
requirements, markers, versions and wheel/sdist file names, stdlib `optparse` and `shlex`
for the option part of a line.

The parts, each a module of its own: `reqfile_text` (decoding, continuations, comments,
environment variables, where options start), `reqfile_options` (the option part, through
`optparse` as in pip), `pep508` (the requirement itself, shared with every other reader),
`constraints` (`-c` files applied to the requirements), `localproject` (a local folder's
static name and version). This module reads the tree and turns each line into a dependency:

- `-r FILE` / `-c FILE` are relative to the including file; only the first on a line counts
  (as in pip); a file included twice in different branches is read once; a file that includes
  one of its includers is a cycle.

Choices (and where bastion departs from pip, with the reason):
- Constraints (`-c`, or `constraint=True`) are not dependencies: they go to
  `Inventory.constraints`, and `constraints.apply_constraints` pins requirements with them.
- Local paths (`./pkg`, `.`, `-e .`, `./dist/x-1.0-py3-none-any.whl`) are looked up relative
  to the current directory, as pip does, and then to the requirements file's folder (bastion
  is often run from elsewhere). A local project's name and version come only from static
  metadata (`[project]`, `[tool.poetry]`, `setup.cfg`); bastion never runs a build to learn
  them. A URL's wheel or sdist file name gives the version.
- Fatal (`InputError` at file:line; pip fails on these too): unreadable or undecodable file,
  a PEP 508 requirement or marker that does not parse, an empty `===` version (pip accepts
  `name===`, which pins nothing), options that do not parse (unbalanced quotes, a missing
  value, `--hash` not `sha256|sha384|sha512:hex`, a digest of the wrong length: a hash that
  can never match is a broken lock), an unknown option on a requirement line
  (`foo==1.0 --bogus`), an invalid wheel file name or `#egg=` fragment, an editable that is
  neither a VCS URL nor a local path, editable or extras in a constraint, a missing included
  file, an include cycle.
- Warnings (`Diagnostic`, the part is skipped and reading goes on): a line of options with an
  unknown option (newer pip options must not stop an audit; the whole line is skipped), text
  pip would silently ignore, `--hash` without a requirement (pip warns too), a URL, VCS or
  path requirement whose name cannot be known without building it (pip would build it), a
  local path that is not there, an include over http(s) (bastion does not fetch it).
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from bastion.errors import InputError
from bastion.findings import Diagnostic, Location
from bastion.inventory import pep508
from bastion.inventory import reqfile_options as options
from bastion.inventory.constraints import apply_constraints
from bastion.inventory.localproject import (
    is_project_name,
    static_dependencies,
    static_metadata,
)
from bastion.inventory.model import Dependency, IndexOption, Inventory, normalize_name
from bastion.inventory.reqfile_text import (
    Line,
    decode,
    logical_lines,
    split_args_options,
    via_comments,
)

if TYPE_CHECKING:
    import optparse

__all__ = ["apply_constraints", "parse_requirements_text", "read_requirements"]

_INCLUDE_URL = r"(?i)^(http|https|file):"
_PATH_EXTRAS = r"^(.+)(\[[^\]]+\])$"
_EGG = r"[#&]egg=([^&]*)"

_VCS_SCHEMES = pep508.VCS_SCHEMES
_URL_SCHEMES = frozenset({"http", "https", "file", "ftp"}) | _VCS_SCHEMES


def read_requirements(
    path: Path, diagnostics: list[Diagnostic] | None = None, *, constraint: bool = False
) -> Inventory:
    """The dependencies a requirements file (and every file it includes) declares.

    With `constraint=True` the file is read as a constraints file (`pip install -c`): its
    entries land in `Inventory.constraints`, not in `dependencies`.
    """
    reader = _Reader(diagnostics if diagnostics is not None else [])
    reader.read_file(Path(path), constraint=constraint, included_at=None)
    return reader.inventory()


def parse_requirements_text(
    text: str, path: Path, diagnostics: list[Diagnostic] | None = None
) -> Inventory:
    """Like `read_requirements` for text already in hand (stdin, tests); `path` names it."""
    reader = _Reader(diagnostics if diagnostics is not None else [])
    reader.read_text(text, Path(path), constraint=False)
    return reader.inventory()


# ---------------------------------------------------------------------------------------------
# Files and lines


class _Reader:
    """One read of a requirements tree: what was found so far, and the include stack.

    A plain class, not a dataclass: nothing compares or prints it, and building a dataclass
    costs start-up time (every run reads requirements).
    """

    __slots__ = (
        "constraints",
        "diagnostics",
        "done",
        "index_options",
        "parser",
        "requirements",
        "sources",
        "stack",
    )

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        self.requirements: list[Dependency] = []
        self.constraints: list[Dependency] = []
        self.index_options: list[IndexOption] = []
        self.sources: list[str] = []
        self.stack: list[tuple[str, str]] = []  # (real path, shown path)
        self.done: set[tuple[str, bool]] = set()
        self.parser: optparse.OptionParser | None = None

    def inventory(self) -> Inventory:
        dependencies = apply_constraints(self.requirements, self.constraints, self.diagnostics)
        dependencies = _with_requesters(dependencies)
        return Inventory(
            dependencies=dependencies,
            sources=self.sources,
            constraints=self.constraints,
            index_options=self.index_options,
        )

    def read_file(self, path: Path, *, constraint: bool, included_at: Line | None) -> None:
        real = os.path.realpath(path)
        if (real, constraint) in self.done:
            return
        try:
            data = path.read_bytes()
        except OSError as exc:
            reason = exc.strerror or str(exc)
            if included_at is None:
                raise InputError(f"cannot read: {reason}", path) from None
            raise included_at.error(f"cannot read included file {path}: {reason}") from None
        self.read_text(decode(data, path), path, constraint=constraint, real=real)
        self.done.add((real, constraint))

    def read_text(self, text: str, path: Path, *, constraint: bool, real: str = "") -> None:
        shown = str(path)
        folder = path.parent
        self.sources.append(shown)
        self.stack.append((real or os.path.realpath(path), shown))
        first = len(self.requirements)
        try:
            for number, line in logical_lines(text):
                where = Line(Location(shown, number), folder, self.diagnostics)
                self._line(line, where, path, constraint)
        finally:
            self.stack.pop()
        if "# via" in text:  # pip-compile says who needs each pin
            vias = via_comments(text)
            for index in range(first, len(self.requirements)):
                dep = self.requirements[index]
                at = dep.origin.line if dep.origin and dep.origin.path == shown else None
                if at is not None and at in vias:
                    names = tuple(n if n.startswith("-") else normalize_name(n) for n in vias[at])
                    self.requirements[index] = replace(dep, via=names)

    def _line(self, line: str, where: Line, path: Path, constraint: bool) -> None:
        args, options_text = split_args_options(line)
        if not options_text:
            self._add(_requirement(args, (), where), where, constraint)
            return
        if args:
            hashes_only = options.hash_tokens(options_text)
            if hashes_only is not None:
                self._add(
                    _requirement(args, options.hashes(hashes_only, where), where), where, constraint
                )
                return
        if self.parser is None:
            self.parser = options.option_parser()
        parsed = options.parse_options(
            self.parser, options_text, where, requirement_line=bool(args)
        )
        if parsed is None:
            return  # a line of options with an unknown one: warned, skipped
        opts, leftover = parsed
        if leftover:
            where.warn(f"text after the options is ignored (as pip does): {leftover}")
        given = [dest for dest, value in vars(opts).items() if value]
        if args:
            options.warn_ignored(given, options.REQUIREMENT_OPTIONS, where)
            hashes = options.hashes(opts.hashes or [], where)
            self._add(_requirement(args, hashes, where), where, constraint)
        elif opts.editables:
            options.warn_ignored(given, {"editables", "config_settings"}, where)
            if len(opts.editables) > 1:
                where.warn("only the first -e on a line is read (as pip does)")
            if constraint:
                raise where.error("editable requirements are not allowed as constraints")
            self._add(_editable(opts.editables[0], where), where, constraint)
        elif opts.requirements or opts.constraints:
            self._include(opts, given, where, path)
        else:
            if opts.hashes:
                where.warn("--hash without a requirement is ignored (as pip does)")
            self._record_sources(opts, where.location)

    def _add(self, dep: Dependency | None, where: Line, constraint: bool) -> None:
        if dep is None:
            return
        if not constraint:
            self.requirements.append(dep)
            self.requirements.extend(where.also)
            return
        if dep.extras:
            raise where.error("constraints cannot have extras")
        self.constraints.append(dep)

    def _include(self, opts: optparse.Values, given: list[str], where: Line, path: Path) -> None:
        nested_constraint = not opts.requirements
        targets: list[str] = opts.requirements or opts.constraints
        flag = "-c" if nested_constraint else "-r"
        if len(targets) > 1 or (opts.requirements and opts.constraints):
            where.warn(f"only the first {flag} on a line is read (as pip does)")
        options.warn_ignored(given, {"requirements", "constraints"}, where)
        target = targets[0]
        if re.match(_INCLUDE_URL, target):
            if not target.lower().startswith("file:"):
                where.warn(f"{flag} {target}: remote files are not fetched; not read")
                return
            included = Path(_file_url_path(target))
        else:
            included = Path(os.path.normpath(os.path.join(os.path.dirname(path), target)))
        if "\x00" in str(included):
            raise where.error(f"{flag} {target!r}: a file name cannot hold a NUL byte")
        real = os.path.realpath(included)
        for position, (ancestor, _) in enumerate(self.stack):
            if ancestor == real:
                chain = [shown for _, shown in self.stack[position:]] + [str(included)]
                raise where.error(f"include cycle: {' -> '.join(chain)}")
        self.read_file(included, constraint=nested_constraint, included_at=where)

    def _record_sources(self, opts: optparse.Values, location: Location) -> None:
        for dest in options.SOURCE_OPTIONS:
            value = getattr(opts, dest)
            if not value:
                continue
            spelled = options.SPELLING[dest]
            if value is True:
                self.index_options.append(IndexOption(spelled, None, location))
            elif isinstance(value, str):
                self.index_options.append(IndexOption(spelled, value, location))
            else:
                self.index_options.extend(IndexOption(spelled, v, location) for v in value)


def _with_requesters(dependencies: list[Dependency]) -> list[Dependency]:
    """Keep in `via` only the requesters that are packages of these files. A dependency that
    something else asks for too (pip-compile's `-r requirements.in`, the project's own name
    in uv's export) is one the project names itself: direct."""
    if not any(d.via for d in dependencies):
        return dependencies
    names = {d.name for d in dependencies}
    result = []
    for dep in dependencies:
        if not dep.via:
            result.append(dep)
            continue
        kept = tuple(n for n in dep.via if n in names and n != dep.name)
        result.append(replace(dep, via=kept, direct=len(kept) < len(dep.via)))
    return result


# ---------------------------------------------------------------------------------------------
# One requirement


def _requirement(text: str, hashes: tuple[str, ...], where: Line) -> Dependency | None:
    """A non-editable requirement (pip's parse_req_from_line), or None when skipped."""
    fast = pep508.fast_dependency(text, where.location, hashes)
    return fast if fast is not None else _requirement_full(text, hashes, where)


def _requirement_full(text: str, hashes: tuple[str, ...], where: Line) -> Dependency | None:
    url_line = _is_url(text)
    separator = "; " if url_line else ";"
    markers: str | None = None
    if separator in text:
        text, marker_text = text.split(separator, 1)
        markers = pep508.marker(marker_text, where.location)
    text = text.strip()
    if url_line:
        return _from_url(text, None, where, markers=markers, hashes=hashes)
    local, extras_text = _strip_path_extras(text)
    looks_like_path = "/" in text or text.startswith(".")
    archive = local.lower().endswith(pep508.ARCHIVE_SUFFIXES)
    found = where.find(local) if looks_like_path or archive else []
    projects = [path for path in found if path.is_dir()] if looks_like_path else []
    if projects:
        extras = _extras_from_text(extras_text, where)
        return _from_project(local, projects, where, extras=extras, markers=markers)
    if archive and (found or not _looks_like_pep508_url(text)):
        # pip too goes on with a missing archive: its file name still says what it is.
        extras = _extras_from_text(extras_text, where)
        return _from_url(
            local, None, where, extras=extras, markers=markers, hashes=hashes, local=True
        )
    try:
        req = pep508.parse(text, where.location)
    except InputError:
        if looks_like_path and not found and not _looks_like_pep508_url(text):
            where.warn(f"local path {local!r} not found; skipped")
            return None
        raise
    return pep508.from_requirement(
        req, text, where.location, warn=where.warn, hashes=hashes, markers=markers
    )


def _is_url(text: str) -> bool:
    """pip's is_url: a scheme pip downloads from (http, https, file, ftp, VCS)."""
    if text.find(":") <= 0:
        return False
    from urllib.parse import urlsplit

    try:
        scheme = urlsplit(text).scheme
    except ValueError:
        return False
    return scheme in _URL_SCHEMES


def _looks_like_pep508_url(text: str) -> bool:
    """pip reads `name @ ...` as PEP 508 when the part before `@` is not a path."""
    before, at, _ = text.partition("@")
    return bool(at) and "/" not in before and not before.startswith(".")


def _strip_path_extras(text: str) -> tuple[str, str]:
    match = re.match(_PATH_EXTRAS, text)
    if match is None:
        return text, ""
    return match.group(1).rstrip(), match.group(2)


def _extras_from_text(extras_text: str, where: Line) -> tuple[str, ...]:
    if not extras_text:
        return ()
    req = pep508.parse("placeholder" + extras_text, where.location)
    return pep508.normalized_extras(req.extras)


def _egg_name(url: str, where: Line) -> str | None:
    match = re.search(_EGG, url)
    if match is None:
        return None
    name = match.group(1)
    if not is_project_name(name):
        raise where.error(
            f"invalid #egg= fragment {name!r}: expected a project name (write 'name @ URL')"
        )
    return name


def _from_url(
    url: str,
    name: str | None,
    where: Line,
    *,
    extras: tuple[str, ...] = (),
    markers: str | None = None,
    hashes: tuple[str, ...] = (),
    local: bool = False,
    editable: bool = False,
) -> Dependency | None:
    """A URL, VCS or archive-path requirement; `name` is the PEP 508 name when there is one."""
    vcs = not local and pep508.is_vcs(url)
    if name is None:
        name = _egg_name(url, where)
    filename = pep508.url_filename(url)
    file_name, version = (
        (None, None) if vcs else pep508.archive_name_version(filename, where.location)
    )
    if name is None:
        name = file_name
    elif file_name is not None and normalize_name(file_name) != normalize_name(name):
        where.warn(f"file {filename!r} does not match the requirement name {name!r}")
        version = None
    if name is None:
        what = "VCS URL" if vcs else "path" if local else "URL"
        where.warn(
            f"{what} {url!r} names no project (write 'name @ URL'); skipped, as bastion never "
            "builds a package to learn its name"
        )
        return None
    return Dependency(
        name=normalize_name(name),
        version=version,
        origin=where.location,
        hashes=pep508.url_hashes(url, hashes),
        markers=markers,
        extras=extras,
        url=url,
        editable=editable,
    )


def _file_url_path(url: str) -> str:
    from urllib.parse import urlsplit
    from urllib.request import url2pathname

    return url2pathname(urlsplit(url).path)


def _from_project(
    text: str,
    folders: list[Path],
    where: Line,
    *,
    extras: tuple[str, ...] = (),
    markers: str | None = None,
    editable: bool = False,
) -> Dependency | None:
    """A local project folder: the first of `folders` whose static metadata names it."""
    for folder in folders:
        name, version = static_metadata(folder)
        if name is not None:
            where.also = static_dependencies(folder, extras, where.diagnostics)
            return Dependency(
                name=normalize_name(name),
                version=version,
                origin=where.location,
                markers=markers,
                extras=extras,
                url=text,
                editable=editable,
            )
    where.warn(
        f"local project {text!r} has no static name (pyproject.toml [project] or "
        "setup.cfg); skipped, as bastion never runs a build to learn it"
    )
    return None


def _editable(text: str, where: Line) -> Dependency | None:
    """`-e path-or-VCS-URL` or `-e "name @ VCS-URL"` (pip's parse_editable)."""
    direct = _editable_pep508(text, where)
    if direct is not None:
        return direct
    local, extras_text = _strip_path_extras(text)
    if local.lower().startswith("file:"):
        local = _file_url_path(local)
    projects = [path for path in where.find(local) if path.is_dir()]
    if projects:
        extras = _extras_from_text(extras_text, where)
        return _from_project(local, projects, where, extras=extras, editable=True)
    url = text
    for short in ("git", "hg", "svn", "bzr"):
        if url.lower().startswith(short + ":"):
            url = f"{short}+{url}"
            break
    if url.split(":", 1)[0].lower() in _VCS_SCHEMES and _is_url(url):
        return _from_url(url, None, where, editable=True)
    if "/" in local or local.startswith("."):
        where.warn(f"local path {local!r} not found; skipped")
        return None
    raise where.error(
        f"-e {text}: an editable requirement is a local project path or a VCS URL "
        "(git+https://..., hg+..., svn+..., bzr+...)"
    )


def _editable_pep508(text: str, where: Line) -> Dependency | None:
    """`-e "name[extra] @ URL ; marker"` (pip 25+), or None when `text` is not that form."""
    if "@" not in text:
        return None
    try:
        req = pep508.parse(text, where.location)
    except InputError:
        return None
    if not req.url:
        return None
    scheme = req.url.split(":", 1)[0].lower()
    if scheme not in _VCS_SCHEMES and scheme != "file":
        raise where.error(
            f"-e {text}: an editable requirement is a local project path or a VCS URL"
        )
    dep = pep508.from_requirement(req, text, where.location, warn=where.warn, editable=True)
    return replace(dep, version=None)  # an editable is built from its source: no fixed version
