"""Taint tracking: whether untrusted data reaches an expression, and by which path.

`TaintStep` and `TaintPath` are the interface rules see (through `FileContext.taint`). The
analysis that fills them in is `TaintAnalysis` (this module), one per file, built on the first
question; it runs `taint_flow.Frame` over each function, and both share the values of
`taint_trace`.

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
from collections.abc import Callable

from bastion.code.scopes import (
    COMPREHENSION_TYPES,
    FUNCTION_TYPES,
    ScopeIndex,
    ScopeLike,
    children,
    scopes_of,
)
from bastion.code.taint_flow import Frame
from bastion.code.taint_trace import (
    CALLER_DEPTH,
    Facts,
    FlowScope,
    FunctionNode,
    Taint,
    TaintPath,
    TaintStep,
    Trace,
    top_level,
)

__all__ = ["TaintAnalysis", "TaintPath", "TaintStep"]


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
        for stmt in top_level(self.tree.body):
            if isinstance(stmt, FUNCTION_TYPES):
                functions[stmt.name] = stmt
            elif isinstance(stmt, ast.ClassDef):
                classes[stmt.name] = stmt
                for member in top_level(stmt.body):
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
