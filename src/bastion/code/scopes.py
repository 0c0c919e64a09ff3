"""Scopes of one module: which names each scope binds, to what, and where a node sits.

Both `is_constant` and the taint analysis need Python's scoping rules: a name bound anywhere
in a function is local to the whole function unless declared `global`/`nonlocal`; a class body
is a scope that nested functions skip; comprehension targets and lambda parameters are local
to them. This module answers those questions once per scope, lazily, so a file whose rules
never ask pays nothing.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass, field

FUNCTION_TYPES: tuple[type[ast.FunctionDef], type[ast.AsyncFunctionDef]] = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
)
COMPREHENSION_TYPES = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)
Scope = ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
ScopeLike = Scope | ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp


_NOT_CHILDREN = frozenset(
    {
        "ctx",
        "op",
        "ops",
        "id",
        "arg",
        "attr",
        "name",
        "module",
        "level",
        "kind",
        "type_comment",
        "asname",
        "conversion",
        "is_async",
    }
)

#: For each node type, the fields that can hold child nodes (names, operators and contexts
#: never do). Walks that must be fast iterate these instead of `ast.iter_child_nodes`.
CHILD_FIELDS: dict[type, tuple[str, ...]] = {ast.Constant: (), ast.Name: ()}


def dotted_name(node: ast.AST, aliases: Mapping[str, str] | None) -> str | None:
    """`a.b.c` for a chain of names and attributes (its head through `aliases`, the local
    names imports bind), else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(aliases.get(node.id, node.id) if aliases else node.id)
    return ".".join(reversed(parts))


def child_fields(node_type: type) -> tuple[str, ...]:
    fields = CHILD_FIELDS.get(node_type)
    if fields is None:
        names: tuple[str, ...] = getattr(node_type, "_fields", ())
        fields = tuple(name for name in names if name not in _NOT_CHILDREN)
        CHILD_FIELDS[node_type] = fields
    return fields


def children(node: ast.AST) -> list[ast.AST]:
    """The child nodes of `node` (a faster `ast.iter_child_nodes`)."""
    found: list[ast.AST] = []
    for name in CHILD_FIELDS.get(type(node)) or child_fields(type(node)):
        value = getattr(node, name)
        if type(value) is list:
            found.extend(item for item in value if isinstance(item, ast.AST))
        elif isinstance(value, ast.AST):
            found.append(value)
    return found


@dataclass(frozen=True, slots=True)
class Binding:
    """One place a name is bound.

    `kind` is `value` (the name is bound to `node`), `element` (to an element of the
    iterable `node`: a `for` target or unpacking), `augment` (`name op= node`) or `opaque`
    (a parameter, import, `with ... as`, `except ... as`, def, class, match capture: nothing
    is known of the value; `node` is then None). `scope` is set for a binding made inside
    a function to a name that function declares `global`: its value is evaluated there.
    """

    kind: str
    node: ast.expr | None = None
    scope: ast.FunctionDef | ast.AsyncFunctionDef | None = None


OPAQUE = Binding("opaque")


@dataclass(slots=True)
class ScopeInfo:
    """The names a scope binds, its parameters and its `global`/`nonlocal` declarations."""

    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    params: list[str] = field(default_factory=list)
    contexts: dict[str, list[ast.expr]] = field(default_factory=dict)
    """`with EXPR as name`: the context expressions bound to each name (the binding itself
    is opaque: what `__enter__` returns is unknown)."""
    declared_global: set[str] = field(default_factory=set)
    declared_nonlocal: set[str] = field(default_factory=set)

    def add(self, name: str, binding: Binding) -> None:
        self.bindings.setdefault(name, []).append(binding)


class ScopeIndex:
    """Lazily computed scope facts of one module tree."""

    def __init__(
        self, tree: ast.Module, *, has_walrus: bool = True, has_nonlocal: bool = True
    ) -> None:
        self.tree = tree
        self._has_nonlocal = has_nonlocal
        self._info: dict[int, ScopeInfo] = {}
        self._parents: dict[int, ast.AST] | None = None
        self._global_bindings: dict[str, list[Binding]] | None = None
        self._has_walrus = has_walrus

    # -- scope contents -------------------------------------------------------------------

    def info(self, scope: Scope) -> ScopeInfo:
        """Bindings of `scope` (not of the scopes nested in it)."""
        key = id(scope)
        found = self._info.get(key)
        if found is None:
            found = self._collect(scope)
            self._info[key] = found
        return found

    def module_bindings(self, name: str) -> list[Binding]:
        """Every binding of a module-level name, including `global name` in functions."""
        if self._global_bindings is None:
            self._global_bindings = self._collect_global_declared()
        return self.info(self.tree).bindings.get(name, []) + self._global_bindings.get(name, [])

    def _collect(self, scope: Scope) -> ScopeInfo:
        info = ScopeInfo()
        if isinstance(scope, ast.Lambda):
            _add_params(info, scope.args)
            return info
        if isinstance(scope, FUNCTION_TYPES):
            _add_params(info, scope.args)
        _BindingCollector(info, walrus=self._has_walrus).run(scope.body)
        if self._has_nonlocal and isinstance(scope, FUNCTION_TYPES):
            for name in _rebound_by_nested(scope):
                if name in info.bindings:
                    info.add(name, OPAQUE)
        return info

    def _collect_global_declared(self) -> dict[str, list[Binding]]:
        """Bindings made inside functions to names those functions declare `global`."""
        result: dict[str, list[Binding]] = {}
        for node in ast.walk(self.tree):
            if isinstance(node, FUNCTION_TYPES):
                info = self.info(node)
                for name in info.declared_global:
                    found = info.bindings.get(name, [OPAQUE])
                    result.setdefault(name, []).extend(
                        Binding(b.kind, b.node, node) if b.node is not None else OPAQUE
                        for b in found
                    )
        return result

    # -- where a node is -----------------------------------------------------------------

    def parent(self, node: ast.AST) -> ast.AST | None:
        """The node's parent (a map built on first use: one walk of the file)."""
        if self._parents is None:
            parents: dict[int, ast.AST] = {}
            stack: list[ast.AST] = [self.tree]
            while stack:
                outer = stack.pop()
                for child in children(outer):
                    parents[id(child)] = outer
                    stack.append(child)
            self._parents = parents
        return self._parents.get(id(node))

    def chain(
        self, node: ast.AST, ancestors: list[ast.AST] | None = None, current: ast.AST | None = None
    ) -> list[ast.AST]:
        """The nodes enclosing `node`, outermost first (`node` itself not included).

        `ancestors` and `current` are the walk's position: when `node` is `current` or lies
        below it, the short path is found by a bounded search, which avoids building the
        parent map in the common case (a rule asking about an argument of the call it visits).
        """
        if ancestors is not None and current is not None:
            if node is current:
                return list(ancestors)
            below = _between(current, node)
            if below is not None:
                return [*ancestors, current, *below]
        chain: list[ast.AST] = []
        parent = self.parent(node)
        while parent is not None:
            chain.append(parent)
            parent = self.parent(parent)
        chain.reverse()
        return chain


def _rebound_by_nested(function: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """Names that functions nested in `function` declare `nonlocal`: they may rebind the
    function's variable to anything, so such a variable counts as bound to an unknown value."""
    names: set[str] = set()
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Nonlocal):
            names.update(node.names)
        elif isinstance(node, ast.stmt | ast.ExceptHandler | ast.match_case):
            stack.extend(children(node))
    return names


_SCOPE_NODE_TYPES = frozenset(
    {ast.Module, ast.ClassDef, ast.Lambda, *FUNCTION_TYPES, *COMPREHENSION_TYPES}
)


def scopes_of(chain: list[ast.AST], node: ast.AST) -> list[ScopeLike]:
    """The scopes whose names are visible at `node`, outermost first.

    A function is a scope for its body only: its decorators, defaults and annotations are
    evaluated in the enclosing scope. The same holds for a class body, a lambda body and the
    part of a comprehension after its first iterable.
    """
    result: list[ScopeLike] = []
    path = [*chain, node]
    for position, outer in enumerate(chain):
        if type(outer) not in _SCOPE_NODE_TYPES:
            continue  # most of a deep chain: statements and expressions
        inner = path[position + 1]
        if isinstance(outer, ast.Module):
            result.append(outer)
        elif isinstance(outer, (*FUNCTION_TYPES, ast.ClassDef)):
            if any(inner is stmt for stmt in outer.body):
                result.append(outer)
        elif isinstance(outer, ast.Lambda):
            if inner is outer.body:
                result.append(outer)
        elif isinstance(outer, COMPREHENSION_TYPES):
            first = outer.generators[0]
            in_first_iter = (
                inner is first and position + 2 < len(path) and path[position + 2] is first.iter
            )
            if not in_first_iter:
                result.append(outer)
    return result


_SEARCH_LIMIT = 5000


def _between(root: ast.AST, target: ast.AST) -> list[ast.AST] | None:
    """The nodes strictly between `root` and its descendant `target`, or None if not found."""
    stack: list[tuple[ast.AST, tuple[ast.AST, ...]]] = [(root, ())]
    seen = 0
    while stack:
        current, trail = stack.pop()
        below = trail if current is root else (*trail, current)
        for child in children(current):
            if child is target:
                return list(below)
            stack.append((child, below))
        seen += 1
        if seen > _SEARCH_LIMIT:
            return None
    return None


def _add_params(info: ScopeInfo, args: ast.arguments) -> None:
    params = [*args.posonlyargs, *args.args]
    if args.vararg:
        params.append(args.vararg)
    params.extend(args.kwonlyargs)
    if args.kwarg:
        params.append(args.kwarg)
    for arg in params:
        info.params.append(arg.arg)
        info.add(arg.arg, OPAQUE)


class _BindingCollector:
    """Records the names statements bind, without entering nested scopes."""

    def __init__(self, info: ScopeInfo, *, walrus: bool) -> None:
        self.info = info
        self.walrus = walrus
        self._blocks: list[list[ast.stmt]] = []

    def run(self, body: list[ast.stmt]) -> None:
        """Every statement of `body` and the blocks in it, in source order, with an explicit
        stack: a 1,000-deep `elif` chain is as deep as a tree gets."""
        stack = [iter(body)]
        while stack:
            stmt = next(stack[-1], None)
            if stmt is None:
                stack.pop()
                continue
            self._blocks = []
            self.statement(stmt)
            if self._blocks:
                stack.extend(iter(block) for block in reversed(self._blocks))

    def statement(self, stmt: ast.stmt) -> None:
        info = self.info
        if isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                self.target(target, stmt.value, "value")
            self.expressions(stmt.value)
        elif isinstance(stmt, ast.AnnAssign):
            if stmt.value is not None:
                self.target(stmt.target, stmt.value, "value")
                self.expressions(stmt.value)
        elif isinstance(stmt, ast.AugAssign):
            if isinstance(stmt.target, ast.Name):
                info.add(stmt.target.id, Binding("augment", stmt.value))
            self.expressions(stmt.value)
        elif isinstance(stmt, ast.For | ast.AsyncFor):
            self.target(stmt.target, stmt.iter, "element")
            self.expressions(stmt.iter)
            self.block(stmt.body)
            self.block(stmt.orelse)
        elif isinstance(stmt, (*FUNCTION_TYPES, ast.ClassDef)):
            info.add(stmt.name, OPAQUE)
        elif isinstance(stmt, ast.Import | ast.ImportFrom):
            for alias in stmt.names:
                if alias.name != "*":
                    name = alias.asname or alias.name.split(".", 1)[0]
                    info.add(name, OPAQUE)
        elif isinstance(stmt, ast.Global):
            info.declared_global.update(stmt.names)
        elif isinstance(stmt, ast.Nonlocal):
            info.declared_nonlocal.update(stmt.names)
        elif isinstance(stmt, ast.With | ast.AsyncWith):
            for item in stmt.items:
                if item.optional_vars is not None:
                    self.target(item.optional_vars, None, "opaque")
                    if isinstance(item.optional_vars, ast.Name):
                        info.contexts.setdefault(item.optional_vars.id, []).append(
                            item.context_expr
                        )
                self.expressions(item.context_expr)
            self.block(stmt.body)
        elif isinstance(stmt, ast.Try | ast.TryStar):
            self.block(stmt.body)
            for handler in stmt.handlers:
                if handler.name:
                    info.add(handler.name, OPAQUE)
                self.block(handler.body)
            self.block(stmt.orelse)
            self.block(stmt.finalbody)
        elif isinstance(stmt, ast.If | ast.While):
            self.expressions(stmt.test)
            self.block(stmt.body)
            self.block(stmt.orelse)
        elif isinstance(stmt, ast.Match):
            self.expressions(stmt.subject)
            for case in stmt.cases:
                for node in ast.walk(case.pattern):
                    captured = getattr(node, "name", None)
                    if isinstance(captured, str):
                        info.add(captured, OPAQUE)
                    rest = getattr(node, "rest", None)
                    if isinstance(rest, str):
                        info.add(rest, OPAQUE)
                self.block(case.body)
        elif isinstance(stmt, ast.Delete):
            for target in stmt.targets:
                self.target(target, None, "opaque")
        elif isinstance(stmt, ast.Expr | ast.Return) and stmt.value is not None:
            self.expressions(stmt.value)

    def block(self, stmts: list[ast.stmt]) -> None:
        """A nested block: `run` visits it after the statement that holds it."""
        if stmts:
            self._blocks.append(stmts)

    def target(self, target: ast.expr, value: ast.expr | None, kind: str) -> None:
        if isinstance(target, ast.Name):
            self.info.add(target.id, Binding(kind, value) if value is not None else OPAQUE)
        elif isinstance(target, ast.Tuple | ast.List):
            element_kind = "element" if value is not None else "opaque"
            for element in target.elts:
                self.target(element, value, element_kind)
        elif isinstance(target, ast.Starred):
            self.target(target.value, value, "element" if value is not None else "opaque")

    def expressions(self, expr: ast.expr) -> None:
        """Walrus targets bind in the enclosing function scope."""
        if not self.walrus:
            return
        for node in ast.walk(expr):
            if isinstance(node, ast.NamedExpr) and isinstance(node.target, ast.Name):
                self.info.add(node.target.id, Binding("value", node.value))
