"""B605: a process started through the shell (`os.system`, `os.popen`, ...)."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.processes import SHELL_FUNCTIONS, SHELL_TAILS, command_argument
from bastion.findings import Confidence, Severity


@rule(
    "B605",
    "start_process_with_a_shell",
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    nodes=(ast.Call,),
    cwe=78,
    calls=tuple(SHELL_FUNCTIONS),
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Process started with a shell.

    ## What it does
    Finds `os.system`, `os.popen`, `subprocess.getoutput`, `subprocess.getstatusoutput`
    and the Python 2 `popen2`/`commands` functions, which always run their command through
    `/bin/sh`. A command built only from literals gives LOW severity; anything else HIGH.

    ## Why is this bad?
    The shell interprets metacharacters, so outside data in the command can run commands of
    its own (command injection).

    ## Example
    ```python
    os.system(f"ping -c 1 {host}")
    ```

    ## Use instead
    ```python
    subprocess.run(["ping", "-c", "1", host], check=True)
    ```

    ## Differences from bandit
    - A command passed by keyword (`os.system(command=...)`) is checked; bandit skips it.
    - Any command built only from literals gives LOW severity, where bandit only lowers it
      for a single string literal.
    """
    if ctx.call_tail(node) not in SHELL_TAILS:
        return
    qualname = ctx.call_name(node)
    if qualname not in SHELL_FUNCTIONS:
        return
    command = command_argument(node, qualname)
    if command is None:
        return
    if ctx.is_constant(command):
        yield Issue(
            node, f"{qualname} starts a shell with a constant command", severity=Severity.LOW
        )
        return
    yield Issue(node, f"{qualname} runs its command through a shell", taint=ctx.taint(command))
