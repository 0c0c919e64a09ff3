"""B603: a subprocess call without a shell, whose program or arguments are not constant."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.ast_helpers import argument_or_unpacked
from bastion.code.rules.processes import SUBPROCESS_FUNCTIONS, SUBPROCESS_TAILS, shell_keyword
from bastion.findings import Confidence, Severity


@rule(
    "B603",
    "subprocess_without_shell_equals_true",
    severity=Severity.LOW,
    confidence=Confidence.HIGH,
    nodes=(ast.Call,),
    cwe=78,
    calls=tuple(SUBPROCESS_FUNCTIONS),
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Subprocess call without a shell: check the program and arguments are trusted.

    ## What it does
    Finds calls of `subprocess.Popen`, `run`, `call`, `check_call` and `check_output`
    without a true `shell=` whose command is not made only of literals.

    ## Why is this bad?
    Without a shell there is no metacharacter injection, but data from outside can still
    choose the program to run, or add options it interprets (`--upload-pack=...`,
    `-o ProxyCommand=...`).

    ## Example
    ```python
    subprocess.run([tool, "--config", user_supplied])
    ```

    ## Use instead
    ```python
    subprocess.run(["/usr/bin/tool", "--config", "--", validated_path], check=True)
    ```

    ## Differences from bandit
    - A call whose command is made only of literals (`subprocess.run(["ls", "-l"])`) is not
      reported: nothing from outside reaches it. Bandit reports every such call.
    """
    if ctx.call_tail(node) not in SUBPROCESS_TAILS:
        return
    if shell_keyword(node) is not None or ctx.call_name(node) not in SUBPROCESS_FUNCTIONS:
        return
    command = argument_or_unpacked(node, 0, "args")
    if command is not None and ctx.is_constant(command):
        return
    path = ctx.taint(command) if command is not None else None
    yield Issue(
        node, "subprocess call: check the command is not built from untrusted data", taint=path
    )
