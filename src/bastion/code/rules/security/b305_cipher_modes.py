"""B305: the ECB block cipher mode."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.calls import CallBlacklist
from bastion.findings import Confidence, Severity

_CALLS = CallBlacklist.of(("cryptography.hazmat.primitives.ciphers.modes.ECB",))


@rule(
    "B305",
    "cipher_modes",
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    nodes=(ast.Call,),
    calls=tuple(_CALLS.names),
    cwe=327,
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Use of the ECB cipher mode, which leaks patterns of the plaintext.

    ## What it does
    Finds `cryptography`'s `modes.ECB()`.

    ## Why is this bad?
    ECB encrypts each block on its own, so equal plaintext blocks give equal ciphertext
    blocks: structure and repetitions show through, and blocks can be cut and pasted between
    messages without detection.

    ## Example
    ```python
    cipher = Cipher(algorithms.AES(key), modes.ECB())
    ```

    ## Use instead
    ```python
    cipher = Cipher(algorithms.AES(key), modes.GCM(nonce))
    ```

    ## Differences from bandit
    - The module must be imported in the file: a local object that happens to carry the
      module's name is not the library.
    """
    name = _CALLS.match(node, ctx)
    if name is None:
        return
    yield Issue(node, f"{name}: ECB mode encrypts equal blocks to equal ciphertext")
