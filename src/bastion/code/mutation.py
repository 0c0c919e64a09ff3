"""Where a container bound to a name may change after it is bound.

`is_constant` judges a name by its assignments, but a list assigned `[]` and then filled by
`words.append(user_input)` is no constant. This module finds, for each name of a scope (its
body, nested functions included), the ways its value may change in place:

- **changes**: values written into it: arguments of a method called on it other than a known
  read-only one (`words.append(x)`, `opts.update(extra)`, `d.setdefault(k, v)`), values
  stored into an item or attribute of it (`words[0] = x`, `words[1:] = x`, `d[k] += x`);
- **escapes**: it is handed to code bastion cannot see, which may change it: passed to a
  function or method that is not known to leave its arguments alone, stored in an attribute
  of another object or in a name declared `global`/`nonlocal`, yielded, or returned from a
  nested function;
- **aliases**: other names that may share it (`b = a`, `for row in table`, `with a as b`,
  `c = [a]`, `box.append(a)`), whose changes are its changes too.

`ConstantEvaluator` calls it only for names all of whose bindings are constant and of a
mutable kind (a list, dict or set), so strings and tuples never pay for it. The analysis is
flow-insensitive (a change after the use counts too) and ignores shadowing in nested scopes
(a nested function's own `words` counts as the outer one): both err on the side of "not
constant". Changes made from other modules (`config.COMMAND.append(x)`) are not seen.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field

from bastion.code.scopes import COMPREHENSION_TYPES, FUNCTION_TYPES, children


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Methods of `list`, `dict`, `set` and `deque` that add their arguments to the container.
CONTAINER_MUTATORS = _words(
    "append extend insert add update setdefault appendleft extendleft __setitem__ "
    "__iadd__ __ior__ symmetric_difference_update intersection_update difference_update"
)
#: Methods of those containers that leave both the container and their arguments alone.
CONTAINER_READERS = _words(
    "index count get keys values items copy pop popitem remove discard clear sort reverse "
    "rotate union intersection difference symmetric_difference issubset issuperset "
    "isdisjoint __contains__ __getitem__ __len__ __iter__"
)
#: Methods whose result may be an element of the container (shared with it).
ELEMENT_METHODS = _words("get pop popitem setdefault copy __getitem__")
#: Methods that do not change their arguments whatever they are called on.
SAFE_METHODS = _words(
    "debug info warning warn error exception critical log format join startswith endswith"
)
#: Builtins that do not change their arguments (they may copy them).
SAFE_BUILTINS = _words(
    "print len isinstance issubclass repr str bytes bool int float tuple list set frozenset "
    "dict sorted min max sum any all hash id type enumerate zip reversed iter format "
    "abs round chr ord"
)
#: Standard library modules whose functions do not change the containers passed to them.
SAFE_MODULES = _words(
    "subprocess os posixpath ntpath shlex shutil logging asyncio pty json pathlib textwrap "
    "re string warnings sys time datetime hashlib base64 html urllib binascii "
    "commands popen2"
)


@dataclass(slots=True)
class Uses:
    """How one name (or, keyed `.attr`, one attribute name) is used in a region."""

    changes: list[ast.expr] = field(default_factory=list)
    aliases: set[str] = field(default_factory=set)
    escapes: list[ast.AST] = field(default_factory=list)


class MutationIndex:
    """The `Uses` of every name in a region (a module, class, function or lambda), by name,
    computed with one walk of the region the first time it is asked about."""

    def __init__(self, tree: ast.Module, qualname: Callable[[ast.AST], str | None]) -> None:
        self.tree = tree
        self.qualname = qualname
        self._regions: dict[int, dict[str, Uses]] = {}
        self._module_names: tuple[frozenset[str], frozenset[str]] | None = None

    def module_names(self) -> tuple[frozenset[str], frozenset[str]]:
        """Names bound by imports anywhere in the file, and names bound otherwise at module
        level (a module-level `def print` is not the builtin)."""
        if self._module_names is None:
            imported: set[str] = set()
            defined: set[str] = set()
            stack: list[ast.AST] = list(self.tree.body)
            while stack:  # statements only: imports are statements
                node = stack.pop()
                if isinstance(node, ast.Import | ast.ImportFrom):
                    for alias in node.names:
                        imported.add(alias.asname or alias.name.partition(".")[0])
                for name in ("body", "orelse", "finalbody", "handlers", "cases"):
                    block = getattr(node, name, None)
                    if isinstance(block, list):
                        stack.extend(block)
            for stmt in self.tree.body:
                if isinstance(stmt, (*FUNCTION_TYPES, ast.ClassDef)):
                    defined.add(stmt.name)
                elif isinstance(stmt, ast.Assign):
                    for target in stmt.targets:
                        defined.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
            self._module_names = (frozenset(imported), frozenset(defined))
        return self._module_names

    def changes(
        self, region: ast.AST, names: list[str], sink: ast.AST | None = None
    ) -> tuple[list[ast.expr], bool, bool]:
        """The values that may be written into what `names` hold, and whether it escapes.

        Follows aliases: a name that shares the container contributes its changes. Being
        passed to `sink` (the call a rule asks about, which reads the value as it is called)
        is no escape; the third value says whether that made a difference.
        """
        uses = self._uses(region)
        seen: set[str] = set()
        todo = list(names)
        changes: list[ast.expr] = []
        sink_used = False
        while todo:
            key = todo.pop()
            if key in seen:
                continue
            seen.add(key)
            found = uses.get(key)
            if found is None:
                continue
            for where in found.escapes:
                if where is not sink:
                    return changes, True, sink_used
                sink_used = True
            changes.extend(found.changes)
            todo.extend(found.aliases - seen)
        return changes, False, sink_used

    def _uses(self, region: ast.AST) -> dict[str, Uses]:
        key = id(region)
        known = self._regions.get(key)
        if known is None:
            known = _Collector(self, region).run()
            self._regions[key] = known
        return known


def alias_roots(node: ast.AST | None) -> set[str]:
    """The names (and `.attr` keys) whose container the value of `node` may share."""
    found: set[str] = set()
    stack: list[ast.AST | None] = [node]
    while stack:
        item = stack.pop()
        if item is None or type(item) is ast.Constant:
            continue
        if isinstance(item, ast.Name):
            found.add(item.id)
        elif isinstance(item, ast.Attribute):
            found.add(f".{item.attr}")
            stack.append(item.value)
        elif isinstance(item, ast.Subscript | ast.Starred | ast.Await):
            stack.append(item.value)
        elif isinstance(item, ast.List | ast.Tuple | ast.Set):
            stack.extend(item.elts)
        elif isinstance(item, ast.Dict):
            stack.extend(item.values)
        elif isinstance(item, ast.IfExp):
            stack.extend((item.body, item.orelse))
        elif isinstance(item, ast.BoolOp):
            stack.extend(item.values)
        elif isinstance(item, ast.NamedExpr):
            stack.extend((item.target, item.value))
        elif (
            isinstance(item, ast.Call)
            and isinstance(item.func, ast.Attribute)
            and item.func.attr in ELEMENT_METHODS
        ):
            stack.append(item.func.value)
    return found


def _target_names(target: ast.AST) -> list[ast.expr]:
    """The simple parts of an assignment target (`a`, `b[0]`, `c.d` in `a, (b[0], *c.d)`)."""
    if isinstance(target, ast.Tuple | ast.List):
        parts: list[ast.expr] = []
        for element in target.elts:
            parts.extend(_target_names(element))
        return parts
    if isinstance(target, ast.Starred):
        return _target_names(target.value)
    return [target] if isinstance(target, ast.expr) else []


_VISITED = frozenset(
    {
        ast.Call,
        ast.Assign,
        ast.AugAssign,
        ast.AnnAssign,
        ast.NamedExpr,
        ast.For,
        ast.AsyncFor,
        ast.comprehension,
        ast.withitem,
        ast.Yield,
        ast.YieldFrom,
        ast.Return,
        ast.Lambda,
        ast.Global,
        ast.Nonlocal,
    }
)
_NESTING = frozenset({*FUNCTION_TYPES, ast.Lambda})


class _Collector:
    """One walk of a region, filling `Uses` by name."""

    def __init__(self, index: MutationIndex, region: ast.AST) -> None:
        self.qualname = index.qualname
        self.imported, self.defined = index.module_names()
        self.region = region
        self.uses: dict[str, Uses] = {}

    def use(self, key: str) -> Uses:
        found = self.uses.get(key)
        if found is None:
            found = self.uses[key] = Uses()
        return found

    def escape(self, node: ast.AST | None, where: ast.AST) -> None:
        """The value of `node` is handed, at `where`, to code that may change it."""
        for key in alias_roots(node):
            self.use(key).escapes.append(where)

    def alias(self, value: ast.AST | None, into: set[str]) -> None:
        """The container of `value` is now also reachable through the names in `into`."""
        for key in alias_roots(value):
            self.use(key).aliases.update(into - {key})

    def store(self, target: ast.expr, value: ast.expr | None) -> None:
        """`target = value` for one simple target."""
        if isinstance(target, ast.Name):
            self.alias(value, {target.id})
            return
        if isinstance(target, ast.Subscript | ast.Attribute):
            owners = alias_roots(target.value)
            if isinstance(target, ast.Attribute):
                owners.add(f".{target.attr}")
            for key in owners:
                if value is not None:
                    self.use(key).changes.append(value)
            self.alias(value, owners)

    def run(self) -> dict[str, Uses]:
        region = self.region
        body: list[ast.AST]
        if isinstance(region, ast.Lambda):
            body = [region.body]
        elif isinstance(region, COMPREHENSION_TYPES):
            body = [region]
        else:
            body = list(getattr(region, "body", []))
        stack: list[tuple[ast.AST, bool]] = [(node, False) for node in body]
        while stack:
            node, nested = stack.pop()
            kind = type(node)
            if kind is ast.Constant or kind is ast.Name:
                continue
            if kind in _VISITED:
                self.visit(node, nested)
            inner = nested or kind in _NESTING
            stack.extend((child, inner) for child in children(node))
        return self.uses

    def visit(self, node: ast.AST, nested: bool) -> None:
        if isinstance(node, ast.Call):
            self.call(node)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                for part in _target_names(target):
                    self.store(part, node.value)
        elif isinstance(node, ast.AugAssign):
            if not isinstance(node.target, ast.Name):  # `name += x` is a binding of name
                self.store(node.target, node.value)
        elif isinstance(node, ast.AnnAssign):
            if node.value is not None:
                self.store(node.target, node.value)
        elif isinstance(node, ast.NamedExpr):
            self.store(node.target, node.value)
        elif isinstance(node, ast.For | ast.AsyncFor | ast.comprehension):
            into = {t.id for t in ast.walk(node.target) if isinstance(t, ast.Name)}
            self.alias(node.iter, into)
        elif isinstance(node, ast.withitem):
            if node.optional_vars is not None:
                into = {t.id for t in ast.walk(node.optional_vars) if isinstance(t, ast.Name)}
                self.alias(node.context_expr, into)
        elif isinstance(node, ast.Yield | ast.YieldFrom):
            self.escape(node.value, node)
        elif isinstance(node, ast.Return):
            if nested or not isinstance(self.region, FUNCTION_TYPES):
                self.escape(node.value, node)
        elif isinstance(node, ast.Lambda):
            self.escape(node.body, node)
        elif isinstance(node, ast.Global | ast.Nonlocal):
            # A name shared with another scope may be changed from there: what is stored in
            # it escapes this region.
            for name in node.names:
                self.use(name).escapes.append(node)

    def call(self, node: ast.Call) -> None:
        func = node.func
        arguments: list[ast.expr] = [*node.args, *(kw.value for kw in node.keywords)]
        if isinstance(func, ast.Attribute):
            method = func.attr
            receivers = alias_roots(func.value)
            if method in CONTAINER_READERS:
                # The receiver is left alone; the arguments too, if it is a container (on an
                # object of some other type, a method of the same name might not).
                for argument in arguments:
                    self.escape(argument, node)
                return
            if method in SAFE_METHODS or self._safe_function(func):
                return
            # A method that may store its arguments in its receiver (append, update, or a
            # method bastion does not know): the receiver changes, and shares what it stores.
            for key in receivers:
                self.use(key).changes.extend(arguments)
            if method in CONTAINER_MUTATORS:
                for argument in arguments:
                    self.alias(argument, receivers)
                return
            for argument in arguments:
                self.escape(argument, node)
            return
        if self._safe_function(func):
            return
        for argument in arguments:
            self.escape(argument, node)

    def _safe_function(self, func: ast.expr) -> bool:
        """A builtin or a function of a `SAFE_MODULES` module reached through an import."""
        raw = func
        while isinstance(raw, ast.Attribute):
            raw = raw.value
        if not isinstance(raw, ast.Name):
            return False
        name = self.qualname(func)
        if name is None:
            return False
        if raw.id not in self.imported:
            return name == raw.id and name in SAFE_BUILTINS and name not in self.defined
        return "." in name and name.partition(".")[0] in SAFE_MODULES
