"""Plain questions about AST nodes that rules share: literals, arguments, names.

Nothing here knows the file around a node; what needs the file (imports, scopes) is asked of
`FileContext`. Rules run on every node of their type across large trees, so each helper does
the cheapest test first (node shape, a type check).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable


def string_value(node: ast.AST | None) -> str | None:
    """The value of a `str` literal, or None for anything else."""
    if type(node) is ast.Constant and type(node.value) is str:
        value: str = node.value
        return value
    return None


def is_true(node: ast.AST | None) -> bool:
    """True for the literal `True` (not merely a truthy value)."""
    return type(node) is ast.Constant and node.value is True


def data_argument(call: ast.Call, *keywords: str) -> ast.expr | None:
    """The first positional argument, else the first of `keywords` passed by name."""
    if call.args and type(call.args[0]) is not ast.Starred:
        return call.args[0]
    for kw in call.keywords:
        if kw.arg in keywords:
            return kw.value
    return None


def has_double_star(call: ast.Call) -> bool:
    """True when the call passes `**mapping`, which may carry any keyword."""
    return any(kw.arg is None for kw in call.keywords)


def root_name(node: ast.expr) -> ast.Name | None:
    """The `Name` at the root of an attribute chain (`a` in `a.b.c`), or None."""
    while type(node) is ast.Attribute:
        node = node.value
    return node if type(node) is ast.Name else None


def literal_truth(node: ast.AST) -> bool | None:
    """Whether a literal is truthy (`True`, `1`, `"yes"`, `[x]`); None when it is no literal."""
    if type(node) is ast.Constant:
        return bool(node.value)
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return bool(node.elts)
    if type(node) is ast.Dict:
        return bool(node.keys)
    return None


def catches_everything(handler: ast.ExceptHandler) -> bool:
    """True for a bare `except:`, `except Exception:` and `except BaseException:`."""
    kind = handler.type
    return kind is None or (type(kind) is ast.Name and kind.id in ("Exception", "BaseException"))


def argument_or_unpacked(call: ast.Call, position: int, name: str | None = None) -> ast.expr | None:
    """The argument at `position`, or passed as keyword `name`.

    When a `*args` unpacking comes at or before `position`, that `Starred` node is returned
    instead: the argument is there, but what it holds is unknown (`ctx.argument` gives None).
    """
    for index, argument in enumerate(call.args):
        if type(argument) is ast.Starred or index == position:
            return argument
    if name is not None:
        for kw in call.keywords:
            if kw.arg == name:
                return kw.value
    return None


def quoted_names(names: Iterable[str]) -> str:
    """`a`, `b` (names as a finding message shows them)."""
    return ", ".join(f"`{name}`" for name in names)
