"""B504: `ssl.wrap_socket` called without choosing a protocol version."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.findings import Confidence, Severity


@rule(
    "B504",
    "ssl_with_no_version",
    severity=Severity.LOW,
    confidence=Confidence.MEDIUM,
    nodes=(ast.Call,),
    cwe=327,
    calls=("ssl.wrap_socket",),
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """`ssl.wrap_socket` without an explicit protocol version.

    ## What it does
    Finds calls to `ssl.wrap_socket` that do not pass `ssl_version`.

    ## Why is this bad?
    The module-level `wrap_socket` negotiates whatever both sides support, which on older
    Pythons and OpenSSL builds includes protocol versions with known attacks, and it does
    not check the peer's certificate or host name by default. It was deprecated in
    Python 3.7 and removed in 3.12.

    ## Example
    ```python
    tls = ssl.wrap_socket(sock)
    ```

    ## Use instead
    ```python
    tls = ssl.create_default_context().wrap_socket(sock, server_hostname=host)
    ```

    ## Differences from bandit
    - A protocol version passed by position (the sixth argument) counts as chosen.
    """
    if ctx.call_tail(node) != "wrap_socket" or ctx.call_name(node) != "ssl.wrap_socket":
        return
    if ctx.argument(node, 5, "ssl_version") is None:
        yield Issue(node, "ssl.wrap_socket without a protocol version")
