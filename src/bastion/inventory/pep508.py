"""PEP 508 requirement strings as `Dependency`s: the one path every reader takes.

A requirement means the same wherever it is written (`requirements.txt`, `[project]
dependencies`, a PEP 735 group, a Pipfile entry, a version in a lock): the same name,
the same pin, the same specifier, markers, extras and URL. So every reader turns its strings
into dependencies here, and a test (`tests/inventory/test_pep508_agreement.py`) feeds the same
strings to every reader.

Parsing is `packaging`'s (`Requirement`, `SpecifierSet`, `Marker`, the wheel and sdist file
name parsers). What is decided here:

- Pinned means the specifiers admit exactly one version: `==1.2`, `===1.2`, and also
  `==1.2,>=1.0` (the other clauses allow the pin); `==1.2.*`, `>=1,<2` and contradictions
  (`==1.2,!=1.2`) are not pinned.
- A `name @ URL` requirement takes its version from the URL's wheel or sdist file name (every
  sdist suffix pip accepts: `.tar.gz`, `.zip`, `.tar.bz2`, `.tar.xz` ...), unless the file
  names another project (a warning: the version is then unknown). VCS URLs give no version.
  A wheel file name that does not parse is an error, as in pip.
- The specifier is kept as written (spaces and enclosing parentheses dropped) when it means
  what `packaging` read, else in `packaging`'s canonical form. Extras are normalized names.
- Hashes in a URL fragment (`#sha256=...`) join the requirement's hashes.

`name==version` with a plain version skips `packaging` altogether (`_FAST_PIN`): most lines of
a compiled requirements file are that, and the property tests check both paths agree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from bastion.errors import InputError
from bastion.findings import Location
from bastion.inventory.model import Dependency, normalize_name

if TYPE_CHECKING:
    from packaging.requirements import Requirement
    from packaging.specifiers import SpecifierSet

Warn = Callable[[str], None]

# `name==version` with a canonical-looking version: every match is a valid PEP 508
# requirement whose only specifier is that pin.
_FAST_PIN = re.compile(
    r"([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)[ \t]*==[ \t]*"
    r"([0-9]+(?:\.[0-9]+)*(?:(?:a|b|rc)[0-9]+)?(?:\.post[0-9]+)?(?:\.dev[0-9]+)?"
    r"(?:\+[a-z0-9]+(?:\.[a-z0-9]+)*)?)"
)
# Used through `re`'s cache rather than compiled at import (start-up time: a compiled
# requirements file needs only _FAST_PIN).
_SINGLE_PIN = r"\s*==\s*([^\s,*;=<>!~]+)\s*"
_NAME_AND_EXTRAS = r"\s*[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?\s*(?:\[[^\]]*\])?"
_URL_HASH = r"[#&](sha512|sha384|sha256|sha224|sha1|md5)=([^&]*)"

SDIST_SUFFIXES: tuple[str, ...] = (
    ".tar.gz", ".zip", ".tgz", ".tar", ".tar.bz2", ".tbz",
    ".tar.xz", ".txz", ".tlz", ".tar.lz", ".tar.lzma",
)  # fmt: skip
ARCHIVE_SUFFIXES: tuple[str, ...] = (".whl", *SDIST_SUFFIXES)
VCS_SCHEMES = frozenset(
    {
        "git+http", "git+https", "git+ssh", "git+git", "git+file",
        "hg+file", "hg+http", "hg+https", "hg+ssh", "hg+static-http",
        "svn+ssh", "svn+http", "svn+https", "svn+svn", "svn+file",
        "bzr+http", "bzr+https", "bzr+ssh", "bzr+sftp", "bzr+ftp", "bzr+lp", "bzr+file",
    }
)  # fmt: skip


def dependency(
    text: str,
    origin: Location,
    *,
    warn: Warn,
    groups: tuple[str, ...] = (),
    hashes: tuple[str, ...] = (),
) -> Dependency:
    """One PEP 508 requirement string as a direct `Dependency` (InputError when invalid)."""
    fast = fast_dependency(text, origin, hashes, groups)
    if fast is not None:
        return fast
    req = parse(text, origin)
    return from_requirement(req, text, origin, warn=warn, groups=groups, hashes=hashes)


def fast_dependency(
    text: str, origin: Location, hashes: tuple[str, ...] = (), groups: tuple[str, ...] = ()
) -> Dependency | None:
    """The `Dependency` of a plain `name==version`, without `packaging`; else None."""
    fast = _FAST_PIN.fullmatch(text)
    if fast is None or text.endswith(ARCHIVE_SUFFIXES):
        return None
    name, version = fast.groups()
    return Dependency(
        name=normalize_name(name),
        version=version,
        origin=origin,
        specifier="==" + version,
        hashes=hashes,
        groups=groups,
    )


def parse(text: str, origin: Location) -> Requirement:
    """`packaging`'s `Requirement`, or an InputError at `origin` that says what is wrong."""
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        req = Requirement(text)
    except InvalidRequirement as exc:
        reason = str(exc).splitlines()[0] if str(exc) else "not PEP 508"
        hint = ""
        if "=" in text and not any(op in text for op in ("~=", "==", "!=", "<=", ">=")):
            hint = " (= is not a valid operator; did you mean ==?)"
        raise _error(f"invalid requirement {text!r}: {reason}{hint}", origin) from None
    except ValueError as exc:  # a URL or number the standard library refuses
        raise _error(f"invalid requirement {text!r}: {exc}", origin) from None
    for spec in req.specifier:
        if not spec.version:
            raise _error(f"invalid requirement {text!r}: {spec.operator} needs a version", origin)
    if req.url:
        from urllib.parse import urlsplit

        try:
            urlsplit(req.url)  # `packaging` keeps any text; pip (and later steps) need a URL
        except ValueError as exc:
            raise _error(f"invalid URL in requirement {text!r}: {exc}", origin) from None
    return req


def from_requirement(
    req: Requirement,
    text: str,
    origin: Location,
    *,
    warn: Warn,
    groups: tuple[str, ...] = (),
    hashes: tuple[str, ...] = (),
    markers: str | None = None,
    editable: bool = False,
) -> Dependency:
    """A parsed requirement as a `Dependency`. `markers` applies when `req` carries none (a
    reader that split them off itself); `text` is the requirement as written."""
    if req.marker is not None:
        markers = str(req.marker)
    name = normalize_name(req.name)
    extras = normalized_extras(req.extras)
    if req.url:
        return Dependency(
            name=name,
            version=url_version(req.url, req.name, origin, warn=warn),
            origin=origin,
            hashes=url_hashes(req.url, hashes),
            markers=markers,
            extras=extras,
            groups=groups,
            url=req.url,
            editable=editable,
        )
    return Dependency(
        name=name,
        version=exact_pin(req.specifier),
        origin=origin,
        specifier=written_specifier(text, req.specifier),
        hashes=hashes,
        markers=markers,
        extras=extras,
        groups=groups,
        editable=editable,
    )


def table_dependency(
    name: str,
    origin: Location,
    *,
    warn: Warn,
    specifier: str = "",
    markers: str | None = None,
    extras: Iterable[str] = (),
    groups: tuple[str, ...] = (),
    url: str | None = None,
    editable: bool = False,
    version: str | None = None,
) -> Dependency:
    """A requirement written as a table (a Pipfile or Poetry entry) rather than a PEP 508
    string, read by the same rules: pinned by `pin_of(specifier)`, else by the URL's file
    name; markers in canonical form; extras normalized."""
    if version is None:
        version = pin_of(specifier)
    if version is None and url is not None:
        version = url_version(url, name, origin, warn=warn)
    return Dependency(
        name=normalize_name(name),
        version=version,
        origin=origin,
        specifier=specifier,
        markers=marker(markers, origin),
        extras=normalized_extras(extras),
        groups=groups,
        url=url,
        editable=editable,
    )


def exact_pin(specifier: SpecifierSet) -> str | None:
    """The version when the specifiers admit exactly one (`==1.2`, `===1.2`, `==1.2,>=1`)."""
    pins = {
        spec.version
        for spec in specifier
        if spec.operator == "===" or (spec.operator == "==" and not spec.version.endswith("*"))
    }
    if len(pins) != 1:
        return None
    (pin,) = pins
    try:
        for spec in specifier:
            if spec.operator != "===" and not spec.contains(pin, prereleases=True):
                return None
    except ValueError:  # a number over Python's digit limit: no version compares to it
        return None
    return pin


def pin_of(specifier: str) -> str | None:
    """`exact_pin` of a specifier string as a lock or a manifest table writes it (`==1.2`).

    One `==X` clause gives X without asking `packaging` (a lock has thousands); a specifier
    `packaging` cannot read pins nothing.
    """
    single = re.fullmatch(_SINGLE_PIN, specifier)
    if single is not None:
        return single.group(1)
    if not specifier.strip() or "=" not in specifier:
        return None
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        return exact_pin(SpecifierSet(specifier))
    except InvalidSpecifier:
        return None


def written_specifier(text: str, specifier: SpecifierSet) -> str:
    """The specifier as written (spaces and enclosing parentheses dropped) when it means what
    `packaging` read, else `packaging`'s canonical form (which sorts the clauses)."""
    body = text.split(";", 1)[0]
    match = re.match(_NAME_AND_EXTRAS, body)
    written = "".join((body[match.end() :] if match else "").split())
    if written.startswith("(") and written.endswith(")"):
        written = written[1:-1]
    canonical = str(specifier)
    if written == canonical:
        return written
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        if SpecifierSet(written) == specifier:
            return written
    except InvalidSpecifier:
        pass
    return canonical


def marker(text: str | None, origin: Location) -> str | None:
    """A PEP 508 marker in `packaging`'s canonical form (`python_version < "3.12"`), None for
    none; an InputError at `origin` when it does not parse."""
    if text is None or not text.strip():
        return None
    text = text.strip()
    try:
        return _canonical_marker(text)
    except ValueError as exc:
        reason = str(exc).splitlines()[0] if str(exc) else "not a PEP 508 marker"
        raise _error(f"invalid marker {text!r}: {reason}", origin) from None


@lru_cache(maxsize=512)
def _canonical_marker(text: str) -> str:
    """Cached: a lock repeats the same few markers on hundreds of entries."""
    from packaging.markers import InvalidMarker, Marker

    try:
        return str(Marker(text))
    except InvalidMarker as exc:
        raise ValueError(str(exc)) from None


def normalized_extras(extras: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted({normalize_name(extra) for extra in extras}))


def url_filename(url: str) -> str:
    """The last path segment of a URL or path, without query or fragment, unquoted."""
    from urllib.parse import unquote

    return unquote(url.split("#", 1)[0].split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1])


def is_vcs(url: str) -> bool:
    return ":" in url and url.split(":", 1)[0].lower() in VCS_SCHEMES


def url_version(url: str, name: str | None, origin: Location, *, warn: Warn) -> str | None:
    """The version a URL's archive file name gives, for the project `name` (see module doc)."""
    if is_vcs(url):
        return None
    filename = url_filename(url)
    file_name, version = archive_name_version(filename, origin)
    if (
        name is not None
        and file_name is not None
        and normalize_name(file_name) != normalize_name(name)
    ):
        warn(f"file {filename!r} does not match the requirement name {name!r}")
        return None
    return version


def archive_name_version(filename: str, origin: Location) -> tuple[str | None, str | None]:
    """(name, version) from a wheel file name (strict, as pip is: an InputError when it does
    not parse) or an sdist file name (lenient: (None, None) when it does not parse)."""
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
        except (InvalidWheelFilename, ValueError) as exc:
            raise _error(f"invalid wheel file name: {exc}", origin) from None
        return str(name), str(version)
    for suffix in SDIST_SUFFIXES:
        if lowered.endswith(suffix):
            try:
                name, version = parse_sdist_filename(filename[: -len(suffix)] + ".tar.gz")
            except (InvalidSdistFilename, ValueError):
                return None, None
            return str(name), str(version)
    return None, None


def url_hashes(url: str, hashes: tuple[str, ...]) -> tuple[str, ...]:
    """`hashes` plus the one a URL fragment names (`#sha256=...`), once."""
    match = re.search(_URL_HASH, url)
    if match is None:
        return hashes
    entry = f"{match.group(1)}:{match.group(2).lower()}"
    return hashes if entry in hashes else (*hashes, entry)


def _error(message: str, origin: Location) -> InputError:
    return InputError(message, origin.path, origin.line)
