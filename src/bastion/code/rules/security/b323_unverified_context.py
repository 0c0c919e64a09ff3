"""B323: an SSL context that checks neither certificates nor host names."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.calls import CallBlacklist
from bastion.findings import Confidence, Severity

_CALLS = CallBlacklist.of(("ssl._create_unverified_context",))


@rule(
    "B323",
    "unverified_context",
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    nodes=(ast.Call,),
    calls=tuple(_CALLS.names),
    cwe=295,
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Use of `ssl._create_unverified_context`, which turns off certificate checks.

    ## What it does
    Finds calls to `ssl._create_unverified_context`.

    ## Why is this bad?
    A TLS connection that does not verify the server's certificate and host name can be
    intercepted by anyone on the network path (man in the middle), who then reads and alters
    everything, credentials included.

    ## Example
    ```python
    context = ssl._create_unverified_context()
    urllib.request.urlopen(url, context=context)
    ```

    ## Use instead
    ```python
    context = ssl.create_default_context()
    urllib.request.urlopen(url, context=context)
    ```

    ## Differences from bandit
    - The module must be imported in the file: a local object that happens to carry the
      module's name is not the library.
    """
    name = _CALLS.match(node, ctx)
    if name is None:
        return
    yield Issue(node, f"{name} disables certificate and host name verification")
