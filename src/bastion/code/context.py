"""What a rule may ask about the file being analysed: names, imports, literals and taint."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bastion.code.scopes import dotted_name

if TYPE_CHECKING:
    from bastion.code.constant import ConstantEvaluator
    from bastion.code.imports import ImportFacts
    from bastion.code.scopes import ScopeIndex
    from bastion.code.taint import TaintAnalysis, TaintPath

_FUNCTION_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_SCOPE_TYPES = (ast.Module, ast.ClassDef, *_FUNCTION_SCOPES)

_LITERAL_TYPES = (
    ast.Constant,
    ast.List,
    ast.Tuple,
    ast.Set,
    ast.Dict,
    ast.JoinedStr,
    ast.FormattedValue,
    ast.BinOp,
    ast.UnaryOp,
    ast.BoolOp,
    ast.Compare,
    ast.IfExp,
    ast.Subscript,
    ast.Slice,
    ast.Starred,
    ast.operator,
    ast.unaryop,
    ast.boolop,
    ast.cmpop,
    ast.expr_context,
)


@dataclass(slots=True)
class FileContext:
    """Per-file state shared by all rules during the single walk.

    `aliases` maps a local name to the dotted name it was imported as
    (`import subprocess as sp` gives `sp -> subprocess`, `from os import system as s` gives
    `s -> os.system`). Module-level imports (and `run = subprocess.run` style assignments) are
    recorded before the walk starts, imports inside functions as the walk meets them.
    `ancestors` is the chain of nodes enclosing the node being visited, outermost first;
    `current` is the node being visited and `rule_id` the rule being run (the engine sets
    both; `taint` uses the rule to pick the kind of sink).
    """

    path: str
    source: str
    tree: ast.Module
    lines: list[str] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)
    ancestors: list[ast.AST] = field(default_factory=list)
    current: ast.AST | None = None
    rule_id: str | None = None
    _call: ast.Call | None = field(default=None, repr=False)
    _call_name: str | None = field(default=None, repr=False)
    _scopes: ScopeIndex | None = field(default=None, repr=False)
    _constants: ConstantEvaluator | None = field(default=None, repr=False)
    _taint: TaintAnalysis | None = field(default=None, repr=False)
    _constant_memo: dict[int, bool] = field(default_factory=dict, repr=False)
    _imports: ImportFacts | None = field(default=None, repr=False)

    @property
    def parent(self) -> ast.AST | None:
        return self.ancestors[-1] if self.ancestors else None

    def qualname(self, node: ast.AST) -> str | None:
        """The dotted name an expression refers to, through import aliases, or None."""
        return dotted_name(node, self.aliases)

    def call_name(self, call: ast.Call) -> str | None:
        """The dotted name of the called function (`subprocess.Popen`), or None."""
        if call is self._call:
            return self._call_name
        name = self.qualname(call.func)
        self._call, self._call_name = call, name
        return name

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

    def record_module_imports(self) -> None:
        """Record the module-level imports before the walk, so that a function defined above
        an import still resolves the names (Python runs function bodies after the module).

        Also records module-level aliases by assignment of an imported name
        (`run = subprocess.run`, `sp = subprocess`).
        """
        imported: set[str] = set()
        for stmt in _module_statements(self.tree.body):
            if isinstance(stmt, ast.Import | ast.ImportFrom):
                self.record_import(stmt)
                for alias in stmt.names:
                    imported.add(alias.asname or alias.name.split(".", 1)[0])
            elif (
                isinstance(stmt, ast.Assign)
                and len(stmt.targets) == 1
                and isinstance(stmt.targets[0], ast.Name)
                and isinstance(stmt.value, ast.Attribute | ast.Name)
            ):
                root: ast.expr = stmt.value
                while isinstance(root, ast.Attribute):
                    root = root.value
                if isinstance(root, ast.Name) and root.id in imported:
                    name = self.qualname(stmt.value)
                    if name is not None:
                        self.aliases[stmt.targets[0].id] = name

    # -- names: imports and scopes -----------------------------------------------------------

    @property
    def imports(self) -> ImportFacts:
        """What the file's import statements bind and load, anywhere in it (built once)."""
        if self._imports is None:
            from bastion.code.imports import collect_imports

            self._imports = collect_imports(self.tree)
        return self._imports

    def is_imported(self, name: ast.Name) -> bool:
        """True when `name` was bound by an import statement of this file."""
        return name.id in self.aliases or name.id in self.imports.bound

    def imports_module(self, module: str) -> bool:
        """True when the file imports `module` itself or something from inside it."""
        if module not in self.source:  # cheap: no mention, no import
            return False
        prefix = module + "."
        return any(m == module or m.startswith(prefix) for m in self.imports.modules)

    def call_tail(self, call: ast.Call) -> str | None:
        """The last segment of the called name, without resolving the whole chain: `loads`
        for `pickle.loads(x)`, and for `from pickle import loads as ld; ld(x)`."""
        return self.value_tail(call.func)

    def value_tail(self, node: ast.AST | None) -> str | None:
        """The last segment of a name used as a value: `PROTOCOL_TLSv1` for
        `ssl.PROTOCOL_TLSv1`, and for `from ssl import PROTOCOL_TLSv1 as old; old`."""
        if type(node) is ast.Attribute:
            return node.attr
        if type(node) is ast.Name:
            return self.aliases.get(node.id, node.id).rpartition(".")[2]
        return None

    def binds(self, scope: ast.AST, name: str) -> bool:
        """True when `name` is bound in `scope` (a module, class, function or lambda): by a
        parameter, an assignment, a loop, `with` or `except` target, an import, a `def` or
        `class`, a walrus or a `match` capture (see `scopes.ScopeIndex`)."""
        if not isinstance(scope, _SCOPE_TYPES):
            return False
        return name in self.scopes.info(scope).bindings

    def innermost_scope(self) -> ast.AST:
        """The function (or, outside any function, the module) enclosing the visited node."""
        for node in reversed(self.ancestors):
            if isinstance(node, _FUNCTION_SCOPES):
                return node
        return self.tree

    def calls_bound_to(self, scope: ast.AST, name: str) -> list[ast.Call]:
        """The calls whose result `scope` binds to `name`: `name = f(...)`, `with f(...) as
        name`. Nested functions and classes are other scopes and are not searched."""
        if not isinstance(scope, _SCOPE_TYPES):
            return []
        info = self.scopes.info(scope)
        found = [
            b.node
            for b in info.bindings.get(name, ())
            if b.kind == "value" and isinstance(b.node, ast.Call)
        ]
        found += [e for e in info.contexts.get(name, ()) if isinstance(e, ast.Call)]
        found.sort(key=lambda call: (call.lineno, call.col_offset))
        return found

    def calls_builtin(self, call: ast.Call, name: str) -> bool:
        """True when `call` calls the builtin `name` (`eval`), not something that shadows it.

        `eval(x)` counts unless `eval` is imported, or bound in the module or an enclosing
        function (a `def eval`, an assignment, a parameter). `builtins.eval(x)` counts too.
        """
        func = call.func
        if type(func) is ast.Name:
            if func.id != name or name in self.aliases:
                return False
            innermost = True
            for scope in reversed(self.ancestors):
                if isinstance(scope, _FUNCTION_SCOPES) or (
                    innermost and type(scope) is ast.ClassDef
                ):
                    if self.binds(scope, name):
                        return False
                    innermost = False
            return not self.binds(self.tree, name)
        if type(func) is ast.Attribute:
            return func.attr == name and self.qualname(func) == f"builtins.{name}"
        return False

    # -- analysis ------------------------------------------------------------------------

    @property
    def scopes(self) -> ScopeIndex:
        """The file's scope index (built on first use)."""
        if self._scopes is None:
            from bastion.code.scopes import ScopeIndex

            self._scopes = ScopeIndex(
                self.tree, has_walrus=":=" in self.source, has_nonlocal="nonlocal" in self.source
            )
        return self._scopes

    def _chain(self, node: ast.AST) -> list[ast.AST]:
        return self.scopes.chain(node, self.ancestors, self.current)

    def taint(self, node: ast.AST | None, kind: str | None = None) -> TaintPath | None:
        """The path by which untrusted data reaches `node`, or None if none is known.

        `kind` names the kind of sink (`shell`, `sql`, `html`, ...) so that sanitizers apply
        only where they help; by default it comes from the rule being run.
        """
        if node is None or not isinstance(node, ast.expr) or isinstance(node, ast.Constant):
            return None
        from bastion.code.taint_model import sink_kind

        if self._taint is None:
            from bastion.code.taint import TaintAnalysis

            self._taint = TaintAnalysis(self.scopes, self.qualname)
        try:
            return self._taint.query(
                node,
                self._chain(node),
                kind if kind is not None else sink_kind(self.rule_id),
                self.current,
            )
        except RecursionError:
            return None

    def is_constant(self, node: ast.AST) -> bool:
        """True when only literals can reach `node`.

        Literals, and expressions built from them (f-strings, `%`, `+`, containers), and local
        or module-level names every assignment of which is such a value, and a few pure calls
        on them (`" ".join([...])`, `os.path.join("a", "b")`). See `bastion.code.constant`.
        """
        if isinstance(node, ast.Constant):
            return True
        key = id(node)
        known = self._constant_memo.get(key)
        if known is not None:
            return known
        if self._constants is None:
            from bastion.code.constant import ConstantEvaluator

            self._constants = ConstantEvaluator(self.scopes, self.qualname)
        if _only_literals(node):
            result = self._constants.is_constant(node, [])
        else:
            from bastion.code.scopes import scopes_of

            result = self._constants.is_constant(
                node, scopes_of(self._chain(node), node), self.current
            )
        self._constant_memo[key] = result
        return result

    def snippet(self, line: int | None) -> str:
        if line is None or not 0 < line <= len(self.lines):
            return ""
        return self.lines[line - 1].strip()


def _only_literals(node: ast.AST) -> bool:
    return all(isinstance(n, _LITERAL_TYPES) for n in ast.walk(node))


def _module_statements(body: list[ast.stmt]) -> list[ast.stmt]:
    """Module-level statements, inside `if`/`try`/`with` blocks too, in source order."""
    result: list[ast.stmt] = []
    for stmt in body:
        result.append(stmt)
        if isinstance(stmt, ast.If | ast.With | ast.AsyncWith):
            result.extend(_module_statements(stmt.body))
            result.extend(_module_statements(getattr(stmt, "orelse", [])))
        elif isinstance(stmt, ast.Try | ast.TryStar):
            for block in (stmt.body, stmt.orelse, stmt.finalbody):
                result.extend(_module_statements(block))
            for handler in stmt.handlers:
                result.extend(_module_statements(handler.body))
    return result
