"""B602: a subprocess call with `shell=True`."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.findings import Confidence, Severity

_SUBPROCESS = frozenset(
    {
        "subprocess.Popen",
        "subprocess.call",
        "subprocess.check_call",
        "subprocess.check_output",
        "subprocess.run",
        "subprocess.getoutput",
        "subprocess.getstatusoutput",
    }
)


@rule(
    "B602",
    "subprocess_popen_with_shell_equals_true",
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    nodes=(ast.Call,),
    cwe=78,
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Subprocess call with `shell=True`.

    ## What it does
    Finds calls to `subprocess` functions that pass `shell=True`.

    ## Why is this bad?
    The command string is handed to `/bin/sh`, which interprets metacharacters. If any part
    of it comes from outside the program, an attacker can run commands of their own
    (command injection).

    ## Example
    ```python
    subprocess.run(f"tar xf {archive}", shell=True)
    ```

    ## Use instead
    ```python
    subprocess.run(["tar", "xf", archive])
    ```
    """
    if ctx.call_name(node) not in _SUBPROCESS:
        return
    shell = ctx.keyword(node, "shell")
    if not isinstance(shell, ast.Constant) or not shell.value:
        return
    command = ctx.argument(node, 0, "args")
    if command is not None and ctx.is_constant(command):
        yield Issue(
            node,
            "subprocess call with shell=True, command is a constant string",
            severity=Severity.LOW,
            confidence=Confidence.HIGH,
        )
        return
    path = ctx.taint(command) if command is not None else None
    yield Issue(node, "subprocess call with shell=True", taint=path)
