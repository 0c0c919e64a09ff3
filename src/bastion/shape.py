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
from pathlib import Path
from typing import Any

from bastion.errors import InputError

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


# -- schemas: the shape of a whole document, declared once per format ---------------------------
#
# A schema is a type (`str`, `int`, `bool`, `float`), a tuple of alternatives (`(str, dict)`),
# a one-element list (`[EDGE]`: a list whose every item fits EDGE) or a dict of key -> schema
# (a table; `"*"` is the schema of every key not listed). Keys a schema does not name, and
# absent keys, are fine: readers decide what they need; a schema only says what a present
# value must look like, so that the reader can trust every value it reads.

Schema = type | tuple[Any, ...] | list[Any] | dict[str, Any]


def check(value: object, schema: Schema, where: str) -> None:
    """Raise `WrongShape` at the first value of `value` that does not fit `schema`."""
    if isinstance(schema, dict):
        items = table(value, where)
        other = schema.get("*")
        for key, item in items.items():
            inner = schema.get(key, other)
            if inner is not None and item is not None:
                check(item, inner, at(where, key))
        return
    if isinstance(schema, list):
        (inner,) = schema
        for index, item in enumerate(array(value, where)):
            check(item, inner, at(where, index))
        return
    if isinstance(schema, tuple):
        # The alternative of the value's own kind decides, so that its error is the precise
        # one ("extras: expected a list") rather than "expected a string or a table".
        for alternative in schema:
            if _kind_fits(value, alternative):
                check(value, alternative, where)
                return
        raise WrongShape(where, " or ".join(_schema_name(s) for s in schema), value)
    if not _is(value, schema):
        raise WrongShape(where, _schema_name(schema), value)


def _kind_fits(value: object, schema: object) -> bool:
    if isinstance(schema, dict):
        return isinstance(value, dict)
    if isinstance(schema, list):
        return isinstance(value, list)
    if isinstance(schema, tuple):
        return any(_kind_fits(value, alternative) for alternative in schema)
    return isinstance(schema, type) and _is(value, schema)


def _is(value: object, kind: type) -> bool:
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, kind)


def _schema_name(schema: object) -> str:
    if isinstance(schema, dict):
        return "a table"
    if isinstance(schema, list):
        return "a list"
    if isinstance(schema, tuple):
        return " or ".join(_schema_name(s) for s in schema)
    names: dict[object, str] = {
        str: "a string",
        int: "an integer",
        bool: "true or false",
        float: "a number",
    }
    return names.get(schema, f"a {getattr(schema, '__name__', schema)}")


def check_input(
    value: object, schema: Schema, where: str, path: str | Path, line: int | None = None
) -> None:
    """`check`, with a wrong shape reported as an `InputError` naming the file and line."""
    try:
        check(value, schema, where)
    except WrongShape as exc:
        raise InputError(str(exc), path, line) from None
