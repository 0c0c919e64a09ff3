"""B102: a call to the builtin `exec`."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.ast_helpers import data_argument
from bastion.findings import Confidence, Severity


@rule(
    "B102",
    "exec_used",
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    nodes=(ast.Call,),
    calls=("exec",),
    cwe=78,
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Use of `exec`, which runs a string as Python code.

    ## What it does
    Finds calls to the builtin `exec` (also as `builtins.exec`).

    ## Why is this bad?
    `exec` runs whatever code it is given with the full rights of the program. If any part of
    that string comes from outside, an attacker runs code of their choosing (code injection).

    ## Example
    ```python
    exec(f"result = {expression}")
    ```

    ## Use instead
    ```python
    import ast

    result = ast.literal_eval(expression)  # or a real parser, or a dispatch table
    ```

    ## Differences from bandit
    - A function, parameter or variable named `exec` in the module or an enclosing function
      is not the builtin: bandit reports its calls, bastion does not.
    - When the code run is a constant string, bastion reports LOW severity instead of MEDIUM:
      no outside data can reach it.
    - `builtins.exec(...)` is reported too.
    """
    func = node.func
    if not (
        (type(func) is ast.Name and func.id == "exec")
        or (type(func) is ast.Attribute and func.attr == "exec")
    ):
        return
    if not ctx.calls_builtin(node, "exec"):
        return
    code = data_argument(node, "source")
    if code is not None and ctx.is_constant(code):
        yield Issue(
            node,
            "exec of a constant string",
            severity=Severity.LOW,
        )
        return
    yield Issue(
        node,
        "exec runs a string as Python code",
        taint=ctx.taint(code) if code is not None else None,
    )
