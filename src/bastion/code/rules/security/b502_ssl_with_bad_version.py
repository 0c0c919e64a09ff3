"""B502: an SSL/TLS context or socket created for SSLv2, SSLv3, TLS 1.0 or TLS 1.1."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.tls import BAD_TLS_PROTOCOLS
from bastion.findings import Confidence, Severity

# Functions whose protocol argument we know, by qualified name: (position, keyword).
_PROTOCOL_ARGUMENT = {
    "ssl.wrap_socket": (5, "ssl_version"),
    "ssl.SSLContext": (0, "protocol"),
    "OpenSSL.SSL.Context": (0, "method"),
    "pyOpenSSL.SSL.Context": (0, "method"),
}
_KNOWN_TAILS = frozenset(name.rpartition(".")[2] for name in _PROTOCOL_ARGUMENT)
_PROTOCOL_KEYWORDS = ("method", "ssl_version")


@rule(
    "B502",
    "ssl_with_bad_version",
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    nodes=(ast.Call,),
    calls=tuple(_PROTOCOL_ARGUMENT),
    keywords=_PROTOCOL_KEYWORDS,
    cwe=327,
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Use of an insecure SSL/TLS protocol version.

    ## What it does
    Finds `ssl.wrap_socket`, `ssl.SSLContext` and pyOpenSSL's `SSL.Context` created for
    SSLv2, SSLv3, TLS 1.0 or TLS 1.1 (`ssl.PROTOCOL_TLSv1`, `SSL.SSLv3_METHOD`, ...), and,
    with MEDIUM severity, any other call that passes such a constant as `method=` or
    `ssl_version=`.

    ## Why is this bad?
    These protocol versions have practical attacks (DROWN, POODLE, BEAST) and are disabled
    by current servers and clients. Pinning one weakens or breaks the connection.

    ## Example
    ```python
    context = ssl.SSLContext(ssl.PROTOCOL_TLSv1)
    ```

    ## Use instead
    ```python
    context = ssl.create_default_context()
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    ```

    ## Differences from bandit
    - `ssl.SSLContext(protocol)` is covered, and the protocol is also read when passed by
      position (`SSL.Context(SSL.SSLv3_METHOD)`); bandit only looks at keywords.
    - pyOpenSSL's context is recognised under its real module name, `OpenSSL.SSL.Context`,
      with HIGH severity.
    """
    tail = ctx.call_tail(node)
    if tail in _KNOWN_TAILS:
        qualname = ctx.call_name(node)
        where = _PROTOCOL_ARGUMENT.get(qualname or "")
        if where is not None:
            protocol = ctx.value_tail(ctx.argument(node, *where))
            if protocol in BAD_TLS_PROTOCOLS:
                yield Issue(node, f"{qualname} with insecure protocol version {protocol}")
            return
    for kw in node.keywords:
        if kw.arg in _PROTOCOL_KEYWORDS:
            protocol = ctx.value_tail(kw.value)
            if protocol in BAD_TLS_PROTOCOLS:
                yield Issue(
                    node,
                    f"call with insecure SSL/TLS protocol version {protocol}",
                    severity=Severity.MEDIUM,
                    confidence=Confidence.MEDIUM,
                )
                return
