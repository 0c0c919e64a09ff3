"""B302: deserialization with `marshal`."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.ast_helpers import data_argument
from bastion.code.rules.calls import CallBlacklist, sink_issue
from bastion.findings import Confidence, Severity

_CALLS = CallBlacklist.of(
    (
        "marshal.load",
        "marshal.loads",
    )
)
# The argument is the serialized data itself (not a file name or stream).
_TAKES_DATA = frozenset(("marshal.loads",))
_DATA_KEYWORDS = ("bytes", "file")


@rule(
    "B302",
    "marshal",
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    nodes=(ast.Call,),
    calls=tuple(_CALLS.names),
    cwe=502,
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Deserialization with `marshal`, which is not safe for untrusted data.

    ## What it does
    Finds calls to `marshal.load` and `marshal.loads`.

    ## Why is this bad?
    `marshal` is Python's internal format for code objects. Its reader is not hardened
    against malformed or malicious input, and what it returns may be code that the program
    later runs. The documentation says never to unmarshal untrusted data.

    ## Example
    ```python
    config = marshal.loads(blob_from_network)
    ```

    ## Use instead
    ```python
    config = json.loads(blob_from_network)
    ```

    ## Differences from bandit
    - When the argument is the serialized data itself and only constants reach it, bastion
      reports LOW severity instead of MEDIUM.
    - The module must be imported in the file: a local object that happens to be called
      `marshal` is not the library.
    """
    name = _CALLS.match(node, ctx)
    if name is None:
        return
    data = data_argument(node, *_DATA_KEYWORDS)
    yield sink_issue(
        node,
        ctx,
        data,
        f"{name} must not read data from outside the program",
        literal_data=name in _TAKES_DATA,
    )
