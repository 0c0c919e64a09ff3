"""B606: a process started without a shell (`os.exec*`, `os.spawn*`, `os.startfile`)."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.processes import NO_SHELL_FUNCTIONS, NO_SHELL_TAILS
from bastion.findings import Confidence, Severity


@rule(
    "B606",
    "start_process_with_no_shell",
    severity=Severity.LOW,
    confidence=Confidence.MEDIUM,
    nodes=(ast.Call,),
    cwe=78,
    calls=tuple(NO_SHELL_FUNCTIONS),
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Process started without a shell: check the program and arguments are trusted.

    ## What it does
    Finds `os.exec*`, `os.spawn*` and `os.startfile` calls whose program or arguments are
    not all literals.

    ## Why is this bad?
    No shell means no metacharacter injection, but outside data can still choose the
    program, or pass it options it interprets.

    ## Example
    ```python
    os.execvp(editor, [editor, path])
    ```

    ## Use instead
    ```python
    os.execv("/usr/bin/vi", ["vi", "--", validated_path])
    ```

    ## Differences from bandit
    - A call whose program and arguments are all literals is not reported: nothing from
      outside reaches it. Bandit reports every call.
    """
    if ctx.call_tail(node) not in NO_SHELL_TAILS:
        return
    qualname = ctx.call_name(node)
    if qualname not in NO_SHELL_FUNCTIONS:
        return
    # spawn* take a mode first; the *e variants take an environment last
    arguments = node.args[1:] if qualname.startswith("os.spawn") else node.args
    if qualname.endswith("e") and qualname != "os.startfile":
        arguments = arguments[:-1]
    variable = [a for a in arguments if not ctx.is_constant(a)]
    if arguments and not variable and not node.keywords:
        return
    path = ctx.taint(variable[0]) if variable else None
    yield Issue(node, f"{qualname} starts a program: check it and its arguments", taint=path)
