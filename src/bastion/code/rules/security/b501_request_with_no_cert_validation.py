"""B501: an HTTP request made with `verify=False`, which skips certificate checks."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.findings import Confidence, Severity

_VERBS = frozenset({"get", "options", "head", "post", "put", "patch", "delete", "request"})
_HTTPX_ONLY = frozenset({"stream", "Client", "AsyncClient"})
_TAILS = _VERBS | _HTTPX_ONLY


@rule(
    "B501",
    "request_with_no_cert_validation",
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    nodes=(ast.Call,),
    cwe=295,
    calls=tuple(_TAILS),
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """HTTP request with TLS certificate verification turned off.

    ## What it does
    Finds `requests` and `httpx` calls (`requests.get`, `httpx.Client`, ...) that pass
    `verify=False`, and the same on session or client objects in files that use either
    library.

    ## Why is this bad?
    Without certificate verification, anyone on the network path can impersonate the
    server, read the traffic (credentials and tokens included) and change the responses.

    ## Example
    ```python
    requests.get("https://api.example.net/items", verify=False)
    ```

    ## Use instead
    ```python
    requests.get("https://api.example.net/items")  # or verify="/path/to/ca-bundle.pem"
    ```

    ## Differences from bandit
    - `requests.request(...)` is covered as well as the verb functions.
    - A verb method on any object (`session.get(url, verify=False)`) is reported with
      MEDIUM confidence when the file imports `requests` or `httpx`: sessions and clients are
      the usual way to call them, and bandit, which only resolves module functions, misses
      them.
    """
    tail = ctx.call_tail(node)
    if tail not in _TAILS:
        return
    verify = ctx.keyword(node, "verify")
    if type(verify) is not ast.Constant or verify.value is not False:
        return
    qualname = ctx.call_name(node) or ""
    library = qualname.partition(".")[0]
    if library == "httpx" or (library == "requests" and tail in _VERBS):
        yield Issue(
            node, f"{library} call with verify=False: the server's certificate is not checked"
        )
        return
    if (
        tail in _VERBS
        and type(node.func) is ast.Attribute
        and (ctx.imports_module("requests") or ctx.imports_module("httpx"))
    ):
        yield Issue(
            node,
            "HTTP request with verify=False: the server's certificate is not checked",
            confidence=Confidence.MEDIUM,
        )
