"""What a file's import statements bind and load, wherever they are in the file.

`FileContext.aliases` follows imports in walk order (a name means what it was last imported
as); this is the whole-file view rules need besides: was a name bound by any import, is a
module imported anywhere. Collected once per file, on first use, by `FileContext.imports`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

_BODY_FIELDS = ("body", "orelse", "finalbody", "handlers", "cases")
_DEF_TYPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def statements(body: list[ast.stmt], *, nested: bool) -> Iterator[ast.AST]:
    """Every statement in `body` and the blocks under it, without visiting expressions.

    `except` handlers and `case` blocks are yielded too. With `nested=False` the bodies of
    nested functions and classes (other scopes) are skipped, though their `def`/`class`
    statements are yielded. Much cheaper than `ast.walk`, which visits every expression.
    """
    stack: list[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        yield node
        if not nested and isinstance(node, _DEF_TYPES):
            continue
        for name in _BODY_FIELDS:
            block = getattr(node, name, None)
            if block:
                stack.extend(block)


@dataclass(frozen=True, slots=True)
class ImportFacts:
    """What a file's import statements bind, wherever they are in the file.

    `bound`: the local names an import binds (`import xml.etree` binds `xml`,
    `import numpy as np` binds `np`, `from a import b as c` binds `c`).
    `modules`: the dotted names imported (`import a.b` gives `a.b`; `from a import b` gives
    `a` and `a.b`). Relative imports are left out.
    """

    bound: frozenset[str]
    modules: frozenset[str]


def collect_imports(tree: ast.Module) -> ImportFacts:
    bound: set[str] = set()
    modules: set[str] = set()
    for node in statements(tree.body, nested=True):
        if type(node) is ast.Import:
            for alias in node.names:
                modules.add(alias.name)
                bound.add(alias.asname or alias.name.partition(".")[0])
        elif type(node) is ast.ImportFrom:
            for alias in node.names:
                bound.add(alias.asname or alias.name)
                if node.module and not node.level:
                    modules.add(node.module)
                    modules.add(f"{node.module}.{alias.name}")
    return ImportFacts(frozenset(bound), frozenset(modules))
