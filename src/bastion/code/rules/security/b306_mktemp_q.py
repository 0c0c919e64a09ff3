"""B306: `tempfile.mktemp`, which returns a name another process can take first."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.calls import CallBlacklist
from bastion.findings import Confidence, Severity

_CALLS = CallBlacklist.of(("tempfile.mktemp",))


@rule(
    "B306",
    "mktemp_q",
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    nodes=(ast.Call,),
    calls=tuple(_CALLS.names),
    cwe=377,
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Use of `tempfile.mktemp`, which is open to a race on the file name.

    ## What it does
    Finds calls to `tempfile.mktemp`.

    ## Why is this bad?
    `mktemp` only returns a name that did not exist a moment ago. Between that moment and
    the program creating the file, another user can create it, or a symlink with that name,
    and the program then writes where the attacker wants. The function is deprecated for
    this reason.

    ## Example
    ```python
    path = tempfile.mktemp()
    with open(path, "w") as out:
        out.write(data)
    ```

    ## Use instead
    ```python
    with tempfile.NamedTemporaryFile("w", delete=False) as out:
        out.write(data)
    ```

    ## Differences from bandit
    - The module must be imported in the file: a local object that happens to carry the
      module's name is not the library.
    """
    name = _CALLS.match(node, ctx)
    if name is None:
        return
    yield Issue(node, f"{name} returns a name that another process can create first")
