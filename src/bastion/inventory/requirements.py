"""pip requirements files (`requirements.txt` and the files it includes) as `Dependency`s.

Why by hand: pip has no public API for its requirements-file format (`pip._internal` is
declared unsupported, may be missing from the audited environment, and importing it costs
more than the parse). So this module follows pip 26's `req_file.py` and `constructors.py`
step by step; the parts a maintained library does well are delegated: `packaging` for PEP 508
requirements, markers, versions and wheel/sdist file names, stdlib `optparse` (what pip itself
uses) for the option part of a line, so `--opt=value`, `--opt value`, `-ovalue` and unique
abbreviations behave exactly as in pip, and `shlex` to split that part.

How a file is read, as pip does:
- bytes are decoded by BOM (UTF-8/16/32), else a PEP 263 `# -*- coding: x -*-` in the first
  two lines, else UTF-8; lines are split with `str.splitlines` (CRLF included);
- a line ending in `\\` continues on the next one (the joined line keeps the number of its
  first line) unless it is a comment; `#` at the start of a line or after whitespace starts a
  comment (so `#egg=` in a URL is kept); `${VAR}` (upper case, digits, `_`) is replaced by the
  environment variable when it is set and not empty;
- a line splits at the first space-separated token starting with `-`: before it is the
  requirement, after it the options (only `--hash` and `--config-settings` apply to a
  requirement; other options on a requirement line are ignored by pip, and warned about here);
- `-r FILE` / `-c FILE` are relative to the including file; only the first on a line counts
  (as in pip); a file included twice in different branches is read once; a file that includes
  one of its includers is a cycle.

Choices (and where bastion departs from pip, with the reason):
- Constraints (`-c`, or `constraint=True`) are not dependencies: they go to
  `Inventory.constraints`. After the whole tree is read, a constraint that pins one exact
  version applies to a requirement of the same name that does not pin one, when the
  constraint is unconditional or carries the same marker as the requirement (pip would
  evaluate markers for the running interpreter, but bastion audits for any target, so a
  conditional pin is only trusted where it provably applies). The requirement keeps its own
  origin line and takes the constraint's hashes if it has none. Constraints that pin
  different versions, or contradict a requirement's pin, give a warning and change nothing.
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
import sys
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from bastion.errors import InputError
from bastion.findings import Diagnostic, Location
from bastion.inventory.model import Dependency, IndexOption, Inventory, normalize_name

if TYPE_CHECKING:
    import optparse

    from packaging.requirements import Requirement

__all__ = ["apply_constraints", "parse_requirements_text", "read_requirements"]

# `name==version` with a canonical-looking version: every match is a valid PEP 508
# requirement whose only specifier is that pin, so it skips `packaging` (the property tests
# check that both paths agree). Anything else takes the full path.
_FAST_PIN = re.compile(
    r"([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)[ \t]*==[ \t]*"
    r"([0-9]+(?:\.[0-9]+)*(?:(?:a|b|rc)[0-9]+)?(?:\.post[0-9]+)?(?:\.dev[0-9]+)?"
    r"(?:\+[a-z0-9]+(?:\.[a-z0-9]+)*)?)"
)
_COMMENT = re.compile(r"(^|\s+)#.*$")
_HASH_TOKEN = re.compile(r"--hash=[a-z0-9]+:[0-9A-Fa-f]+")
_SHLEX_SPACE = re.compile(r"[ \t\r\n]+")

# The patterns not needed line after line in common files are used through `re`'s functions,
# which compile a pattern on its first use and cache it: compiling them all at import cost
# 0.8 ms of every run, and most runs need none of them.
_ENV_VAR = r"(?P<var>\$\{(?P<name>[A-Z0-9_]+)\})"
_PEP263 = rb"coding[:=]\s*([-\w.]+)"
_INCLUDE_URL = r"(?i)^(http|https|file):"
_NAME_AND_EXTRAS = r"\s*[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?\s*(?:\[[^\]]*\])?"
_PATH_EXTRAS = r"^(.+)(\[[^\]]+\])$"
_PROJECT_NAME = r"(?i)^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$"
_EGG = r"[#&]egg=([^&]*)"
_URL_HASH = r"[#&](sha512|sha384|sha256|sha224|sha1|md5)=([^&]*)"

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)
_HASH_LENGTHS = {"sha256": 64, "sha384": 96, "sha512": 128}
_VCS_SCHEMES = frozenset(
    {
        "git+http", "git+https", "git+ssh", "git+git", "git+file",
        "hg+file", "hg+http", "hg+https", "hg+ssh", "hg+static-http",
        "svn+ssh", "svn+http", "svn+https", "svn+svn", "svn+file",
        "bzr+http", "bzr+https", "bzr+ssh", "bzr+sftp", "bzr+ftp", "bzr+lp", "bzr+file",
    }
)  # fmt: skip
_URL_SCHEMES = frozenset({"http", "https", "file", "ftp"}) | _VCS_SCHEMES
_SDIST_SUFFIXES: tuple[str, ...] = (".tar.gz", ".zip", ".tgz", ".tar", ".tar.bz2", ".tbz")
_SDIST_SUFFIXES += (".tar.xz", ".txz", ".tlz", ".tar.lz", ".tar.lzma")
_ARCHIVE_SUFFIXES = (".whl", *_SDIST_SUFFIXES)

# (dest, spelling used in messages, action) of every option pip accepts in a requirements
# file; `append` everywhere a value may repeat (defaults are None so nothing is shared).
_OPTIONS: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("-i", "--index-url", "--pypi-url"), "index_url", "store"),
    (("--extra-index-url",), "extra_index_urls", "append"),
    (("--no-index",), "no_index", "store_true"),
    (("-c", "--constraint"), "constraints", "append"),
    (("-r", "--requirement"), "requirements", "append"),
    (("-e", "--editable"), "editables", "append"),
    (("-f", "--find-links"), "find_links", "append"),
    (("--no-binary",), "no_binary", "append"),
    (("--only-binary",), "only_binary", "append"),
    (("--prefer-binary",), "prefer_binary", "store_true"),
    (("--require-hashes",), "require_hashes", "store_true"),
    (("--no-require-hashes",), "no_require_hashes", "store_true"),
    (("--pre",), "pre", "store_true"),
    (("--all-releases",), "all_releases", "append"),
    (("--only-final",), "only_final", "append"),
    (("--trusted-host",), "trusted_hosts", "append"),
    (("--use-feature",), "features_enabled", "append"),
    (("--hash",), "hashes", "append"),
    (("-C", "--config-settings"), "config_settings", "append"),
)
_SPELLING = {dest: next(f for f in flags if f[1] == "-") for flags, dest, _ in _OPTIONS}
_REQUIREMENT_OPTIONS = frozenset({"hashes", "config_settings"})
_SOURCE_OPTIONS = ("index_url", "extra_index_urls", "no_index", "find_links", "trusted_hosts")


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


def apply_constraints(
    dependencies: Sequence[Dependency],
    constraints: Sequence[Dependency],
    diagnostics: list[Diagnostic],
) -> list[Dependency]:
    """Pin unpinned `dependencies` that `constraints` pin to one version (see module doc)."""
    by_name: dict[str, list[Dependency]] = {}
    for item in constraints:
        if item.version is not None:
            by_name.setdefault(item.name, []).append(item)
    if not by_name:
        return list(dependencies)
    result: list[Dependency] = []
    for dep in dependencies:
        applicable = [
            c for c in by_name.get(dep.name, ()) if c.markers is None or c.markers == dep.markers
        ]
        result.append(_constrained(dep, applicable, diagnostics) if applicable else dep)
    return result


def _constrained(
    dep: Dependency, constraints: list[Dependency], diagnostics: list[Diagnostic]
) -> Dependency:
    pins = {c.version for c in constraints}
    where = ", ".join(str(c.origin) for c in constraints if c.origin)
    if len(pins) > 1:
        listed = ", ".join(sorted(str(p) for p in pins))
        diagnostics.append(
            Diagnostic(f"constraints pin {dep.name} to different versions ({listed}; {where})")
        )
        return dep
    (pin,) = pins
    if pin is None:
        return dep
    if dep.url is not None:
        return dep
    if dep.version is not None:
        if dep.version != pin:
            diagnostics.append(
                Diagnostic(
                    f"{dep.name}=={dep.version} contradicts the constraint {dep.name}=={pin} "
                    f"({where})",
                    dep.origin,
                )
            )
            return dep
        if dep.hashes:
            return dep
    elif dep.specifier and not _allows(dep.specifier, pin):
        diagnostics.append(
            Diagnostic(
                f"{dep.name}{dep.specifier} excludes the constraint {dep.name}=={pin} ({where})",
                dep.origin,
            )
        )
        return dep
    hashes = dep.hashes or _common_hashes(constraints)
    return replace(dep, version=pin, hashes=hashes)


def _allows(specifier: str, version: str) -> bool:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        return SpecifierSet(specifier).contains(version, prereleases=True)
    except InvalidSpecifier:
        return True


def _common_hashes(constraints: list[Dependency]) -> tuple[str, ...]:
    """The hashes every hash-carrying constraint accepts (pip intersects them)."""
    lists = [c.hashes for c in constraints if c.hashes]
    if not lists:
        return ()
    common = set(lists[0]).intersection(*lists[1:])
    return tuple(h for h in lists[0] if h in common)


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
        return Inventory(
            dependencies=dependencies,
            sources=self.sources,
            constraints=self.constraints,
            index_options=self.index_options,
        )

    def read_file(self, path: Path, *, constraint: bool, included_at: _Line | None) -> None:
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
        self.read_text(_decode(data, path), path, constraint=constraint, real=real)
        self.done.add((real, constraint))

    def read_text(self, text: str, path: Path, *, constraint: bool, real: str = "") -> None:
        shown = str(path)
        folder = path.parent
        self.sources.append(shown)
        self.stack.append((real or os.path.realpath(path), shown))
        try:
            for number, line in _logical_lines(text):
                where = _Line(Location(shown, number), folder, self.diagnostics)
                self._line(line, where, path, constraint)
        finally:
            self.stack.pop()

    def _line(self, line: str, where: _Line, path: Path, constraint: bool) -> None:
        args, options_text = _split_args_options(line)
        if not options_text:
            self._add(_requirement(args, (), where), where, constraint)
            return
        if args:
            hashes_only = _hash_tokens(options_text)
            if hashes_only is not None:
                self._add(_requirement(args, _hashes(hashes_only, where), where), where, constraint)
                return
        if self.parser is None:
            self.parser = _option_parser()
        parsed = _parse_options(self.parser, options_text, where, requirement_line=bool(args))
        if parsed is None:
            return  # a line of options with an unknown one: warned, skipped
        opts, leftover = parsed
        if leftover:
            where.warn(f"text after the options is ignored (as pip does): {leftover}")
        given = [dest for dest, value in vars(opts).items() if value]
        if args:
            _warn_ignored(given, _REQUIREMENT_OPTIONS, where)
            hashes = _hashes(opts.hashes or [], where)
            self._add(_requirement(args, hashes, where), where, constraint)
        elif opts.editables:
            _warn_ignored(given, {"editables", "config_settings"}, where)
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

    def _add(self, dep: Dependency | None, where: _Line, constraint: bool) -> None:
        if dep is None:
            return
        if not constraint:
            self.requirements.append(dep)
            return
        if dep.extras:
            raise where.error("constraints cannot have extras")
        self.constraints.append(dep)

    def _include(self, opts: optparse.Values, given: list[str], where: _Line, path: Path) -> None:
        nested_constraint = not opts.requirements
        targets: list[str] = opts.requirements or opts.constraints
        flag = "-c" if nested_constraint else "-r"
        if len(targets) > 1 or (opts.requirements and opts.constraints):
            where.warn(f"only the first {flag} on a line is read (as pip does)")
        _warn_ignored(given, {"requirements", "constraints"}, where)
        target = targets[0]
        if re.match(_INCLUDE_URL, target):
            if not target.lower().startswith("file:"):
                where.warn(f"{flag} {target}: remote files are not fetched; not read")
                return
            included = Path(_file_url_path(target))
        else:
            included = Path(os.path.normpath(os.path.join(os.path.dirname(path), target)))
        real = os.path.realpath(included)
        for position, (ancestor, _) in enumerate(self.stack):
            if ancestor == real:
                chain = [shown for _, shown in self.stack[position:]] + [str(included)]
                raise where.error(f"include cycle: {' -> '.join(chain)}")
        self.read_file(included, constraint=nested_constraint, included_at=where)

    def _record_sources(self, opts: optparse.Values, location: Location) -> None:
        for dest in _SOURCE_OPTIONS:
            value = getattr(opts, dest)
            if not value:
                continue
            spelled = _SPELLING[dest]
            if value is True:
                self.index_options.append(IndexOption(spelled, None, location))
            elif isinstance(value, str):
                self.index_options.append(IndexOption(spelled, value, location))
            else:
                self.index_options.extend(IndexOption(spelled, v, location) for v in value)


class _Line:
    """Where a logical line is: for origins, messages and local paths.

    A plain class, like `_Reader`: one is built per line, and nothing compares them.
    """

    __slots__ = ("diagnostics", "folder", "location")

    def __init__(self, location: Location, folder: Path, diagnostics: list[Diagnostic]) -> None:
        self.location = location
        self.folder = folder
        self.diagnostics = diagnostics

    def error(self, message: str) -> InputError:
        return InputError(message, self.location.path, self.location.line)

    def warn(self, message: str) -> None:
        self.diagnostics.append(Diagnostic(message, self.location))

    def find(self, text: str) -> list[Path]:
        """Where a local path exists: from the current directory (as pip sees it), then from
        the requirements file's folder (bastion is often run from elsewhere)."""
        found: list[Path] = []
        for candidate in (Path(text), self.folder / text):
            try:
                if candidate.exists() and not any(candidate.samefile(f) for f in found):
                    found.append(candidate)
            except (OSError, ValueError):
                continue
        return found


def _warn_ignored(given: list[str], allowed: set[str] | frozenset[str], where: _Line) -> None:
    ignored = [_SPELLING[dest] for dest in given if dest not in allowed]
    if ignored:
        where.warn(f"{', '.join(ignored)} has no effect on this line (pip ignores it)")


def _decode(data: bytes, path: Path) -> str:
    """pip's decoding: a BOM, else a PEP 263 coding comment in two lines, else UTF-8."""
    encoding = "utf-8"
    for bom, name in _BOMS:
        if data.startswith(bom):
            data, encoding = data[len(bom) :], name
            break
    else:
        for head in data.split(b"\n", 2)[:2]:
            match = re.search(_PEP263, head) if head[:1] == b"#" else None
            if match:
                encoding = match.group(1).decode("ascii")
                break
    try:
        return data.decode(encoding)
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r} in the coding comment", path, 1) from None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1 if encoding == "utf-8" else None
        raise InputError(f"not valid {encoding} text: {exc.reason}", path, line) from None
    except ValueError as exc:
        raise InputError(f"cannot decode as {encoding}: {exc}", path) from None


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """pip's preprocess(): join `\\` continuations, drop comments and blanks, expand ${VAR}."""
    parts: list[str] = []
    first = 0
    for number, raw in enumerate(text.splitlines(), 1):
        is_comment = raw.lstrip()[:1] == "#"
        if not is_comment and raw.endswith("\\"):
            if not parts:
                first = number
            parts.append(raw.strip("\\"))
            continue
        if parts:
            parts.append(" " + raw if is_comment else raw)
            line = _clean("".join(parts))
            parts = []
            if line:
                yield first, line
        elif not is_comment:
            line = _clean(raw)
            if line:
                yield number, line
    if parts:
        line = _clean("".join(parts))
        if line:
            yield first, line


def _clean(line: str) -> str:
    if "#" in line:
        line = _COMMENT.sub("", line)
    line = line.strip()
    if "${" in line:
        for var, name in re.findall(_ENV_VAR, line):
            value = os.environ.get(name)
            if value:
                line = line.replace(var, value)
    return line


def _split_args_options(line: str) -> tuple[str, str]:
    """pip's break_args_options: options start at the first ` `-separated token with `-`."""
    if line.startswith("-"):
        return "", line
    cut = line.find(" -")
    if cut < 0:
        return line, ""
    return line[:cut], line[cut + 1 :]


class _OptionError(Exception):
    def __init__(self, message: str, *, unknown: bool) -> None:
        super().__init__(message)
        self.unknown = unknown


def _option_parser() -> optparse.OptionParser:
    """pip's requirement-file options. One per read: optparse parsers keep per-parse state."""
    import optparse

    class LineOptionParser(optparse.OptionParser):
        def error(self, msg: str) -> NoReturn:
            # optparse calls this from inside `except BadOptionError` for an unknown option
            # (an ambiguous abbreviation is a subclass: that is a typo, so not "unknown").
            unknown = type(sys.exc_info()[1]) is optparse.BadOptionError
            raise _OptionError(msg, unknown=unknown)

    parser = LineOptionParser(add_help_option=False, usage=optparse.SUPPRESS_USAGE)
    for flags, dest, action in _OPTIONS:
        parser.add_option(*flags, dest=dest, action=action, default=None)
    return parser


def _parse_options(
    parser: optparse.OptionParser, text: str, where: _Line, *, requirement_line: bool
) -> tuple[optparse.Values, str] | None:
    """The options of one line and the text after them; None when the line is skipped."""
    import shlex

    try:
        tokens = shlex.split(text)
    except ValueError as exc:
        raise where.error(f"cannot split options {text!r}: {exc}") from None
    try:
        opts, leftover = parser.parse_args(tokens, parser.get_default_values())
    except _OptionError as exc:
        if exc.unknown and not requirement_line:
            where.warn(f"{exc} (not a pip requirements-file option); line skipped")
            return None
        raise where.error(str(exc)) from None
    return opts, " ".join(leftover)


def _hash_tokens(text: str) -> list[str] | None:
    """The values of an options part made only of `--hash=algo:hex` (what lock tools write).

    Such text splits the same with shlex and means the same to optparse, so both are skipped.
    """
    tokens = _SHLEX_SPACE.split(text.strip(" \t\r\n"))
    if all(_HASH_TOKEN.fullmatch(token) for token in tokens):
        return [token[7:] for token in tokens]
    return None


def _hashes(values: list[str], where: _Line) -> tuple[str, ...]:
    found: list[str] = []
    for value in values:
        algorithm, sep, digest = value.partition(":")
        if not sep:
            raise where.error(
                f"--hash={value}: expected a hash name and a value, like --hash=sha256:abcd..."
            )
        length = _HASH_LENGTHS.get(algorithm)
        if length is None:
            raise where.error(f"--hash={value}: allowed algorithms are sha256, sha384, sha512")
        digest = digest.lower()
        if len(digest) != length or digest.strip("0123456789abcdef"):
            raise where.error(f"--hash={value}: not a {algorithm} digest ({length} hex digits)")
        entry = f"{algorithm}:{digest}"
        if entry not in found:
            found.append(entry)
    return tuple(found)


# ---------------------------------------------------------------------------------------------
# One requirement


def _requirement(text: str, hashes: tuple[str, ...], where: _Line) -> Dependency | None:
    """A non-editable requirement (pip's parse_req_from_line), or None when skipped."""
    fast = _FAST_PIN.fullmatch(text)
    if fast is not None and not text.endswith(_ARCHIVE_SUFFIXES):
        name, version = fast.groups()
        return Dependency(
            name=normalize_name(name),
            version=version,
            origin=where.location,
            specifier="==" + version,
            hashes=hashes,
        )
    return _requirement_full(text, hashes, where)


def _requirement_full(text: str, hashes: tuple[str, ...], where: _Line) -> Dependency | None:
    url_line = _is_url(text)
    separator = "; " if url_line else ";"
    markers: str | None = None
    if separator in text:
        text, marker_text = text.split(separator, 1)
        markers = _marker(marker_text.strip(), where)
    text = text.strip()
    if url_line:
        return _from_url(text, None, where, markers=markers, hashes=hashes)
    local, extras_text = _strip_path_extras(text)
    looks_like_path = "/" in text or text.startswith(".")
    archive = local.lower().endswith(_ARCHIVE_SUFFIXES)
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
        req = _pep508(text, where)
    except InputError:
        if looks_like_path and not found and not _looks_like_pep508_url(text):
            where.warn(f"local path {local!r} not found; skipped")
            return None
        raise
    extras = tuple(sorted({normalize_name(e) for e in req.extras}))
    if req.url:
        return _from_url(req.url, req.name, where, extras=extras, markers=markers, hashes=hashes)
    return Dependency(
        name=normalize_name(req.name),
        version=_exact_pin(req),
        origin=where.location,
        specifier=_written_specifier(text),
        hashes=hashes,
        markers=markers,
        extras=extras,
    )


def _pep508(text: str, where: _Line) -> Requirement:
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        req = Requirement(text)
    except InvalidRequirement as exc:
        reason = str(exc).splitlines()[0] if str(exc) else "not PEP 508"
        hint = ""
        if "=" in text and not any(op in text for op in ("~=", "==", "!=", "<=", ">=")):
            hint = " (= is not a valid operator; did you mean ==?)"
        raise where.error(f"invalid requirement {text!r}: {reason}{hint}") from None
    for spec in req.specifier:
        if not spec.version:
            raise where.error(f"invalid requirement {text!r}: {spec.operator} needs a version")
    return req


def _marker(text: str, where: _Line) -> str | None:
    if not text:
        return None
    from packaging.markers import InvalidMarker, Marker

    try:
        return str(Marker(text))
    except InvalidMarker as exc:
        reason = str(exc).splitlines()[0] if str(exc) else "not a PEP 508 marker"
        raise where.error(f"invalid marker {text!r}: {reason}") from None


def _exact_pin(req: Requirement) -> str | None:
    """The version when the specifiers allow exactly one (`==1.2`, `===1.2`), else None."""
    pins = {
        spec.version
        for spec in req.specifier
        if spec.operator == "===" or (spec.operator == "==" and not spec.version.endswith("*"))
    }
    if len(pins) != 1:
        return None
    (pin,) = pins
    for spec in req.specifier:
        if spec.operator != "===" and not spec.contains(pin, prereleases=True):
            return None
    return pin


def _written_specifier(text: str) -> str:
    """The version range as written (spaces and enclosing parentheses dropped)."""
    match = re.match(_NAME_AND_EXTRAS, text)
    rest = text[match.end() :].strip() if match else ""
    if rest.startswith("(") and rest.endswith(")"):
        rest = rest[1:-1]
    return "".join(rest.split())


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


def _extras_from_text(extras_text: str, where: _Line) -> tuple[str, ...]:
    if not extras_text:
        return ()
    req = _pep508("placeholder" + extras_text, where)
    return tuple(sorted({normalize_name(e) for e in req.extras}))


def _url_hashes(url: str, hashes: tuple[str, ...]) -> tuple[str, ...]:
    match = re.search(_URL_HASH, url)
    if match is None:
        return hashes
    entry = f"{match.group(1)}:{match.group(2).lower()}"
    return hashes if entry in hashes else (*hashes, entry)


def _egg_name(url: str, where: _Line) -> str | None:
    match = re.search(_EGG, url)
    if match is None:
        return None
    name = match.group(1)
    if not re.match(_PROJECT_NAME, name):
        raise where.error(
            f"invalid #egg= fragment {name!r}: expected a project name (write 'name @ URL')"
        )
    return name


def _from_url(
    url: str,
    name: str | None,
    where: _Line,
    *,
    extras: tuple[str, ...] = (),
    markers: str | None = None,
    hashes: tuple[str, ...] = (),
    local: bool = False,
    editable: bool = False,
) -> Dependency | None:
    """A URL, VCS or archive-path requirement; `name` is the PEP 508 name when there is one."""
    from urllib.parse import unquote

    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    vcs = not local and scheme in _VCS_SCHEMES
    if name is None:
        name = _egg_name(url, where)
    filename = unquote(url.split("#", 1)[0].split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1])
    file_name, version = (None, None) if vcs else _archive_name_version(filename, where)
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
        hashes=_url_hashes(url, hashes),
        markers=markers,
        extras=extras,
        url=url,
        editable=editable,
    )


def _archive_name_version(filename: str, where: _Line) -> tuple[str | None, str | None]:
    """(name, version) from a wheel (strict, as pip is) or an sdist file name (lenient)."""
    from packaging.utils import (
        InvalidSdistFilename,
        InvalidWheelFilename,
        parse_sdist_filename,
        parse_wheel_filename,
    )

    lowered = filename.lower()
    if lowered.endswith(".whl"):
        try:
            name, version, _, _ = parse_wheel_filename(filename)
        except InvalidWheelFilename as exc:
            raise where.error(f"invalid wheel file name: {exc}") from None
        return str(name), str(version)
    for suffix in _SDIST_SUFFIXES:
        if lowered.endswith(suffix):
            try:
                name, version = parse_sdist_filename(filename[: -len(suffix)] + ".tar.gz")
            except InvalidSdistFilename:
                return None, None
            return str(name), str(version)
    return None, None


def _file_url_path(url: str) -> str:
    from urllib.parse import urlsplit
    from urllib.request import url2pathname

    return url2pathname(urlsplit(url).path)


def _from_project(
    text: str,
    folders: list[Path],
    where: _Line,
    *,
    extras: tuple[str, ...] = (),
    markers: str | None = None,
    editable: bool = False,
) -> Dependency | None:
    """A local project folder: the first of `folders` whose static metadata names it."""
    for folder in folders:
        name, version = _static_metadata(folder)
        if name is not None:
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


def _static_metadata(directory: Path) -> tuple[str | None, str | None]:
    """A local project's name and version from files that are data, never from setup.py."""
    import tomllib

    try:
        data = tomllib.loads((directory / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        data = {}
    project = data.get("project")
    if isinstance(project, dict) and _is_name(project.get("name")):
        version = project.get("version")
        dynamic = project.get("dynamic")
        if isinstance(dynamic, list) and "version" in dynamic:
            version = None
        return project["name"], _valid_version(version)
    tool = data.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    if isinstance(poetry, dict) and _is_name(poetry.get("name")):
        return poetry["name"], _valid_version(poetry.get("version"))
    return _setup_cfg_metadata(directory / "setup.cfg")


def _is_name(value: object) -> bool:
    return isinstance(value, str) and re.match(_PROJECT_NAME, value) is not None


def _setup_cfg_metadata(path: Path) -> tuple[str | None, str | None]:
    import configparser

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, configparser.Error):
        return None, None
    name = parser.get("metadata", "name", fallback="").strip()
    version = parser.get("metadata", "version", fallback=None)
    return (name if _is_name(name) else None), _valid_version(version)


def _valid_version(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    from packaging.version import InvalidVersion, Version

    try:
        Version(value)
    except InvalidVersion:
        return None
    return value.strip()


def _editable(text: str, where: _Line) -> Dependency | None:
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


def _editable_pep508(text: str, where: _Line) -> Dependency | None:
    """`-e "name[extra] @ URL ; marker"` (pip 25+), or None when `text` is not that form."""
    if "@" not in text:
        return None
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        req = Requirement(text)
    except InvalidRequirement:
        return None
    if not req.url:
        return None
    scheme = req.url.split(":", 1)[0].lower()
    if scheme not in _VCS_SCHEMES and scheme != "file":
        raise where.error(
            f"-e {text}: an editable requirement is a local project path or a VCS URL"
        )
    return Dependency(
        name=normalize_name(req.name),
        version=None,
        origin=where.location,
        markers=str(req.marker) if req.marker else None,
        extras=tuple(sorted({normalize_name(e) for e in req.extras})),
        url=req.url,
        editable=True,
    )
