"""B104: the address `0.0.0.0`, which binds every network interface."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.findings import Confidence, Severity

_ALL_INTERFACES = "0.0.0.0"  # nosec B104 -- the value this rule looks for, bound nowhere


@rule(
    "B104",
    "hardcoded_bind_all_interfaces",
    severity=Severity.MEDIUM,
    confidence=Confidence.MEDIUM,
    nodes=(ast.Constant,),
    cwe=605,
)
def check(node: ast.Constant, ctx: FileContext) -> Iterator[Issue]:
    """Possible binding to all network interfaces (`"0.0.0.0"`).

    ## What it does
    Finds the string `"0.0.0.0"` in code, outside docstrings and comparisons.

    ## Why is this bad?
    A server bound to `0.0.0.0` listens on every interface of the machine, including public
    ones. A development server, an admin port or a debug endpoint meant for `localhost` is
    then reachable from the network.

    ## Example
    ```python
    app.run(host="0.0.0.0", port=8000)
    ```

    ## Use instead
    ```python
    app.run(host="127.0.0.1", port=8000)  # or the one interface that must listen
    ```

    ## Differences from bandit
    - A comparison such as `if host == "0.0.0.0":` binds nothing; bandit reports it, bastion
      does not.
    """
    if node.value != _ALL_INTERFACES or type(node.value) is not str:
        return
    parent = ctx.parent
    if type(parent) is ast.Expr or type(parent) is ast.Compare:
        return
    yield Issue(node, "possible binding to all interfaces (0.0.0.0)")
