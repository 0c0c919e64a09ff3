"""B507: a paramiko client told to accept unknown SSH host keys."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.findings import Confidence, Severity

_TRUSTING_POLICIES = frozenset({"AutoAddPolicy", "WarningPolicy"})


@rule(
    "B507",
    "ssh_no_host_key_verification",
    severity=Severity.HIGH,
    confidence=Confidence.MEDIUM,
    nodes=(ast.Call,),
    cwe=295,
    calls=("paramiko.SSHClient.set_missing_host_key_policy",),
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """SSH host key not verified.

    ## What it does
    Finds `set_missing_host_key_policy` calls that install paramiko's `AutoAddPolicy` or
    `WarningPolicy`, in files that import paramiko.

    ## Why is this bad?
    Both policies connect to a server whose key is unknown. The first connection, or every
    connection when keys are not saved, can then go to an impostor that reads the
    credentials and the session.

    ## Example
    ```python
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    ```

    ## Use instead
    ```python
    client = paramiko.SSHClient()
    client.load_system_host_keys()
    client.set_missing_host_key_policy(paramiko.RejectPolicy())
    ```

    ## Differences from bandit
    - A policy imported under another name (`from paramiko import AutoAddPolicy as Trust`)
      is recognised through the import; bandit compares the name as written.
    """
    func = node.func
    if type(func) is not ast.Attribute or func.attr != "set_missing_host_key_policy":
        return
    policy = ctx.argument(node, 0, "policy")
    if policy is None:
        return
    name = ctx.value_tail(policy.func if type(policy) is ast.Call else policy)
    if name in _TRUSTING_POLICIES and ctx.imports_module("paramiko"):
        yield Issue(node, f"paramiko {name} trusts unknown SSH host keys")
