"""The values of taint tracking: steps and paths (what rules see), traces, and facts.

Shared by the analysis of a module (`taint.TaintAnalysis`) and the abstract execution of one
function (`taint_flow.Frame`); see `taint` for how it all works.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass, field

from bastion.code.mutation import SAFE_BUILTINS, SAFE_MODULES
from bastion.code.scopes import FUNCTION_TYPES
from bastion.code.taint_model import dotted


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


def signature(env: Env | None) -> object:
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


def top_level(body: list[ast.stmt]) -> Iterable[ast.stmt]:
    """Statements of a body, looking inside `if`/`try`/`with` blocks but not nested scopes."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, ast.If | ast.With | ast.AsyncWith):
            yield from top_level(stmt.body)
            yield from top_level(getattr(stmt, "orelse", []))
        elif isinstance(stmt, ast.Try | ast.TryStar):
            for block in (stmt.body, stmt.orelse, stmt.finalbody):
                yield from top_level(block)
            for handler in stmt.handlers:
                yield from top_level(handler.body)


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


def method_of(cls: ast.ClassDef, name: str) -> FunctionNode | None:
    found = None
    for stmt in top_level(cls.body):
        if isinstance(stmt, FUNCTION_TYPES) and stmt.name == name:
            found = stmt
    return found


def decorator_names(function: FunctionNode) -> set[str]:
    names = set()
    for decorator in function.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        text = dotted(target)
        if text:
            names.add(text.rsplit(".", 1)[-1])
    return names


def is_classmethod(function: FunctionNode) -> bool:
    return "classmethod" in decorator_names(function)


def is_bound(function: FunctionNode) -> bool:
    return "staticmethod" not in decorator_names(function)


def passed_to(function: FunctionNode, index: int) -> str:
    params = parameters(function)
    name = params[index].arg if 0 <= index < len(params) else f"#{index}"
    return f"passed to {function.name}() as `{name}`"


def container_key(node: ast.AST) -> str | None:
    """The variable a container expression lives in: `rows` for `rows[0]["k"]`, `self.items`
    for `self.items[0]` (containers are tainted as a whole)."""
    while isinstance(node, ast.Subscript):
        node = node.value
    return dotted(node)


def leaves_arguments_alone(name: str | None) -> bool:
    """Builtins and standard library functions that never fill a list passed to them."""
    if name is None:
        return False
    return name in SAFE_BUILTINS or name.partition(".")[0] in SAFE_MODULES
