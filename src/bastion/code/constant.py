"""Whether an expression is provably built from literals only.

Rules use this to lower or drop findings where bandit is noisy (`subprocess.run(["ls"])`,
SQL built only from literals), so it must never say "constant" for a value an attacker could
influence. A name is constant when every binding of it in its scope is constant (a local
assigned only literals, a loop variable over a literal list, a module-level constant that no
function rebinds through `global`); a call is constant only for a short list of pure functions
and `str` methods applied to constants. Anything else (attributes, parameters, unknown calls,
imports) is not.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from bastion.code.scopes import (
    COMPREHENSION_TYPES,
    Binding,
    ScopeIndex,
    ScopeLike,
)

MAX_DEPTH = 100

PURE_FUNCTIONS = frozenset(
    {
        "str",
        "repr",
        "int",
        "float",
        "bool",
        "bytes",
        "tuple",
        "list",
        "set",
        "frozenset",
        "sorted",
        "len",
        "min",
        "max",
        "abs",
        "round",
        "chr",
        "ord",
        "format",
        "os.path.join",
        "posixpath.join",
        "ntpath.join",
        "os.path.normpath",
        "os.fspath",
        "shlex.split",
        "shlex.join",
        "shlex.quote",
        "textwrap.dedent",
        "pathlib.Path",
        "pathlib.PurePath",
        "pathlib.PurePosixPath",
        "pathlib.PosixPath",
    }
)

STR_METHODS = frozenset(
    {
        "format",
        "join",
        "upper",
        "lower",
        "strip",
        "lstrip",
        "rstrip",
        "replace",
        "split",
        "rsplit",
        "splitlines",
        "encode",
        "decode",
        "title",
        "capitalize",
        "casefold",
        "center",
        "ljust",
        "rjust",
        "zfill",
        "removeprefix",
        "removesuffix",
        "partition",
        "rpartition",
        "expandtabs",
        "swapcase",
    }
)


class ConstantEvaluator:
    """Answers `is_constant` for the nodes of one module, memoising per scope and name."""

    def __init__(self, index: ScopeIndex, qualname: Callable[[ast.AST], str | None]) -> None:
        self.index = index
        self.qualname = qualname
        self._names: dict[tuple[int, str], bool] = {}
        self._pending: set[tuple[int, str]] = set()
        self._assumed = False

    def is_constant(self, node: ast.AST, scopes: list[ScopeLike]) -> bool:
        try:
            return self._expr(node, scopes, 0)
        except RecursionError:
            return False

    def _expr(self, node: ast.AST, scopes: list[ScopeLike], depth: int) -> bool:
        if depth > MAX_DEPTH:
            return False
        depth += 1
        if isinstance(node, ast.Constant):
            return True
        if isinstance(node, ast.Name):
            return self._name(node.id, scopes, depth)
        if isinstance(node, ast.JoinedStr):
            return all(self._expr(value, scopes, depth) for value in node.values)
        if isinstance(node, ast.FormattedValue):
            return self._expr(node.value, scopes, depth) and (
                node.format_spec is None or self._expr(node.format_spec, scopes, depth)
            )
        if isinstance(node, ast.BinOp):
            return self._expr(node.left, scopes, depth) and self._expr(node.right, scopes, depth)
        if isinstance(node, ast.UnaryOp):
            return self._expr(node.operand, scopes, depth)
        if isinstance(node, ast.BoolOp):
            return all(self._expr(value, scopes, depth) for value in node.values)
        if isinstance(node, ast.Compare):
            return self._expr(node.left, scopes, depth) and all(
                self._expr(value, scopes, depth) for value in node.comparators
            )
        if isinstance(node, ast.IfExp):
            # Whichever branch is taken, the value is one of two constants.
            return self._expr(node.body, scopes, depth) and self._expr(node.orelse, scopes, depth)
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            return all(self._expr(element, scopes, depth) for element in node.elts)
        if isinstance(node, ast.Starred):
            return self._expr(node.value, scopes, depth)
        if isinstance(node, ast.Dict):
            return all(key is None or self._expr(key, scopes, depth) for key in node.keys) and all(
                self._expr(value, scopes, depth) for value in node.values
            )
        if isinstance(node, ast.Subscript):
            return self._expr(node.value, scopes, depth) and self._expr(node.slice, scopes, depth)
        if isinstance(node, ast.Slice):
            return all(
                part is None or self._expr(part, scopes, depth)
                for part in (node.lower, node.upper, node.step)
            )
        if isinstance(node, ast.NamedExpr):
            return self._expr(node.value, scopes, depth)
        if isinstance(node, ast.Call):
            return self._call(node, scopes, depth)
        if isinstance(node, COMPREHENSION_TYPES):
            return self._comprehension(node, scopes, depth)
        return False

    def _call(self, node: ast.Call, scopes: list[ScopeLike], depth: int) -> bool:
        func = node.func
        if self.qualname(func) in PURE_FUNCTIONS:
            receiver_ok = not self._shadowed(func, scopes)
        elif isinstance(func, ast.Attribute) and func.attr in STR_METHODS:
            receiver_ok = self._expr(func.value, scopes, depth)
        else:
            receiver_ok = False
        if not receiver_ok:
            return False
        return all(self._expr(arg, scopes, depth) for arg in node.args) and all(
            self._expr(kw.value, scopes, depth) for kw in node.keywords
        )

    def _shadowed(self, func: ast.expr, scopes: list[ScopeLike]) -> bool:
        """A builtin such as `str` rebound in the module or a function is not the builtin.

        Names that resolve through an import (`from os.path import join`) are trusted.
        """
        if not isinstance(func, ast.Name) or self.qualname(func) != func.id:
            return False
        for scope in scopes:
            if isinstance(scope, COMPREHENSION_TYPES):
                if any(func.id in _target_names(g.target) for g in scope.generators):
                    return True
            elif isinstance(scope, ast.Module):
                if self.index.module_bindings(func.id):
                    return True
            elif func.id in self.index.info(scope).bindings:
                return True
        return False

    def _comprehension(
        self,
        node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp,
        scopes: list[ScopeLike],
        depth: int,
    ) -> bool:
        if not self._expr(node.generators[0].iter, scopes, depth):
            return False
        inner = [*scopes, node]
        for generator in node.generators[1:]:
            if not self._expr(generator.iter, inner, depth):
                return False
        if isinstance(node, ast.DictComp):
            return self._expr(node.key, inner, depth) and self._expr(node.value, inner, depth)
        return self._expr(node.elt, inner, depth)

    # -- names ---------------------------------------------------------------------------

    def _name(self, name: str, scopes: list[ScopeLike], depth: int) -> bool:
        innermost = len(scopes) - 1
        for position in range(innermost, -1, -1):
            scope = scopes[position]
            if isinstance(scope, COMPREHENSION_TYPES):
                for index, generator in enumerate(scope.generators):
                    if name in _target_names(generator.target):
                        # An element of a constant iterable is constant.
                        outer = scopes[:position] if index == 0 else scopes[: position + 1]
                        return self._expr(generator.iter, outer, depth)
                continue
            if isinstance(scope, ast.Lambda):
                if name in self.index.info(scope).params:
                    return False
                continue
            if isinstance(scope, ast.ClassDef):
                if position != innermost:
                    continue  # class bodies are not visible to nested scopes
                bindings = self.index.info(scope).bindings.get(name)
                if bindings:
                    return self._bindings(scope, name, bindings, scopes[: position + 1], depth)
                continue
            if isinstance(scope, ast.Module):
                bindings = self.index.module_bindings(name)
                if not bindings:
                    return False  # a builtin or an undefined name
                return self._bindings(scope, name, bindings, [scope], depth)
            info = self.index.info(scope)
            if name in info.declared_global:
                return self._name(name, scopes[:1], depth)
            if name in info.declared_nonlocal:
                continue
            bindings = info.bindings.get(name)
            if bindings:
                return self._bindings(scope, name, bindings, scopes[: position + 1], depth)
        return False

    def _bindings(
        self,
        scope: ScopeLike,
        name: str,
        bindings: list[Binding],
        scopes: list[ScopeLike],
        depth: int,
    ) -> bool:
        key = (id(scope), name)
        known = self._names.get(key)
        if known is not None:
            return known
        if key in self._pending:
            # A binding that refers to the name itself (`x = x + "a"`): constant if all the
            # other bindings are, which the outer evaluation decides.
            self._assumed = True
            return True
        self._pending.add(key)
        outer_assumed, self._assumed = self._assumed, False
        try:
            result = True
            for binding in bindings:
                if binding.node is None:
                    result = False
                    break
                where = scopes if binding.scope is None else [*scopes[:1], binding.scope]
                if not self._expr(binding.node, where, depth):
                    result = False
                    break
        finally:
            self._pending.discard(key)
        assumed = self._assumed and bool(self._pending)
        if not assumed:
            # Results that leaned on an assumption about a name still being evaluated are
            # not final; everything else is.
            self._names[key] = result
        self._assumed = outer_assumed or assumed
        return result


def _target_names(target: ast.expr) -> set[str]:
    return {node.id for node in ast.walk(target) if isinstance(node, ast.Name)}
