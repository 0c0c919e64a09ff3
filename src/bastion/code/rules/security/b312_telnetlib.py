"""B312: a Telnet connection, which sends everything in clear text."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.calls import CallBlacklist
from bastion.findings import Confidence, Severity

_CALLS = CallBlacklist.of(("telnetlib.Telnet",))


@rule(
    "B312",
    "telnetlib",
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    nodes=(ast.Call,),
    calls=tuple(_CALLS.names),
    cwe=319,
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Use of Telnet, which sends credentials and data unencrypted.

    ## What it does
    Finds `telnetlib.Telnet` connections.

    ## Why is this bad?
    Telnet sends logins, passwords and data in clear text: anyone on the network path can
    read or change them. (`telnetlib` was removed from Python 3.13.)

    ## Example
    ```python
    session = telnetlib.Telnet(host)
    session.read_until(b"Password: ")
    session.write(password.encode())
    ```

    ## Use instead
    ```python
    client = paramiko.SSHClient()
    client.load_system_host_keys()
    client.connect(host, username=user)
    ```

    ## Differences from bandit
    - The module must be imported in the file: a local object that happens to carry the
      module's name is not the library.
    """
    name = _CALLS.match(node, ctx)
    if name is None:
        return
    yield Issue(node, f"{name}: Telnet is unencrypted, use SSH")
