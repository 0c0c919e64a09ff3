"""Modules whose import a B4xx rule reports, matched by whole dotted segments."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bastion.code.rule import Issue
from bastion.code.rules.ast_helpers import quoted_names, string_value

if TYPE_CHECKING:
    from bastion.code.context import FileContext


_DYNAMIC_IMPORTERS = frozenset({"__import__", "importlib.import_module", "importlib.__import__"})


def _inside(name: str, modules: frozenset[str]) -> bool:
    """True when `name` is one of `modules` or lies inside one (`xml.sax.handler` in `xml.sax`)."""
    if name in modules:
        return True
    index = name.find(".")
    while index != -1:
        if name[:index] in modules:
            return True
        index = name.find(".", index + 1)
    return False


@dataclass(frozen=True, slots=True)
class ImportBlacklist:
    """Modules whose import a B4xx rule reports.

    Matching is by whole dotted segments: `xml.sax` covers `xml.sax.handler` but not
    `xml.saxophone`. Build one per rule module at import time with `ImportBlacklist.of`.
    `call_tails` are the last segments of the names a call must end with to be looked at:
    the dynamic importers and the blacklisted names themselves.
    """

    modules: frozenset[str]
    call_tails: frozenset[str]

    @classmethod
    def of(cls, modules: Iterable[str]) -> ImportBlacklist:
        names = frozenset(modules)
        tails = frozenset(m.rpartition(".")[2] for m in names)
        return cls(names, tails | {"__import__", "import_module"})

    @property
    def call_hints(self) -> tuple[str, ...]:
        """The `calls=` hint for the rule: the only calls `loaded_by` can match."""
        return tuple(sorted(self.call_tails))

    def loaded_by(self, node: ast.AST, ctx: FileContext) -> tuple[str, ...]:
        """The blacklisted names an import statement or call loads, in source order.

        Handles `import m`, `from m import x` (as `m.x`), `__import__("m")`,
        `importlib.import_module("m")`, and a call of a blacklisted name itself (a class such
        as `wsgiref.handlers.CGIHandler`). Relative imports name the project's own modules and
        never match.
        """
        if type(node) is ast.Call:
            func = node.func
            if type(func) is ast.Attribute:
                tail = func.attr
            elif type(func) is ast.Name:
                target = ctx.aliases.get(func.id)
                tail = func.id if target is None else target.rpartition(".")[2]
            else:
                return ()
            if tail not in self.call_tails:
                return ()
            return self._loaded_by_call(node, tail, ctx)
        if isinstance(node, ast.Import):
            return tuple(a.name for a in node.names if _inside(a.name, self.modules))
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            module = node.module
            loaded = (module if a.name == "*" else f"{module}.{a.name}" for a in node.names)
            return tuple(name for name in loaded if _inside(name, self.modules))
        return ()

    def issues(
        self, node: ast.AST, ctx: FileContext, why: str, *, verb: str = "import of"
    ) -> Iterator[Issue]:
        """One issue naming every blacklisted name `node` loads: "import of `m`: WHY"."""
        names = self.loaded_by(node, ctx)
        if names:
            yield Issue(node, f"{verb} {quoted_names(names)}: {why}")

    def _loaded_by_call(self, call: ast.Call, tail: str, ctx: FileContext) -> tuple[str, ...]:
        qualname = ctx.call_name(call)
        if tail in ("__import__", "import_module") and qualname in _DYNAMIC_IMPORTERS:
            name = string_value(ctx.argument(call, 0, "name"))
            return (name,) if name is not None and _inside(name, self.modules) else ()
        return (qualname,) if qualname is not None and qualname in self.modules else ()
