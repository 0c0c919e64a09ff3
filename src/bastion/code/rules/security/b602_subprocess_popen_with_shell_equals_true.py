"""B602: a subprocess call with `shell=True`."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.ast_helpers import argument_or_unpacked, literal_truth
from bastion.code.rules.processes import SUBPROCESS_FUNCTIONS, SUBPROCESS_TAILS, shell_keyword
from bastion.findings import Confidence, Severity


@rule(
    "B602",
    "subprocess_popen_with_shell_equals_true",
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    nodes=(ast.Call,),
    cwe=78,
    calls=tuple(SUBPROCESS_FUNCTIONS),
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Subprocess call with `shell=True`.

    ## What it does
    Finds calls of `subprocess.Popen`, `run`, `call`, `check_call` and `check_output` that
    pass a true `shell=` argument. A command built only from literals gives LOW severity;
    anything else HIGH.

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

    ## Differences from bandit
    - A command passed by keyword (`args=...`) is checked; bandit skips such calls.
    - Any command built only from literals (`["ls", "-l"]`, `"a" + "b"`) gives LOW
      severity, where bandit only lowers it for a single string literal.
    - When `shell=` is a variable rather than a literal, confidence is MEDIUM: the shell may
      not be used at all.
    """
    if not node.keywords or ctx.call_tail(node) not in SUBPROCESS_TAILS:
        return
    shell = shell_keyword(node)
    if shell is None or ctx.call_name(node) not in SUBPROCESS_FUNCTIONS:
        return
    confidence = Confidence.HIGH if literal_truth(shell) else Confidence.MEDIUM
    command = argument_or_unpacked(node, 0, "args")
    if command is not None and ctx.is_constant(command):
        yield Issue(
            node,
            "subprocess call with shell=True and a constant command",
            severity=Severity.LOW,
            confidence=confidence,
        )
        return
    path = ctx.taint(command) if command is not None else None
    yield Issue(node, "subprocess call with shell=True", confidence=confidence, taint=path)
