"""B307: a call to the builtin `eval`."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.ast_helpers import data_argument
from bastion.findings import Confidence, Severity


@rule(
    "B307",
    "eval",
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    nodes=(ast.Call,),
    calls=("eval",),
    cwe=78,
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Use of `eval`, which runs a string as a Python expression.

    ## What it does
    Finds calls to the builtin `eval` (also as `builtins.eval`).

    ## Why is this bad?
    `eval` evaluates any expression, and an expression can import modules, call functions
    and run commands (`__import__("os").system(...)`). If outside data reaches it, an
    attacker runs code of their choosing. To read a Python literal, `ast.literal_eval` does
    the job without running anything.

    ## Example
    ```python
    settings = eval(request.args["settings"])
    ```

    ## Use instead
    ```python
    import ast

    settings = ast.literal_eval(request.args["settings"])
    ```

    ## Differences from bandit
    - A function, parameter or variable named `eval` in the module or an enclosing function
      is not the builtin: bandit reports its calls, bastion does not.
    - When the expression is a constant string, bastion reports LOW severity instead of
      MEDIUM: no outside data can reach it.
    - `builtins.eval(...)` is reported too.
    """
    func = node.func
    if not (
        (type(func) is ast.Name and func.id == "eval")
        or (type(func) is ast.Attribute and func.attr == "eval")
    ):
        return
    if not ctx.calls_builtin(node, "eval"):
        return
    expression = data_argument(node, "source")
    if expression is not None and ctx.is_constant(expression):
        yield Issue(node, "eval of a constant string", severity=Severity.LOW)
        return
    yield Issue(
        node,
        "eval runs a string as Python code; use ast.literal_eval for literals",
        taint=ctx.taint(expression) if expression is not None else None,
    )
