"""What `FileContext` tells rules about a file's names: imports and scopes, from one index."""

from __future__ import annotations

import ast

import pytest

from bastion.code.context import FileContext


def context(source: str) -> FileContext:
    tree = ast.parse(source)
    ctx = FileContext("x.py", source, tree, lines=source.splitlines())
    ctx.record_module_imports()
    return ctx


def last_call(ctx: FileContext) -> ast.Call:
    calls = [n for n in ast.walk(ctx.tree) if isinstance(n, ast.Call)]
    return max(calls, key=lambda c: (c.lineno, c.col_offset))


@pytest.mark.parametrize(
    ("source", "builtin"),
    [
        ("eval(x)\n", True),
        ("import builtins\nbuiltins.eval(x)\n", True),
        ("def eval(s): ...\neval(x)\n", False),
        ("eval = print\neval(x)\n", False),
        ("from os import eval\neval(x)\n", False),
        # bindings the scope index knows and a plain statement scan misses:
        ("if (eval := print):\n    pass\neval(x)\n", False),
        ("match v:\n    case [eval]:\n        pass\neval(x)\n", False),
        ("match v:\n    case {**eval}:\n        pass\neval(x)\n", False),
        ("def f(eval):\n    return eval(x)\n", False),
        ("def f():\n    eval = len\n    return eval(x)\n", False),
        ("def f():\n    return eval(x)\neval = len\n", False),
        ("class C:\n    eval = len\n    y = eval(x)\n", False),
        ("class C:\n    eval = len\n    def m(self):\n        return eval(x)\n", True),
    ],
)
def test_calls_builtin_sees_every_way_a_name_is_bound(source: str, builtin: bool) -> None:
    ctx = context(source)
    call = last_call(ctx)
    ctx.ancestors = _ancestors(ctx.tree, call)
    assert ctx.calls_builtin(call, "eval") is builtin


def _ancestors(tree: ast.AST, target: ast.AST) -> list[ast.AST]:
    path: list[ast.AST] = []

    def visit(node: ast.AST, chain: list[ast.AST]) -> bool:
        if node is target:
            path.extend(chain)
            return True
        return any(visit(child, [*chain, node]) for child in ast.iter_child_nodes(node))

    visit(tree, [])
    return path


def test_imports_anywhere_in_the_file() -> None:
    ctx = context(
        "def f():\n    import xml.sax as sax\n    from a.b import c\nimport numpy as np\n"
    )
    assert ctx.imports.bound == {"sax", "c", "np"}
    assert ctx.imports_module("xml.sax")
    assert ctx.imports_module("a.b")
    assert not ctx.imports_module("xml.dom")
    assert ctx.is_imported(ast.Name("np"))
    assert not ctx.is_imported(ast.Name("pd"))


def test_calls_bound_to_a_name_by_assignment_walrus_and_with() -> None:
    source = (
        "def f():\n"
        "    t = tarfile.open(p)\n"
        "    with zipfile.ZipFile(q) as t:\n"
        "        pass\n"
        "    if (t := gzip.open(r)):\n"
        "        pass\n"
        "    a, t = g()\n"
    )
    ctx = context(source)
    scope = ctx.tree.body[0]
    found = [ctx.qualname(c.func) for c in ctx.calls_bound_to(scope, "t")]
    assert found == ["tarfile.open", "zipfile.ZipFile", "gzip.open"]


def test_tails_of_names_through_import_aliases() -> None:
    ctx = context("from pickle import loads as ld\nimport ssl\nld(x)\nssl.PROTOCOL_TLSv1\n")
    call = ctx.tree.body[2].value  # type: ignore[attr-defined]
    assert ctx.call_tail(call) == "loads"
    assert ctx.value_tail(ctx.tree.body[3].value) == "PROTOCOL_TLSv1"  # type: ignore[attr-defined]
