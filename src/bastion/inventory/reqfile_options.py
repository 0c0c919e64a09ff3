"""The option part of a requirements-file line, parsed as pip parses it.

pip uses stdlib `optparse` for these options, so this module does too: `--opt=value`,
`--opt value`, `-ovalue` and unique abbreviations then behave exactly as in pip, and `shlex`
splits the text first. Only `--hash` and `--config-settings` apply to a requirement; a hash
must be `sha256|sha384|sha512:hex` of the right length (a hash that can never match is a
broken lock). A line of options with an unknown option is skipped with a warning (newer pip
options must not stop an audit); an unknown option on a requirement line is an error.
"""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING, NoReturn

from bastion.inventory.reqfile_text import Line

if TYPE_CHECKING:
    import optparse

_HASH_TOKEN = re.compile(r"--hash=[a-z0-9]+:[0-9A-Fa-f]+")
_SHLEX_SPACE = re.compile(r"[ \t\r\n]+")
_HASH_LENGTHS = {"sha256": 64, "sha384": 96, "sha512": 128}

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
SPELLING = {dest: next(f for f in flags if f[1] == "-") for flags, dest, _ in _OPTIONS}
REQUIREMENT_OPTIONS = frozenset({"hashes", "config_settings"})
SOURCE_OPTIONS = (
    "index_url",
    "extra_index_urls",
    "no_index",
    "find_links",
    "trusted_hosts",
    "require_hashes",
)


def warn_ignored(given: list[str], allowed: set[str] | frozenset[str], where: Line) -> None:
    ignored = [SPELLING[dest] for dest in given if dest not in allowed]
    if ignored:
        where.warn(f"{', '.join(ignored)} has no effect on this line (pip ignores it)")


class OptionError(Exception):
    def __init__(self, message: str, *, unknown: bool) -> None:
        super().__init__(message)
        self.unknown = unknown


def option_parser() -> optparse.OptionParser:
    """pip's requirement-file options. One per read: optparse parsers keep per-parse state."""
    import optparse

    class LineOptionParser(optparse.OptionParser):
        def error(self, msg: str) -> NoReturn:
            # optparse calls this from inside `except BadOptionError` for an unknown option
            # (an ambiguous abbreviation is a subclass: that is a typo, so not "unknown").
            unknown = type(sys.exc_info()[1]) is optparse.BadOptionError
            raise OptionError(msg, unknown=unknown)

    parser = LineOptionParser(add_help_option=False, usage=optparse.SUPPRESS_USAGE)
    for flags, dest, action in _OPTIONS:
        parser.add_option(*flags, dest=dest, action=action, default=None)
    return parser


def parse_options(
    parser: optparse.OptionParser, text: str, where: Line, *, requirement_line: bool
) -> tuple[optparse.Values, str] | None:
    """The options of one line and the text after them; None when the line is skipped."""
    import shlex

    try:
        tokens = shlex.split(text)
    except ValueError as exc:
        raise where.error(f"cannot split options {text!r}: {exc}") from None
    try:
        opts, leftover = parser.parse_args(tokens, parser.get_default_values())
    except OptionError as exc:
        if exc.unknown and not requirement_line:
            where.warn(f"{exc} (not a pip requirements-file option); line skipped")
            return None
        raise where.error(str(exc)) from None
    return opts, " ".join(leftover)


def hash_tokens(text: str) -> list[str] | None:
    """The values of an options part made only of `--hash=algo:hex` (what lock tools write).

    Such text splits the same with shlex and means the same to optparse, so both are skipped.
    """
    tokens = _SHLEX_SPACE.split(text.strip(" \t\r\n"))
    if all(_HASH_TOKEN.fullmatch(token) for token in tokens):
        return [token[7:] for token in tokens]
    return None


def hashes(values: list[str], where: Line) -> tuple[str, ...]:
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
