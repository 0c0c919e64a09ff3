"""Taint tracking: whether untrusted data reaches an expression, and by which path.

`TaintStep` and `TaintPath` are the interface rules see (through `FileContext.taint`). The
analysis that fills them in is `TaintAnalysis`, one per file, built on the first question.

How it works:

- **Per function, in statement order.** Each function (and the module body) is executed
  abstractly once: an environment maps each variable (and `self.attr`-style dotted names) to
  the traces of untrusted data it may hold. Assignments replace (a sanitised reassignment
  cleans a variable), branches are joined, loops are iterated to a fixed point (at most three
  rounds), a branch that ends in `return`/`raise` does not flow on. The environment before
  every statement is kept, so a question about an expression is answered at its statement.
- **Across functions of one module.** A call to a function of the same module (`helper(x)`,
  `self.method(x)`) uses its summary: which parameters, and which sources, reach its return
  value. A function whose parameter reaches a sink is answered by looking at its callers in
  the module (computed on demand, a few levels deep): `run(request.args["c"])` makes the
  `subprocess` call inside `run` tainted, with the call site as a step.
- **Sources** are the request objects and route parameters of Flask, Django and
  FastAPI/Starlette, `input()`, `sys.argv`, `os.environ`/`os.getenv`, `sys.stdin`, socket
  `recv*`, and data read from files. **Propagation** goes through assignments, f-strings,
  `%`, `.format`, concatenation, containers, attribute access, subscripts, comprehensions,
  returns, and calls to unknown functions (their result is assumed to carry their arguments).
- **Sanitizers** are sink-kind aware: `int()`/`float()`/`bool()`/`len()` clean data for every
  sink; `shlex.quote` only for shell sinks, `html.escape`/`markupsafe.escape` only for
  templates, `os.path.basename` only for paths, and so on. The kind of sink comes from the
  rule asking (`taint_model.SINK_KINDS`) or the `kind` argument.

What counts as a source, a sanitizer or a route handler is in `taint_model`.

Known limits (documented in docs/scan.md): no tracking through object fields other than
`name.attr` on a local or `self`, through other modules, or into a module function's
`**kwargs`; containers are tainted as a whole; calls to unknown functions propagate taint (a
deliberate over-approximation: a taint path only raises confidence, it never creates a
finding).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from bastion.code.mutation import SAFE_BUILTINS, SAFE_MODULES
from bastion.code.scopes import (
    COMPREHENSION_TYPES,
    FUNCTION_TYPES,
    ScopeIndex,
    ScopeLike,
    children,
    scopes_of,
)
from bastion.code.taint_model import (
    KIND_SANITIZERS,
    MUTATORS,
    REQUEST_ATTRS,
    REQUEST_GLOBALS,
    REQUEST_TYPES,
    SAFE_METHODS,
    SOURCE_CALLS,
    SOURCE_METHODS,
    SOURCE_NAMES,
    UNIVERSAL_SANITIZERS,
    annotation_name,
    dotted,
    injected_dependency,
    is_request_param,
    route_kind,
    safe_annotation,
    safe_route_params,
)


@dataclass(frozen=True, slots=True)
class TaintStep:
    """One step from a source toward a sink: the node where the data is and what happened."""

    node: ast.AST
    message: str


@dataclass(frozen=True, slots=True)
class TaintPath:
    """How untrusted data reaches a sink: the source first, each step, the sink last."""

    source: str
    steps: tuple[TaintStep, ...]


MAX_DEPTH = 100
MAX_TRACES = 4
CALLER_DEPTH = 4


# -- traces --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Trace:
    """Untrusted data in flight: where it came from and the steps it took.

    `origin` is a source label, or the index of a parameter of the function being analysed
    (resolved against the function's callers when a sink asks). `clean_for` lists the kinds
    of sink a sanitizer has already made the data safe for.
    """

    origin: str | int
    steps: tuple[TaintStep, ...]
    clean_for: frozenset[str] = frozenset()


Taint = tuple[Trace, ...]
Env = dict[str, Taint]
NO_TAINT: Taint = ()


def join(*parts: Taint) -> Taint:
    """The traces of all parts: one per (origin, sanitizers), the shortest, a few at most."""
    best: dict[tuple[str | int, frozenset[str]], Trace] = {}
    for part in parts:
        for trace in part:
            key = (trace.origin, trace.clean_for)
            known = best.get(key)
            if known is None or len(trace.steps) < len(known.steps):
                best[key] = trace
    if len(best) <= MAX_TRACES:
        return tuple(best.values())
    return tuple(sorted(best.values(), key=lambda t: len(t.steps))[:MAX_TRACES])


def extend(taint: Taint, node: ast.AST, message: str) -> Taint:
    """Add a step to every trace (not the same step twice in a row)."""
    result = []
    for trace in taint:
        last = trace.steps[-1] if trace.steps else None
        if last is not None and last.node is node and last.message == message:
            result.append(trace)
        else:
            step = TaintStep(node, message)
            result.append(Trace(trace.origin, (*trace.steps, step), trace.clean_for))
    return tuple(result)


def sanitize(taint: Taint, kinds: frozenset[str]) -> Taint:
    return tuple(Trace(t.origin, t.steps, t.clean_for | kinds) for t in taint)


def join_env(left: Env | None, right: Env | None) -> Env | None:
    if left is None:
        return right
    if right is None:
        return left
    merged = dict(left)
    for name, taint in right.items():
        merged[name] = join(merged[name], taint) if name in merged else taint
    return merged


def _signature(env: Env | None) -> object:
    if env is None:
        return None
    return {name: frozenset((t.origin, t.clean_for) for t in taint) for name, taint in env.items()}


# -- facts of one function -----------------------------------------------------------------


FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
FlowScope = ast.Module | ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(slots=True)
class CallSite:
    """A call to a function of the module: the taint of each argument, by parameter index."""

    call: ast.Call
    callee: FunctionNode
    arguments: dict[int, tuple[ast.AST, Taint]]


@dataclass(slots=True)
class Facts:
    """What the abstract execution of one function (or the module body) found."""

    scope: FlowScope
    before: dict[int, Env] = field(default_factory=dict)
    returns: Taint = ()
    final: Env = field(default_factory=dict)
    calls: dict[int, CallSite] = field(default_factory=dict)
    done: bool = False


class TaintAnalysis:
    """Taint facts of one module, computed function by function as questions come."""

    def __init__(self, index: ScopeIndex, qualname: Callable[[ast.AST], str | None]) -> None:
        self.index = index
        self.qualname = qualname
        self.tree = index.tree
        self._facts: dict[int, Facts] = {}
        self._functions: dict[str, FunctionNode] | None = None
        self._classes: dict[str, ast.ClassDef] | None = None
        self._callers: dict[str, list[FlowScope]] | None = None
        self._owner: dict[int, ast.ClassDef] = {}
        self._outer: dict[int, list[ScopeLike]] = {}

    # -- public --------------------------------------------------------------------------

    def query(
        self,
        node: ast.AST,
        chain: list[ast.AST],
        kind: str | None,
        sink: ast.AST | None = None,
    ) -> TaintPath | None:
        """The shortest path by which untrusted data reaches `node`, or None."""
        if not isinstance(node, ast.expr):
            return None
        scopes = scopes_of(chain, node)
        flow_index, flow_scope = None, None
        for index, scope in enumerate(scopes):
            if isinstance(scope, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef):
                flow_index, flow_scope = index, scope
        if flow_index is None or flow_scope is None:
            return None
        statement = next(
            (n for n in reversed([*chain, node]) if isinstance(n, ast.stmt)),
            None,
        )
        facts = self.facts(flow_scope, [s for s in scopes[:flow_index]])
        env = dict(facts.before.get(id(statement), {})) if statement is not None else {}
        frame = Frame(self, flow_scope, facts, scopes[: flow_index + 1], record=False)
        for inner in scopes[flow_index + 1 :]:
            if isinstance(inner, ast.Lambda):
                for param in self.index.info(inner).params:
                    env.pop(param, None)
            elif isinstance(inner, COMPREHENSION_TYPES):
                frame.bind_comprehension(inner, env, 0)
            # a class body between a function and the node cannot happen: classes nested in
            # functions are analysed with their function, statement by statement.
        traces = frame.eval(node, env, 0)
        resolved = self._resolve(traces, flow_scope, 0, set())
        usable = [
            (t.origin, t.steps)
            for t in resolved
            if isinstance(t.origin, str) and (kind is None or kind not in t.clean_for)
        ]
        if not usable:
            return None
        origin, steps = min(usable, key=lambda pair: len(pair[1]))
        target = sink if sink is not None else node
        if not steps or steps[-1].node is not target:
            steps = (*steps, TaintStep(target, "reaches the sink"))
        return TaintPath(source=origin, steps=steps)

    # -- facts ---------------------------------------------------------------------------

    def facts(self, scope: FlowScope, outer: list[ScopeLike] | None = None) -> Facts:
        """The facts of `scope`, computed once (an empty result while being computed)."""
        key = id(scope)
        found = self._facts.get(key)
        if found is not None:
            return found
        facts = Facts(scope)
        self._facts[key] = facts
        if outer is None:
            outer = self.outer_of(scope)
        self._outer[key] = outer
        frame = Frame(self, scope, facts, [*outer, scope], record=True)
        env = frame.initial_env()
        final = frame.block(scope.body, env)
        facts.final = final if final is not None else {}
        facts.done = True
        return facts

    def outer_of(self, scope: FlowScope) -> list[ScopeLike]:
        """The scopes enclosing a function (module, classes, functions), outermost first."""
        if isinstance(scope, ast.Module):
            return []
        known = self._outer.get(id(scope))
        if known is None:
            self._index_structure()
            known = self._outer.get(id(scope))
            if known is None:  # inside a lambda or comprehension: take the long way
                known = scopes_of(self.index.chain(scope), scope)
            self._outer[id(scope)] = known
        return known

    # -- module structure ----------------------------------------------------------------

    def module_function(self, name: str) -> FunctionNode | None:
        return self._index_module()[0].get(name)

    def module_class(self, name: str) -> ast.ClassDef | None:
        return self._index_module()[1].get(name)

    def owner(self, function: FunctionNode) -> ast.ClassDef | None:
        self._index_module()
        return self._owner.get(id(function))

    def _index_module(self) -> tuple[dict[str, FunctionNode], dict[str, ast.ClassDef]]:
        if self._functions is not None and self._classes is not None:
            return self._functions, self._classes
        functions: dict[str, FunctionNode] = {}
        classes: dict[str, ast.ClassDef] = {}
        for stmt in _top_level(self.tree.body):
            if isinstance(stmt, FUNCTION_TYPES):
                functions[stmt.name] = stmt
            elif isinstance(stmt, ast.ClassDef):
                classes[stmt.name] = stmt
                for member in _top_level(stmt.body):
                    if isinstance(member, FUNCTION_TYPES):
                        self._owner[id(member)] = stmt
        self._functions = functions
        self._classes = classes
        return functions, classes

    def callers(self, function: FunctionNode) -> list[FlowScope]:
        """Scopes (functions and the module body) that contain a call naming `function`."""
        return self._index_structure().get(function.name, [])

    def _index_structure(self) -> dict[str, list[FlowScope]]:
        """One pass over the module: who calls which simple name (`f(...)`, `x.f(...)`), and
        the enclosing scopes of every function."""
        if self._callers is not None:
            return self._callers
        found: dict[str, dict[int, FlowScope]] = {}
        # (node, the flow scope it is in, the scopes a function defined in it would see)
        stack: list[tuple[ast.AST, FlowScope, list[ScopeLike]]] = [
            (self.tree, self.tree, [self.tree])
        ]
        while stack:
            node, scope, enclosing = stack.pop()
            for child in children(node):
                if isinstance(child, FUNCTION_TYPES):
                    self._outer.setdefault(id(child), enclosing)
                    stack.append((child, child, [*enclosing, child]))
                    continue
                if isinstance(child, ast.ClassDef):
                    stack.append((child, scope, [*enclosing, child]))
                    continue
                if isinstance(child, ast.Call):
                    func = child.func
                    name = (
                        func.id
                        if isinstance(func, ast.Name)
                        else func.attr
                        if isinstance(func, ast.Attribute)
                        else None
                    )
                    if name is not None:
                        found.setdefault(name, {})[id(scope)] = scope
                stack.append((child, scope, enclosing))
        self._callers = {name: list(scopes.values()) for name, scopes in found.items()}
        return self._callers

    # -- parameters resolved through callers ---------------------------------------------

    def _resolve(
        self, traces: Taint, scope: FlowScope, depth: int, active: set[int]
    ) -> list[Trace]:
        """Replace parameter origins by what the callers in this module pass."""
        result: list[Trace] = []
        for trace in traces:
            if isinstance(trace.origin, str):
                result.append(trace)
                continue
            if depth >= CALLER_DEPTH or not isinstance(scope, FUNCTION_TYPES):
                continue
            for incoming in self._parameter_taint(scope, trace.origin, depth, active):
                steps = (*incoming.steps, *trace.steps)
                result.append(Trace(incoming.origin, steps, incoming.clean_for | trace.clean_for))
        return result

    def _parameter_taint(
        self, function: FunctionNode, index: int, depth: int, active: set[int]
    ) -> list[Trace]:
        key = id(function)
        if key in active:
            return []
        active = active | {key}
        found: list[Trace] = []
        for caller in self.callers(function):
            facts = self.facts(caller)
            for site in facts.calls.values():
                if site.callee is not function or index not in site.arguments:
                    continue
                _, taint = site.arguments[index]
                found.extend(self._resolve(taint, caller, depth + 1, active))
        return found


def _top_level(body: list[ast.stmt]) -> Iterable[ast.stmt]:
    """Statements of a body, looking inside `if`/`try`/`with` blocks but not nested scopes."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, ast.If | ast.With | ast.AsyncWith):
            yield from _top_level(stmt.body)
            yield from _top_level(getattr(stmt, "orelse", []))
        elif isinstance(stmt, ast.Try | ast.TryStar):
            for block in (stmt.body, stmt.orelse, stmt.finalbody):
                yield from _top_level(block)
            for handler in stmt.handlers:
                yield from _top_level(handler.body)


# -- abstract execution --------------------------------------------------------------------


class Frame:
    """Executes one function body over taint environments."""

    def __init__(
        self,
        analysis: TaintAnalysis,
        scope: FlowScope,
        facts: Facts,
        scopes: list[ScopeLike],
        *,
        record: bool,
    ) -> None:
        self.analysis = analysis
        self.scope = scope
        self.facts = facts
        self.scopes = scopes
        self.record = record
        self.info = analysis.index.info(scope)
        self.qualname = analysis.qualname

    # -- entry -----------------------------------------------------------------------------

    def initial_env(self) -> Env:
        scope = self.scope
        if not isinstance(scope, FUNCTION_TYPES):
            return {}
        env: Env = {}
        route = route_kind(scope, self.qualname)
        safe_from_path = safe_route_params(scope)
        for index, param in enumerate(parameters(scope)):
            name = param.arg
            if name in {"self", "cls"} and index == 0:
                continue
            if route is not None:
                if is_request_param(param) or name in safe_from_path:
                    continue
                if safe_annotation(param.annotation) or injected_dependency(scope, param):
                    continue
                label = f"{route} parameter `{name}`"
                env[name] = (Trace(label, (TaintStep(param, label),)),)
            else:
                step = TaintStep(param, f"parameter `{name}` of {scope.name}()")
                env[name] = (Trace(index, (step,)),)
        return env

    # -- statements ------------------------------------------------------------------------

    def block(self, stmts: list[ast.stmt], env: Env) -> Env | None:
        current: Env | None = env
        for stmt in stmts:
            if current is None:
                break
            current = self.statement(stmt, current)
        return current

    def statement(self, stmt: ast.stmt, env: Env) -> Env | None:
        if self.record:
            self.facts.before[id(stmt)] = dict(env)
        if isinstance(stmt, ast.Assign):
            taint = self.eval(stmt.value, env, 0)
            for target in stmt.targets:
                self.bind(target, taint, stmt.value, env)
            return env
        if isinstance(stmt, ast.AnnAssign):
            if stmt.value is not None:
                self.bind(stmt.target, self.eval(stmt.value, env, 0), stmt.value, env)
            return env
        if isinstance(stmt, ast.AugAssign):
            added = self.eval(stmt.value, env, 0)
            key = dotted(stmt.target)
            if key is None and isinstance(stmt.target, ast.Subscript):
                key = container_key(stmt.target.value)
            if key is not None:
                merged = join(env.get(key, NO_TAINT), added)
                if merged:
                    env[key] = extend(merged, stmt.target, f"added to `{key}`")
            return env
        if isinstance(stmt, ast.Expr):
            self.eval(stmt.value, env, 0)
            return env
        if isinstance(stmt, ast.Return):
            if stmt.value is not None and self.record:
                value = self.eval(stmt.value, env, 0)
                if value:
                    self.facts.returns = join(self.facts.returns, extend(value, stmt, "returned"))
            return None
        if isinstance(stmt, ast.Raise):
            return None
        if isinstance(stmt, ast.If):
            self.eval(stmt.test, env, 0)
            return join_env(self.block(stmt.body, dict(env)), self.block(stmt.orelse, dict(env)))
        if isinstance(stmt, ast.For | ast.AsyncFor):
            return self._loop(stmt, env, self.eval(stmt.iter, env, 0))
        if isinstance(stmt, ast.While):
            self.eval(stmt.test, env, 0)
            return self._loop(stmt, env, None)
        if isinstance(stmt, ast.With | ast.AsyncWith):
            for item in stmt.items:
                value = self.eval(item.context_expr, env, 0)
                if item.optional_vars is not None:
                    self.bind(item.optional_vars, value, item.context_expr, env)
            return self.block(stmt.body, env)
        if isinstance(stmt, ast.Try | ast.TryStar):
            return self._try(stmt, env)
        if isinstance(stmt, ast.Match):
            subject = self.eval(stmt.subject, env, 0)
            result: Env | None = None
            for case in stmt.cases:
                branch = dict(env)
                for node in ast.walk(case.pattern):
                    for name in (getattr(node, "name", None), getattr(node, "rest", None)):
                        if isinstance(name, str):
                            if subject:
                                branch[name] = extend(subject, node, f"matched as `{name}`")
                            else:
                                branch.pop(name, None)
                result = join_env(result, self.block(case.body, branch))
            return join_env(result, env)
        if isinstance(stmt, FUNCTION_TYPES):
            env.pop(stmt.name, None)
            return env
        if isinstance(stmt, ast.ClassDef):
            env.pop(stmt.name, None)
            self.block(stmt.body, dict(env))
            return env
        if isinstance(stmt, ast.Import | ast.ImportFrom):
            for alias in stmt.names:
                env.pop(alias.asname or alias.name.split(".", 1)[0], None)
            return env
        if isinstance(stmt, ast.Delete):
            for target in stmt.targets:
                key = dotted(target)
                if key is not None:
                    env.pop(key, None)
            return env
        if isinstance(stmt, ast.Assert):
            self.eval(stmt.test, env, 0)
            return env
        return env

    def _loop(self, stmt: ast.For | ast.AsyncFor | ast.While, env: Env, items: Taint | None) -> Env:
        entry = env
        for _ in range(3):
            body_env = dict(entry)
            if items is not None and isinstance(stmt, ast.For | ast.AsyncFor):
                self.bind(stmt.target, items, stmt.iter, body_env, element=True)
            out = self.block(stmt.body, body_env)
            merged = join_env(entry, out) or entry
            if _signature(merged) == _signature(entry):
                break
            entry = merged
        after = self.block(stmt.orelse, dict(entry))
        return join_env(entry, after) or entry

    def _try(self, stmt: ast.Try | ast.TryStar, env: Env) -> Env | None:
        body_out = self.block(stmt.body, dict(env))
        handler_in = join_env(dict(env), body_out) or dict(env)
        outs: list[Env | None] = [
            self.block(stmt.orelse, dict(body_out)) if body_out is not None else None
        ]
        for handler in stmt.handlers:
            branch = dict(handler_in)
            if handler.name:
                branch.pop(handler.name, None)
            outs.append(self.block(handler.body, branch))
        result: Env | None = None
        for out in outs:
            result = join_env(result, out)
        if stmt.finalbody:
            final_in = result if result is not None else handler_in
            final_out = self.block(stmt.finalbody, dict(final_in))
            return final_out if result is not None else None
        return result

    def _fill(self, call: ast.Call, added: Taint, env: Env) -> None:
        """`items.append(x)`, `rows[0].append(x)`: the container now holds what `x` holds.

        A local list, dict or set passed to a function bastion does not know, together with
        tainted data (`fill(parts, value)`), may have been filled with it too.
        """
        if not added:
            return
        func = call.func
        targets: list[str] = []
        if isinstance(func, ast.Attribute) and func.attr in MUTATORS:
            key = container_key(func.value)
            if key is not None:
                targets.append(key)
        elif not _leaves_arguments_alone(self.qualname(func)):
            for argument in call.args:
                if isinstance(argument, ast.Name) and self._local_container(argument.id):
                    targets.append(argument.id)
        for key in targets:
            merged = join(env.get(key, NO_TAINT), added)
            env[key] = extend(merged, call, f"added to `{key}`")

    def _local_container(self, name: str) -> bool:
        """True when a binding of `name` in this scope is a list, dict or set display."""
        return any(
            isinstance(binding.node, _CONTAINER_DISPLAYS)
            for binding in self.info.bindings.get(name, ())
        )

    def bind(
        self,
        target: ast.expr,
        taint: Taint,
        value: ast.expr | None,
        env: Env,
        *,
        element: bool = False,
    ) -> None:
        if isinstance(target, ast.Name | ast.Attribute):
            key = dotted(target)
            if key is None:
                return
            if taint:
                env[key] = extend(taint, target, f"assigned to `{key}`")
            else:
                env.pop(key, None)
                # Attributes of a rebound name are gone too.
                prefix = key + "."
                for stale in [k for k in env if k.startswith(prefix)]:
                    del env[stale]
            return
        if isinstance(target, ast.Tuple | ast.List):
            values = value.elts if isinstance(value, ast.Tuple | ast.List) else None
            same_shape = (
                not element
                and values is not None
                and len(values) == len(target.elts)
                and not any(isinstance(v, ast.Starred) for v in values)
                and not any(isinstance(t, ast.Starred) for t in target.elts)
            )
            if same_shape and values is not None:
                for part, part_value in zip(target.elts, values, strict=True):
                    self.bind(part, self.eval(part_value, env, 0), part_value, env)
            else:
                for part in target.elts:
                    self.bind(part, taint, None, env, element=True)
            return
        if isinstance(target, ast.Starred):
            self.bind(target.value, taint, None, env, element=True)
            return
        if isinstance(target, ast.Subscript):
            key = container_key(target.value)
            if key is not None and taint:
                merged = join(env.get(key, NO_TAINT), taint)
                env[key] = extend(merged, target, f"stored in `{key}`")

    def bind_comprehension(
        self,
        node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp,
        env: Env,
        depth: int,
    ) -> None:
        for generator in node.generators:
            items = self.eval(generator.iter, env, depth)
            self.bind(generator.target, items, None, env, element=True)

    # -- expressions -----------------------------------------------------------------------

    def eval(self, node: ast.AST, env: Env, depth: int) -> Taint:
        if depth > MAX_DEPTH:
            return NO_TAINT
        depth += 1
        if isinstance(node, ast.Constant):
            return NO_TAINT
        if isinstance(node, ast.Name):
            return self._name(node, env)
        if isinstance(node, ast.Attribute):
            return self._attribute(node, env, depth)
        if isinstance(node, ast.Call):
            return self._call(node, env, depth)
        if isinstance(node, ast.JoinedStr):
            return join(*(self.eval(value, env, depth) for value in node.values))
        if isinstance(node, ast.FormattedValue):
            return self.eval(node.value, env, depth)
        if isinstance(node, ast.BinOp):
            return join(self.eval(node.left, env, depth), self.eval(node.right, env, depth))
        if isinstance(node, ast.Subscript):
            return self.eval(node.value, env, depth)
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            return join(*(self.eval(element, env, depth) for element in node.elts))
        if isinstance(node, ast.Dict):
            keys = (self.eval(key, env, depth) for key in node.keys if key is not None)
            values = (self.eval(value, env, depth) for value in node.values)
            return join(*keys, *values)
        if isinstance(node, ast.Starred | ast.Await):
            return self.eval(node.value, env, depth)
        if isinstance(node, ast.IfExp):
            self.eval(node.test, env, depth)
            return join(self.eval(node.body, env, depth), self.eval(node.orelse, env, depth))
        if isinstance(node, ast.BoolOp):
            return join(*(self.eval(value, env, depth) for value in node.values))
        if isinstance(node, ast.UnaryOp):
            return NO_TAINT if isinstance(node.op, ast.Not) else self.eval(node.operand, env, depth)
        if isinstance(node, ast.NamedExpr):
            value = self.eval(node.value, env, depth)
            self.bind(node.target, value, node.value, env)
            return value
        if isinstance(node, COMPREHENSION_TYPES):
            inner = dict(env)
            self.bind_comprehension(node, inner, depth)
            if isinstance(node, ast.DictComp):
                return join(self.eval(node.key, inner, depth), self.eval(node.value, inner, depth))
            return self.eval(node.elt, inner, depth)
        return NO_TAINT

    def _name(self, node: ast.Name, env: Env) -> Taint:
        name = node.id
        found = env.get(name)
        if found is not None:
            return found
        info = self.info
        local = name in info.bindings and not (
            name in info.declared_global or name in info.declared_nonlocal
        )
        if local:
            return NO_TAINT  # a variable of this scope, not tainted at this point
        qualified = self.qualname(node)
        if qualified in SOURCE_NAMES and qualified != name:
            label = SOURCE_NAMES[qualified]
            return (Trace(label, (TaintStep(node, label),)),)
        if isinstance(self.scope, ast.Module):
            return NO_TAINT
        return self._free(name)

    def _free(self, name: str) -> Taint:
        """A name of an enclosing function (as it was when this one was defined) or module."""
        analysis = self.analysis
        outer = analysis.outer_of(self.scope) if isinstance(self.scope, FUNCTION_TYPES) else []
        for position in range(len(outer) - 1, -1, -1):
            scope = outer[position]
            if isinstance(scope, FUNCTION_TYPES):
                info = analysis.index.info(scope)
                if name in info.bindings and name not in info.declared_global:
                    facts = analysis.facts(scope, outer[:position])
                    env = facts.before.get(id(self._defined_in(scope)), {})
                    return env.get(name, NO_TAINT)
            elif isinstance(scope, ast.Module):
                facts = analysis.facts(scope, [])
                if not facts.done:
                    return NO_TAINT
                return facts.final.get(name, NO_TAINT)
        return NO_TAINT

    def _defined_in(self, outer: FunctionNode) -> ast.AST:
        """The statement of `outer` that (directly or not) contains this function."""
        chain = self.analysis.index.chain(self.scope)
        for position, node in enumerate(chain):
            if node is outer and position + 1 < len(chain):
                return chain[position + 1]
        return self.scope

    def _attribute(self, node: ast.Attribute, env: Env, depth: int) -> Taint:
        key = dotted(node)
        if key is not None and key in env:
            return env[key]
        qualified = self.qualname(node)
        if qualified in SOURCE_NAMES:
            label = SOURCE_NAMES[qualified]
            return (Trace(label, (TaintStep(node, label),)),)
        if node.attr in REQUEST_ATTRS and self._is_request(node.value, env):
            label = f"request data (request.{node.attr})"
            return (Trace(label, (TaintStep(node, label),)),)
        return self.eval(node.value, env, depth)

    def _is_request(self, node: ast.expr, env: Env) -> bool:
        if isinstance(node, ast.Name):
            if self.qualname(node) in REQUEST_GLOBALS:
                return True
            return node.id == "request" or node.id in self._request_params()
        return (
            isinstance(node, ast.Attribute)
            and node.attr == "request"
            and isinstance(node.value, ast.Name)
            and node.value.id in {"self", "cls"}
        )

    def _request_params(self) -> frozenset[str]:
        scope = self.scope
        if not isinstance(scope, FUNCTION_TYPES):
            return frozenset()
        arguments = scope.args
        return frozenset(
            arg.arg
            for arg in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)
            if annotation_name(arg.annotation) in REQUEST_TYPES
        )

    def _call(self, node: ast.Call, env: Env, depth: int) -> Taint:
        func = node.func
        name = self.qualname(func)
        if name in SOURCE_CALLS and not (
            isinstance(func, ast.Name) and func.id in self.info.bindings
        ):
            label = SOURCE_CALLS[name]
            return (Trace(label, (TaintStep(node, label),)),)
        if isinstance(func, ast.Attribute):
            if func.attr in REQUEST_ATTRS and self._is_request(func.value, env):
                label = f"request data (request.{func.attr})"
                return (Trace(label, (TaintStep(node, label),)),)
            if func.attr in SOURCE_METHODS:
                label = SOURCE_METHODS[func.attr]
                return (Trace(label, (TaintStep(node, label),)),)
            if func.attr in SAFE_METHODS:
                return NO_TAINT
        if name in UNIVERSAL_SANITIZERS:
            for arg in node.args:
                self.eval(arg, env, depth)  # walrus side effects
            return NO_TAINT
        arguments = [self.eval(arg, env, depth) for arg in node.args]
        keywords = [self.eval(kw.value, env, depth) for kw in node.keywords]
        if name in KIND_SANITIZERS:
            return sanitize(join(*arguments, *keywords), KIND_SANITIZERS[name])
        callee = self._callee(func)
        if callee is not None:
            function, offset = callee
            return self._summarised_call(
                node, function, offset=offset, arguments=arguments, keywords=keywords
            )
        receiver = self.eval(func.value, env, depth) if isinstance(func, ast.Attribute) else ()
        self._fill(node, join(*arguments, *keywords), env)
        return join(receiver, *arguments, *keywords)

    def _callee(self, func: ast.expr) -> tuple[FunctionNode, int] | None:
        """A function of this module that `func` names, and how many parameters are bound."""
        analysis = self.analysis
        if isinstance(func, ast.Name):
            if isinstance(self.scope, FUNCTION_TYPES) and func.id in self.info.bindings:
                return None
            function = analysis.module_function(func.id)
            return (function, 0) if function is not None else None
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            receiver = func.value.id
            if receiver in {"self", "cls"} and isinstance(self.scope, FUNCTION_TYPES):
                owner = analysis.owner(self.scope)
                if owner is not None:
                    method = _method(owner, func.attr)
                    if method is not None:
                        return method, 1 if _bound(method) else 0
                return None
            cls = analysis.module_class(receiver)
            if cls is not None:
                method = _method(cls, func.attr)
                if method is not None:
                    return method, 1 if _is_classmethod(method) else 0
        return None

    def _summarised_call(
        self,
        node: ast.Call,
        function: FunctionNode,
        *,
        offset: int,
        arguments: list[Taint],
        keywords: list[Taint],
    ) -> Taint:
        names = {arg.arg: i for i, arg in enumerate(parameters(function))}
        if function.args.vararg is not None:
            names.pop(function.args.vararg.arg, None)
        if function.args.kwarg is not None:
            names.pop(function.args.kwarg.arg, None)
        for only in function.args.posonlyargs:
            names.pop(only.arg, None)
        by_param: dict[int, tuple[ast.AST, Taint]] = {}
        positional = len(function.args.posonlyargs) + len(function.args.args)
        rest = positional if function.args.vararg is not None else None  # index of *args
        for position, (arg, taint) in enumerate(zip(node.args, arguments, strict=True)):
            index = position + offset
            if isinstance(arg, ast.Starred) or index >= positional:
                if rest is None:
                    break
                # Everything from here on lands in *args: one container, joined.
                earlier = by_param.get(rest, (arg, NO_TAINT))
                by_param[rest] = (earlier[0] if earlier[1] else arg, join(earlier[1], taint))
                continue
            by_param[index] = (arg, taint)
        for kw, taint in zip(node.keywords, keywords, strict=True):
            if kw.arg is not None and kw.arg in names:
                by_param[names[kw.arg]] = (kw.value, taint)
        if self.record:
            marked = {
                index: (arg, extend(taint, arg, _passed(function, index)))
                for index, (arg, taint) in by_param.items()
                if taint
            }
            self.facts.calls[id(node)] = CallSite(node, function, marked)
        summary = self.analysis.facts(function)
        if not summary.done:
            # Recursion: assume the arguments flow through.
            return join(*(taint for _, taint in by_param.values()))
        result: list[Taint] = []
        for trace in summary.returns:
            if isinstance(trace.origin, str):
                result.append(extend((trace,), node, f"returned by {function.name}()"))
            elif trace.origin in by_param:
                argument, taint = by_param[trace.origin]
                carried = extend(taint, argument, f"passed to {function.name}()")
                carried = tuple(
                    Trace(t.origin, t.steps, t.clean_for | trace.clean_for) for t in carried
                )
                result.append(extend(carried, node, f"returned by {function.name}()"))
        return join(*result)


# -- helpers ---------------------------------------------------------------------------------

_CONTAINER_DISPLAYS = (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)


def _leaves_arguments_alone(name: str | None) -> bool:
    """Builtins and standard library functions that never fill a list passed to them."""
    if name is None:
        return False
    return name in SAFE_BUILTINS or name.partition(".")[0] in SAFE_MODULES


def container_key(node: ast.AST) -> str | None:
    """The variable a container expression lives in: `rows` for `rows[0]["k"]`, `self.items`
    for `self.items[0]` (containers are tainted as a whole)."""
    while isinstance(node, ast.Subscript):
        node = node.value
    return dotted(node)


def _method(cls: ast.ClassDef, name: str) -> FunctionNode | None:
    found = None
    for stmt in _top_level(cls.body):
        if isinstance(stmt, FUNCTION_TYPES) and stmt.name == name:
            found = stmt
    return found


def _decorator_names(function: FunctionNode) -> set[str]:
    names = set()
    for decorator in function.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        text = dotted(target)
        if text:
            names.add(text.rsplit(".", 1)[-1])
    return names


def _is_classmethod(function: FunctionNode) -> bool:
    return "classmethod" in _decorator_names(function)


def _bound(function: FunctionNode) -> bool:
    return "staticmethod" not in _decorator_names(function)


def parameters(function: FunctionNode) -> list[ast.arg]:
    """Parameters in one fixed order: positional, *args, keyword-only, **kwargs."""
    arguments = function.args
    params = [*arguments.posonlyargs, *arguments.args]
    if arguments.vararg is not None:
        params.append(arguments.vararg)
    params.extend(arguments.kwonlyargs)
    if arguments.kwarg is not None:
        params.append(arguments.kwarg)
    return params


def _passed(function: FunctionNode, index: int) -> str:
    params = parameters(function)
    name = params[index].arg if 0 <= index < len(params) else f"#{index}"
    return f"passed to {function.name}() as `{name}`"
