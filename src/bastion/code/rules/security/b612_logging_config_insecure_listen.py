"""B612: `logging.config.listen()` without a `verify` function."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.findings import Confidence, Severity


@rule(
    "B612",
    "logging_config_insecure_listen",
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    nodes=(ast.Call,),
    cwe=94,
    calls=("logging.config.listen",),
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """`logging.config.listen` without verification.

    ## What it does
    Finds `logging.config.listen()` calls that do not pass a `verify` callable.

    ## Why is this bad?
    The listener accepts logging configurations from a socket and applies them. A
    configuration can name classes and callables to instantiate, so anyone who can reach
    the port can run code in the process.

    ## Example
    ```python
    thread = logging.config.listen(9030)
    ```

    ## Use instead
    ```python
    thread = logging.config.listen(9030, verify=check_signature)  # reject unsigned configs
    ```

    ## Differences from bandit
    - `verify=None` (the default, spelled out) and a `verify` passed by position are
      treated as what they are: no verification, and verification.
    """
    if ctx.call_tail(node) != "listen" or ctx.call_name(node) != "logging.config.listen":
        return
    verify = ctx.argument(node, 1, "verify")
    if verify is None or (type(verify) is ast.Constant and verify.value is None):
        yield Issue(node, "logging.config.listen without verify: configurations can run code")
