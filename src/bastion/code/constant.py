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

from bastion.code.mutation import MutationIndex
from bastion.code.scopes import (
    COMPREHENSION_TYPES,
    Binding,
    ScopeIndex,
    ScopeLike,
    scopes_of,
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


#: Pure functions whose result cannot be changed in place (str, numbers, paths).
IMMUTABLE_RESULTS = PURE_FUNCTIONS - {"list", "set", "sorted", "tuple", "min", "max", "shlex.split"}
#: `str` methods that return a list, which can be changed in place.
_LIST_METHODS = frozenset({"split", "rsplit", "splitlines"})


class ConstantEvaluator:
    """Answers `is_constant` for the nodes of one module, memoising per scope and name."""

    def __init__(self, index: ScopeIndex, qualname: Callable[[ast.AST], str | None]) -> None:
        self.index = index
        self.qualname = qualname
        self._names: dict[tuple[int, str], bool] = {}
        self._pending: set[tuple[int, str]] = set()
        self._assumed = False
        self._immutable_names: dict[tuple[int, str], bool] = {}
        self._mutations: MutationIndex | None = None
        self._sink: ast.AST | None = None
        self._sink_used = False
        self._at_sink: dict[tuple[int, str, int], bool] = {}

    def is_constant(
        self, node: ast.AST, scopes: list[ScopeLike], sink: ast.AST | None = None
    ) -> bool:
        """True when only literals reach `node`. `sink` is the call a rule asks about: a
        container passed to it is read there, so that is no reason to doubt it."""
        self._sink = sink
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

    def _lookup(self, name: str, scopes: list[ScopeLike]) -> _Found | None:
        """Where `name` is bound as seen from `scopes`, or None for a parameter of a lambda,
        a builtin or an undefined name (never constant)."""
        innermost = len(scopes) - 1
        for position in range(innermost, -1, -1):
            scope = scopes[position]
            if isinstance(scope, COMPREHENSION_TYPES):
                for index, generator in enumerate(scope.generators):
                    if name in _target_names(generator.target):
                        outer = scopes[:position] if index == 0 else scopes[: position + 1]
                        return _Found(scope, [], outer, generator.iter)
                continue
            if isinstance(scope, ast.Lambda):
                if name in self.index.info(scope).params:
                    return None
                continue
            if isinstance(scope, ast.ClassDef):
                if position != innermost:
                    continue  # class bodies are not visible to nested scopes
                bindings = self.index.info(scope).bindings.get(name)
                if bindings:
                    return _Found(scope, bindings, scopes[: position + 1])
                continue
            if isinstance(scope, ast.Module):
                bindings = self.index.module_bindings(name)
                if not bindings:
                    return None  # a builtin or an undefined name
                return _Found(scope, bindings, [scope])
            info = self.index.info(scope)
            if name in info.declared_global:
                return self._lookup(name, scopes[:1])
            if name in info.declared_nonlocal:
                continue
            bindings = info.bindings.get(name)
            if bindings:
                return _Found(scope, bindings, scopes[: position + 1])
        return None

    def _name(self, name: str, scopes: list[ScopeLike], depth: int) -> bool:
        found = self._lookup(name, scopes)
        if found is None:
            return False
        if found.element_of is not None:
            # A comprehension target: an element of a constant iterable is constant.
            return self._expr(found.element_of, found.scopes, depth)
        return self._bindings(found.scope, name, found.bindings, found.scopes, depth)

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
        if known is None:
            known = self._at_sink.get((*key, id(self._sink)))
        if known is not None:
            return known
        if key in self._pending:
            # A binding that refers to the name itself (`x = x + "a"`): constant if all the
            # other bindings are, which the outer evaluation decides.
            self._assumed = True
            return True
        self._pending.add(key)
        outer_assumed, self._assumed = self._assumed, False
        outer_sink_used, self._sink_used = self._sink_used, False
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
            if result and not self._immutable_bindings(bindings, scopes, depth):
                result = not self._changed(scope, name, depth)
        finally:
            self._pending.discard(key)
        assumed = self._assumed and bool(self._pending)
        sink_used = self._sink_used
        if not assumed:
            # Results that leaned on an assumption about a name still being evaluated are
            # not final; those that ignored a container being passed to the sink hold for
            # that sink only; everything else is final.
            if sink_used:
                self._at_sink[(*key, id(self._sink))] = result
            else:
                self._names[key] = result
        self._assumed = outer_assumed or assumed
        self._sink_used = outer_sink_used or sink_used
        return result

    # -- containers changed in place ------------------------------------------------------

    def _changed(self, scope: ScopeLike, name: str, depth: int) -> bool:
        """True when something not constant may be put into the container `name` holds
        (`words.append(param)`), or it is handed to code that may (see `mutation`)."""
        if self._mutations is None:
            self._mutations = MutationIndex(self.index.tree, self.qualname)
        regions: list[tuple[ast.AST, list[str]]] = [(scope, [name])]
        if isinstance(scope, ast.ClassDef):
            regions.append((self.index.tree, [f".{name}"]))  # `Cls.NAME.append(x)`
        for region, names in regions:
            changes, escapes, sink_used = self._mutations.changes(region, names, self._sink)
            self._sink_used = self._sink_used or sink_used
            if escapes:
                return True
            for value in changes:
                where = scopes_of(self.index.chain(value), value)
                if not self._expr(value, where, depth):
                    return True
        return False

    def _immutable_bindings(
        self, bindings: list[Binding], scopes: list[ScopeLike], depth: int
    ) -> bool:
        """True when every binding (all constant) gives a value that cannot change in place:
        a string, a number, a tuple of such, not a list, dict or set."""
        for binding in bindings:
            if binding.node is None:
                return False
            where = scopes if binding.scope is None else [*scopes[:1], binding.scope]
            if binding.kind == "element":
                if not self._immutable_elements(binding.node, where, depth):
                    return False
            elif not self._immutable(binding.node, where, depth):
                return False
        return True

    def _immutable_elements(self, node: ast.expr, scopes: list[ScopeLike], depth: int) -> bool:
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            return all(self._immutable(element, scopes, depth) for element in node.elts)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            return node.func.attr in _LIST_METHODS  # the strings of `"a b".split()`
        return isinstance(node, ast.Constant)  # characters of a string, bytes of bytes

    def _immutable(self, node: ast.AST, scopes: list[ScopeLike], depth: int) -> bool:
        """True when the value of the (constant) expression `node` cannot change in place."""
        if depth > MAX_DEPTH:
            return False
        depth += 1
        if isinstance(node, ast.Constant | ast.JoinedStr | ast.UnaryOp | ast.Compare):
            return True
        if isinstance(node, ast.GeneratorExp):
            return True  # consuming a generator of constants yields the same constants
        if isinstance(node, ast.Tuple):
            return all(self._immutable(element, scopes, depth) for element in node.elts)
        if isinstance(node, ast.BinOp):
            return self._immutable(node.left, scopes, depth) and self._immutable(
                node.right, scopes, depth
            )
        if isinstance(node, ast.BoolOp):
            return all(self._immutable(value, scopes, depth) for value in node.values)
        if isinstance(node, ast.IfExp):
            return self._immutable(node.body, scopes, depth) and self._immutable(
                node.orelse, scopes, depth
            )
        if isinstance(node, ast.Subscript):
            return self._immutable(node.value, scopes, depth) or self._immutable_elements(
                node.value, scopes, depth
            )
        if isinstance(node, ast.Starred | ast.NamedExpr):
            return self._immutable(node.value, scopes, depth)
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in STR_METHODS:
                return func.attr not in _LIST_METHODS
            return self.qualname(func) in IMMUTABLE_RESULTS
        if isinstance(node, ast.Name):
            return self._immutable_name(node.id, scopes, depth)
        return False

    def _immutable_name(self, name: str, scopes: list[ScopeLike], depth: int) -> bool:
        found = self._lookup(name, scopes)
        if found is None:
            return False
        if found.element_of is not None:
            return self._immutable_elements(found.element_of, found.scopes, depth)
        key = (id(found.scope), name)
        known = self._immutable_names.get(key)
        if known is not None:
            return known
        self._immutable_names[key] = True  # a cycle (`x = x + "a"`) adds no mutable kind
        result = self._immutable_bindings(found.bindings, found.scopes, depth)
        self._immutable_names[key] = result
        return result


class _Found:
    """Where a name is bound: `bindings` in `scope`, seen from `scopes`; or, for a
    comprehension target, `element_of` its iterable (evaluated in `scopes`)."""

    __slots__ = ("bindings", "element_of", "scope", "scopes")

    def __init__(
        self,
        scope: ScopeLike,
        bindings: list[Binding],
        scopes: list[ScopeLike],
        element_of: ast.expr | None = None,
    ) -> None:
        self.scope = scope
        self.bindings = bindings
        self.scopes = scopes
        self.element_of = element_of


def _target_names(target: ast.expr) -> set[str]:
    return {node.id for node in ast.walk(target) if isinstance(node, ast.Name)}
