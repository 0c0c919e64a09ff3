"""B113: an HTTP request through `requests` or `httpx` that may wait forever."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.ast_helpers import has_double_star, root_name
from bastion.findings import Confidence, Severity

_REQUESTS_CALLS = frozenset({"get", "options", "head", "post", "put", "patch", "delete", "request"})
_HTTPX_CALLS = _REQUESTS_CALLS | {"stream", "Client", "AsyncClient"}


def _resolves_through_import(node: ast.Call, ctx: FileContext) -> bool:
    func = node.func
    if type(func) is ast.Name:
        return func.id in ctx.aliases
    root = root_name(func)
    return root is not None and ctx.is_imported(root)


@rule(
    "B113",
    "request_without_timeout",
    severity=Severity.MEDIUM,
    confidence=Confidence.LOW,
    nodes=(ast.Call,),
    calls=tuple(_HTTPX_CALLS),
    cwe=400,
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """HTTP request without a timeout, which can hang forever.

    ## What it does
    Finds `requests.get/post/put/patch/delete/head/options/request` calls that pass no
    `timeout`, and `requests` or `httpx` calls (including `httpx.Client` and
    `httpx.AsyncClient`) that pass `timeout=None`.

    ## Why is this bad?
    `requests` waits for a response without limit unless told otherwise. A slow or malicious
    server, or a dropped connection, holds the worker forever; enough of them and the
    service stops answering (denial of service). `httpx` has a default timeout, which
    `timeout=None` switches off.

    ## Example
    ```python
    response = requests.get(url)
    ```

    ## Use instead
    ```python
    response = requests.get(url, timeout=10)
    ```

    ## Differences from bandit
    - `requests.request(method, url)` is checked like the verb functions; bandit skips it.
    - A call that passes `**kwargs` may carry the timeout in them, so a missing `timeout=` is
      not reported there; bandit reports it.
    - The module must be imported in the file: a local object that happens to be called
      `requests` is not the library.
    """
    tail = ctx.call_tail(node)
    if tail not in _HTTPX_CALLS:
        return
    name = ctx.call_name(node)
    if name is None:
        return
    library = name.partition(".")[0]
    if library == "requests":
        if tail not in _REQUESTS_CALLS:
            return
    elif library != "httpx":
        return
    if not _resolves_through_import(node, ctx):
        return
    timeout = ctx.keyword(node, "timeout")
    if timeout is None:
        if library == "requests" and not has_double_star(node):
            yield Issue(node, f"{name} called without a timeout")
    elif type(timeout) is ast.Constant and timeout.value is None:
        yield Issue(node, f"{name} called with timeout=None")
