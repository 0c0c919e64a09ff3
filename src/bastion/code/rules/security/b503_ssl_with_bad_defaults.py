"""B503: a function whose parameter defaults to an insecure SSL/TLS protocol version."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.tls import BAD_TLS_PROTOCOLS
from bastion.findings import Confidence, Severity


@rule(
    "B503",
    "ssl_with_bad_defaults",
    severity=Severity.MEDIUM,
    confidence=Confidence.MEDIUM,
    nodes=(ast.FunctionDef, ast.AsyncFunctionDef),
    cwe=327,
)
def check(node: ast.FunctionDef | ast.AsyncFunctionDef, ctx: FileContext) -> Iterator[Issue]:
    """Function parameter defaulting to an insecure SSL/TLS protocol version.

    ## What it does
    Finds function definitions with a parameter whose default is an SSLv2, SSLv3, TLS 1.0
    or TLS 1.1 protocol constant (`ssl.PROTOCOL_TLSv1`, `SSL.SSLv3_METHOD`, ...).

    ## Why is this bad?
    Every caller that does not pass the argument gets a protocol version with practical
    attacks (DROWN, POODLE, BEAST), usually without noticing.

    ## Example
    ```python
    def connect(host, version=ssl.PROTOCOL_TLSv1):
        ...
    ```

    ## Use instead
    ```python
    def connect(host, minimum=ssl.TLSVersion.TLSv1_2):
        ...
    ```

    ## Differences from bandit
    - Keyword-only parameters and `async def` are checked too, and a bare name
      (`from ssl import PROTOCOL_TLSv1`) counts like an attribute.
    - The finding points at the default value rather than the `def` line.
    """
    args = node.args
    for default in (*args.defaults, *args.kw_defaults):
        if default is None or type(default) not in (ast.Attribute, ast.Name):
            continue
        protocol = ctx.value_tail(default)
        if protocol in BAD_TLS_PROTOCOLS:
            yield Issue(default, f"function {node.name} defaults to insecure protocol {protocol}")
            return
