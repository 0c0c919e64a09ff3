"""B604: a call outside `subprocess` that passes `shell=True`."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.processes import SUBPROCESS_FUNCTIONS, shell_keyword
from bastion.findings import Confidence, Severity


@rule(
    "B604",
    "any_other_function_with_shell_equals_true",
    severity=Severity.MEDIUM,
    confidence=Confidence.LOW,
    nodes=(ast.Call,),
    keywords=("shell",),
    cwe=78,
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Function call with `shell=True` outside the `subprocess` module.

    ## What it does
    Finds calls of any function other than the `subprocess` process functions that pass a
    true `shell=` argument: wrappers and libraries (`invoke`, `fabric`, project helpers)
    that most likely run their first argument through a shell.

    ## Why is this bad?
    A shell interprets metacharacters in the command, so outside data in it can run
    commands of its own (command injection).

    ## Example
    ```python
    run_command(f"git checkout {branch}", shell=True)
    ```

    ## Use instead
    ```python
    run_command(["git", "checkout", "--", branch])
    ```

    ## Differences from bandit
    - When the first argument is made only of literals the severity is LOW: no outside data
      reaches the shell.
    """
    if not node.keywords:
        return
    shell = shell_keyword(node)
    if shell is None or ctx.call_name(node) in SUBPROCESS_FUNCTIONS:
        return
    command = node.args[0] if node.args and type(node.args[0]) is not ast.Starred else None
    if command is not None and ctx.is_constant(command):
        yield Issue(node, "call with shell=True and a constant command", severity=Severity.LOW)
        return
    path = ctx.taint(command) if command is not None else None
    yield Issue(node, "call with shell=True: the command may run through a shell", taint=path)
