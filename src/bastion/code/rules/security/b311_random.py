"""B311: the `random` module's generator, which is predictable."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.calls import CallBlacklist
from bastion.findings import Confidence, Severity

_CALLS = CallBlacklist.of(
    (
        "random.Random",
        "random.random",
        "random.randrange",
        "random.randint",
        "random.choice",
        "random.choices",
        "random.uniform",
        "random.triangular",
        "random.randbytes",
        "random.sample",
        "random.getrandbits",
    )
)


@rule(
    "B311",
    "random",
    severity=Severity.LOW,
    confidence=Confidence.HIGH,
    nodes=(ast.Call,),
    calls=tuple(_CALLS.names),
    cwe=330,
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Use of the `random` module, whose numbers are predictable.

    ## What it does
    Finds calls to the `random` module's functions and `random.Random`.

    ## Why is this bad?
    `random` is a Mersenne Twister: after seeing enough outputs anyone can predict the next
    ones. Tokens, passwords, nonces or session IDs drawn from it can be guessed.

    ## Example
    ```python
    reset_token = "".join(random.choices(string.ascii_letters, k=32))
    ```

    ## Use instead
    ```python
    reset_token = secrets.token_urlsafe(32)
    ```

    ## Differences from bandit
    - The module must be imported in the file: a local object that happens to be called
      `random` (say, a seeded generator) is not reported.
    """
    name = _CALLS.match(node, ctx)
    if name is None:
        return
    yield Issue(node, f"{name} is not suitable for security: use the secrets module")
