"""Reading TOML and JSON documents within bounds, with errors that name the file and line.

Every file a user gives bastion (a lock, a manifest, a config, a baseline) is read here, so
that a hostile or broken file is one `InputError` line, never a traceback or a runaway:

- files over `MAX_BYTES` are refused before they are read (the largest real locks are a few
  MB);
- text must be UTF-8 (a BOM is dropped); the error names the line of the first bad byte;
- nesting deeper than the parser's recursion allows (`[[[[...`, `{"a":{"a":...`) and integers
  over Python's 4,300-digit conversion limit are errors at their line, not `RecursionError`
  or `ValueError`;
- TOML keys of more than `MAX_KEY_PARTS` dotted parts are refused before parsing: `tomllib`
  takes time and memory quadratic in their length (40 KB of `a.a.a...` took 2.4 GB);
- a JSON string that decodes to a lone surrogate (`"\\ud800"`) is refused: it is not text,
  and it would fail later where it is written or looked up (SQLite), far from its cause.

Parsers stay the standard library's (`tomllib`, `json`): these are checks around them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from bastion.errors import InputError

MAX_BYTES = 64 * 1024 * 1024
MAX_KEY_PARTS = 64
_POSITION = re.compile(r"\s*\(at (line \d+, column \d+|end of document)\)")
_SEGMENT = r"""(?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*')"""
_LONG_KEY = re.compile(rf"(?:{_SEGMENT}[ \t]*\.[ \t]*){{{MAX_KEY_PARTS},}}{_SEGMENT}[ \t]*=")
_SURROGATE = re.compile("[\ud800-\udfff]")


def read_bytes(path: Path, *, limit: int = MAX_BYTES) -> bytes:
    """The file's bytes, or an InputError when it cannot be read or is larger than `limit`."""
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path) from None
    if len(data) > limit:
        raise InputError(f"larger than {limit // (1024 * 1024)} MB; not read", path)
    return data


def decode_utf8(data: bytes, path: Path | str) -> str:
    """UTF-8 text (a BOM dropped), or an InputError naming the line of the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(f"not UTF-8 text: {exc.reason} at byte {exc.start}", path, line) from None


def read_text(path: Path) -> str:
    """`read_bytes` then `decode_utf8`."""
    return decode_utf8(read_bytes(path), path)


def parse_toml(text: str, path: Path | str) -> dict[str, Any]:
    """A TOML document, or an InputError with the line `tomllib` (or a bound) names."""
    import tomllib

    at = _long_key_line(text)
    if at is not None:
        raise InputError(f"a key of more than {MAX_KEY_PARTS} dotted parts; not read", path, at)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        line: int | None = getattr(exc, "lineno", None) or toml_error_line(message, text)
        raise InputError(f"not valid TOML: {_POSITION.sub('', message)}", path, line) from None
    except RecursionError:
        raise InputError("not read: arrays or tables nested too deeply", path) from None
    except ValueError as exc:  # an integer over the conversion limit, a date out of range
        raise InputError(f"not valid TOML: {_first_line(exc)}", path) from None


def _long_key_line(text: str) -> int | None:
    """The line of the first key with more than `MAX_KEY_PARTS` dotted parts, or None.

    Only lines with that many dots are searched: the key pattern costs more than parsing
    when run over a whole large lock.
    """
    if text.count(".") <= MAX_KEY_PARTS:
        return None
    for number, line in enumerate(text.splitlines(), 1):
        if line.count(".") > MAX_KEY_PARTS and _LONG_KEY.search(line):
            return number
    return None


def parse_json(text: str | bytes, path: Path | str) -> Any:
    """A JSON document, or an InputError naming the line; lone surrogates are refused."""
    import json

    try:
        if isinstance(text, bytes):  # strictly: `json.loads` of bytes lets surrogates through
            text = text.decode("utf-8-sig")
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"not valid JSON: {exc.msg} (column {exc.colno})", path, exc.lineno
        ) from None
    except RecursionError:
        raise InputError("not read: arrays or objects nested too deeply", path) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text: {exc.reason} at byte {exc.start}", path) from None
    except ValueError as exc:  # an integer over the conversion limit
        raise InputError(f"not valid JSON: {_first_line(exc)}", path) from None
    if "\\u" in text and has_surrogates(data):
        raise InputError(
            "not valid JSON text: a string holds a lone surrogate (\\ud800-\\udfff)", path
        )
    return data


def has_surrogates(value: Any) -> bool:
    """True when a string anywhere in `value` (keys included) holds a lone surrogate."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def toml_error_line(message: str, text: str) -> int | None:
    """The line a `tomllib` error message names; the last line for "at end of document"."""
    match = re.search(r"line (\d+)", message)
    if match:
        return int(match.group(1))
    if "end of document" in message:
        return text.count("\n") + (0 if text.endswith("\n") else 1) or 1
    return None


def _first_line(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text.split("; use sys.set_int_max_str_digits")[0]
