"""Typed reads of parsed documents: the right type, or an error naming where and what."""

from __future__ import annotations

import pytest

from bastion import shape


def test_right_types_pass_through() -> None:
    data = {"a": {"b": [1, 2]}, "s": "x", "n": 3, "t": True}
    assert shape.table(data["a"], "a") == {"b": [1, 2]}
    assert shape.opt_array(shape.table(data["a"], "a"), "b", "a") == [1, 2]
    assert shape.opt_string(data, "s") == "x"
    assert shape.opt_integer(data, "n") == 3
    assert shape.opt_boolean(data, "t") is True
    assert shape.opt_string(data, "missing") is None
    assert shape.strings(["a", "b"], "l") == ["a", "b"]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: shape.opt_array({"w": 3}, "w", "package[2]"),
            "package[2].w: expected a list, got an integer",
        ),
        (lambda: shape.opt_string({"n": ["x"]}, "n"), "n: expected a string, got a list"),
        (lambda: shape.opt_integer({"n": True}, "n"), "n: expected a whole number, got a boolean"),
        (lambda: shape.table("x", "meta"), "meta: expected a table, got a string"),
        (lambda: shape.strings(["a", 1], "extras"), "extras[1]: expected a string, got an integer"),
        (lambda: shape.opt_boolean({"e": "yes"}, "e"), "e: expected true or false, got a string"),
    ],
)
def test_wrong_types_name_the_key_path(call: object, message: str) -> None:
    with pytest.raises(shape.WrongShape) as caught:
        call()  # type: ignore[operator]
    assert str(caught.value) == message
