"""Typed reads of parsed documents (TOML, JSON, YAML): the right type, or one clear error.

Every reader gets dicts, lists and scalars from a parser and must not trust their types: an
integer where a list belongs must be "`package[3].wheels`: expected a list, got an integer",
never a `TypeError` deep in the code. Readers ask for values through these functions at their
edge; each names where the value is (`where`, a key path such as `package[3].name`), and a
wrong type raises `WrongShape`, which the reader turns into its own error (an `InputError`
naming the file and line for a project's file, a `SourceError` naming the URL for a server's
answer). `None` is "absent" everywhere: TOML has no null, and JSON's null means "not given".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_TYPE_NAMES = {
    bool: "a boolean",
    int: "an integer",
    float: "a number",
    str: "a string",
    list: "a list",
    dict: "a table",
    type(None): "nothing",
}


class WrongShape(ValueError):
    """A value of the wrong type at `where` (a key path)."""

    def __init__(self, where: str, expected: str, got: object) -> None:
        self.where = where
        self.expected = expected
        self.got = describe(got)
        super().__init__(f"{where}: expected {expected}, got {self.got}")


def describe(value: object) -> str:
    """`a string`, `an integer`, `a table` ... (what a message says a value is)."""
    for kind, name in _TYPE_NAMES.items():
        if type(value) is kind:
            return name
    return f"a {type(value).__name__}"


def at(where: str, key: str | int) -> str:
    """The key path of `key` under `where`: `a.b`, `a[3]`."""
    if isinstance(key, int):
        return f"{where}[{key}]"
    return f"{where}.{key}" if where else key


def table(value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise WrongShape(where, "a table", value)
    return value


def array(value: object, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise WrongShape(where, "a list", value)
    return value


def string(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise WrongShape(where, "a string", value)
    return value


def boolean(value: object, where: str) -> bool:
    if not isinstance(value, bool):
        raise WrongShape(where, "true or false", value)
    return value


def integer(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise WrongShape(where, "a whole number", value)
    return value


def opt_table(data: Mapping[str, Any], key: str, where: str = "") -> dict[str, Any] | None:
    value = data.get(key)
    return None if value is None else table(value, at(where, key))


def opt_array(data: Mapping[str, Any], key: str, where: str = "") -> list[Any] | None:
    value = data.get(key)
    return None if value is None else array(value, at(where, key))


def opt_string(data: Mapping[str, Any], key: str, where: str = "") -> str | None:
    value = data.get(key)
    return None if value is None else string(value, at(where, key))


def opt_boolean(data: Mapping[str, Any], key: str, where: str = "") -> bool | None:
    value = data.get(key)
    return None if value is None else boolean(value, at(where, key))


def opt_integer(data: Mapping[str, Any], key: str, where: str = "") -> int | None:
    value = data.get(key)
    return None if value is None else integer(value, at(where, key))


def strings(value: object, where: str) -> list[str]:
    """A list of strings."""
    items = array(value, where)
    for index, item in enumerate(items):
        string(item, at(where, index))
    return items


def opt_strings(data: Mapping[str, Any], key: str, where: str = "") -> list[str] | None:
    value = data.get(key)
    return None if value is None else strings(value, at(where, key))
