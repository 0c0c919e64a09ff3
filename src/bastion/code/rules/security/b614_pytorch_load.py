"""B614: `torch.load` without `weights_only=True`, which unpickles arbitrary objects."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.ast_helpers import argument_or_unpacked, is_true
from bastion.findings import Confidence, Severity

_LOADERS = frozenset({"torch.load", "torch.serialization.load"})


@rule(
    "B614",
    "pytorch_load",
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    nodes=(ast.Call,),
    cwe=502,
    calls=tuple(_LOADERS),
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Unsafe PyTorch load.

    ## What it does
    Finds `torch.load` (and `torch.serialization.load`) calls that do not pass
    `weights_only=True`.

    ## Why is this bad?
    A checkpoint is a pickle. Unless loading is restricted to tensors and plain containers
    with `weights_only=True`, a model file from an untrusted source runs arbitrary code when
    loaded. PyTorch 2.6 made `weights_only=True` the default, but code that says nothing
    still depends on the installed version.

    ## Example
    ```python
    state = torch.load(downloaded_checkpoint)
    ```

    ## Use instead
    ```python
    state = torch.load(downloaded_checkpoint, weights_only=True)
    # or safetensors.torch.load_file(...)
    ```

    ## Differences from bandit
    - `from torch import load` is recognised; bandit only follows `import torch`.
    - When `weights_only=` is a variable the confidence is MEDIUM: it may well be true.
    """
    if ctx.call_tail(node) != "load" or ctx.call_name(node) not in _LOADERS:
        return
    weights_only = ctx.keyword(node, "weights_only")
    if is_true(weights_only):
        return
    checkpoint = argument_or_unpacked(node, 0, "f")
    path = ctx.taint(checkpoint) if checkpoint is not None else None
    confidence = (
        Confidence.MEDIUM
        if weights_only is not None and type(weights_only) is not ast.Constant
        else None
    )
    yield Issue(
        node,
        "torch.load without weights_only=True can run code from the checkpoint",
        confidence=confidence,
        taint=path,
    )
