"""What a rule may ask about the file being analysed: names, imports, literals and taint."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bastion.code.taint import TaintPath


@dataclass(slots=True)
class FileContext:
    """Per-file state shared by all rules during the single walk.

    `aliases` maps a local name to the dotted name it was imported as
    (`import subprocess as sp` gives `sp -> subprocess`, `from os import system as s` gives
    `s -> os.system`). It is filled as the walk meets import statements, in source order.
    `ancestors` is the chain of nodes enclosing the node being visited, outermost first.
    """

    path: str
    source: str
    tree: ast.Module
    lines: list[str] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)
    ancestors: list[ast.AST] = field(default_factory=list)

    @property
    def parent(self) -> ast.AST | None:
        return self.ancestors[-1] if self.ancestors else None

    def qualname(self, node: ast.AST) -> str | None:
        """The dotted name an expression refers to, through import aliases, or None."""
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        head = self.aliases.get(node.id, node.id)
        parts.append(head)
        return ".".join(reversed(parts))

    def call_name(self, call: ast.Call) -> str | None:
        """The dotted name of the called function (`subprocess.Popen`), or None."""
        return self.qualname(call.func)

    @staticmethod
    def keyword(call: ast.Call, name: str) -> ast.expr | None:
        """The value passed as keyword `name`, or None."""
        for kw in call.keywords:
            if kw.arg == name:
                return kw.value
        return None

    @staticmethod
    def argument(call: ast.Call, position: int, name: str | None = None) -> ast.expr | None:
        """The argument at `position`, or passed as keyword `name`."""
        if position < len(call.args) and not any(
            isinstance(a, ast.Starred) for a in call.args[: position + 1]
        ):
            return call.args[position]
        return FileContext.keyword(call, name) if name else None

    def record_import(self, node: ast.Import | ast.ImportFrom) -> None:
        """Note the names an import statement binds."""
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    self.aliases[alias.asname] = alias.name
                else:
                    head = alias.name.split(".", 1)[0]
                    self.aliases.pop(head, None)
            return
        if node.level or not node.module:
            return
        for alias in node.names:
            if alias.name != "*":
                self.aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"

    def taint(self, node: ast.AST) -> TaintPath | None:
        """The path by which untrusted data reaches `node`, or None if none is known."""
        return None

    def is_constant(self, node: ast.AST) -> bool:
        """True when only literals can reach `node` (no names, calls or untrusted data)."""
        return all(
            isinstance(
                n,
                ast.Constant
                | ast.List
                | ast.Tuple
                | ast.Set
                | ast.Dict
                | ast.JoinedStr
                | ast.FormattedValue
                | ast.BinOp
                | ast.operator
                | ast.expr_context
                | ast.UnaryOp
                | ast.unaryop,
            )
            for n in ast.walk(node)
        )

    def snippet(self, line: int | None) -> str:
        if line is None or not 0 < line <= len(self.lines):
            return ""
        return self.lines[line - 1].strip()
