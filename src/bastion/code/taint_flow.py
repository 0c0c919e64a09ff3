"""Abstract execution of one function body over taint environments (see `taint`).

`Frame` walks the statements in order, keeping the environment before each one, and
evaluates expressions to the traces of untrusted data they may carry. What it needs of the
whole module (other functions' facts, classes, enclosing scopes) it asks the analysis through
`ModuleFacts`, which `taint.TaintAnalysis` implements.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Protocol

from bastion.code.scopes import (
    COMPREHENSION_TYPES,
    FUNCTION_TYPES,
    ScopeIndex,
    ScopeLike,
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
from bastion.code.taint_trace import (
    MAX_DEPTH,
    NO_TAINT,
    CallSite,
    Env,
    Facts,
    FlowScope,
    FunctionNode,
    Taint,
    TaintStep,
    Trace,
    container_key,
    extend,
    is_bound,
    is_classmethod,
    join,
    join_env,
    leaves_arguments_alone,
    method_of,
    parameters,
    passed_to,
    sanitize,
    signature,
)


class ModuleFacts(Protocol):
    """What a `Frame` asks of the analysis of its module."""

    index: ScopeIndex
    qualname: Callable[[ast.AST], str | None]

    def facts(self, scope: FlowScope, outer: list[ScopeLike] | None = None) -> Facts: ...

    def outer_of(self, scope: FlowScope) -> list[ScopeLike]: ...

    def module_function(self, name: str) -> FunctionNode | None: ...

    def module_class(self, name: str) -> ast.ClassDef | None: ...

    def owner(self, function: FunctionNode) -> ast.ClassDef | None: ...


# -- abstract execution --------------------------------------------------------------------


class Frame:
    """Executes one function body over taint environments."""

    def __init__(
        self,
        analysis: ModuleFacts,
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
            if signature(merged) == signature(entry):
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
        elif not leaves_arguments_alone(self.qualname(func)):
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
                    method = method_of(owner, func.attr)
                    if method is not None:
                        return method, 1 if is_bound(method) else 0
                return None
            cls = analysis.module_class(receiver)
            if cls is not None:
                method = method_of(cls, func.attr)
                if method is not None:
                    return method, 1 if is_classmethod(method) else 0
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
                index: (arg, extend(taint, arg, passed_to(function, index)))
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
