"""B601: a shell command run on a remote host through paramiko's `exec_command`."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.ast_helpers import argument_or_unpacked
from bastion.findings import Confidence, Severity


@rule(
    "B601",
    "paramiko_calls",
    severity=Severity.MEDIUM,
    confidence=Confidence.MEDIUM,
    nodes=(ast.Call,),
    cwe=78,
    calls=("paramiko.SSHClient.exec_command",),
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Shell command run over SSH with paramiko.

    ## What it does
    Finds `.exec_command(...)` calls in files that import paramiko.

    ## Why is this bad?
    `exec_command` hands its string to the remote user's shell, so any outside data in it
    can add commands of its own (command injection), on the remote host.

    ## Example
    ```python
    client.exec_command(f"tail -n 100 /var/log/{service}.log")
    ```

    ## Use instead
    ```python
    if service not in KNOWN_SERVICES:
        raise ValueError(service)
    client.exec_command(f"tail -n 100 /var/log/{shlex.quote(service)}.log")
    ```

    ## Differences from bandit
    - A command that is a string literal is reported with LOW severity: no outside data
      reaches the shell.
    """
    func = node.func
    if type(func) is not ast.Attribute or func.attr != "exec_command":
        return
    if not ctx.imports_module("paramiko"):
        return
    command = argument_or_unpacked(node, 0, "command")
    if command is not None and ctx.is_constant(command):
        yield Issue(node, "paramiko exec_command with a constant command", severity=Severity.LOW)
        return
    path = ctx.taint(command) if command is not None else None
    yield Issue(node, "paramiko exec_command runs its command through a remote shell", taint=path)
