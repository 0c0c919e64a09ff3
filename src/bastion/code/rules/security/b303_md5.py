"""B303: MD2, MD4, MD5 or SHA-1 through PyCryptodome or `cryptography`."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.calls import CallBlacklist
from bastion.findings import Confidence, Severity

_CALLS = CallBlacklist.of(
    (
        "Crypto.Hash.MD2.new",
        "Crypto.Hash.MD4.new",
        "Crypto.Hash.MD5.new",
        "Crypto.Hash.SHA.new",
        "Cryptodome.Hash.MD2.new",
        "Cryptodome.Hash.MD4.new",
        "Cryptodome.Hash.MD5.new",
        "Cryptodome.Hash.SHA.new",
        "cryptography.hazmat.primitives.hashes.MD5",
        "cryptography.hazmat.primitives.hashes.SHA1",
    )
)


@rule(
    "B303",
    "md5",
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    nodes=(ast.Call,),
    calls=tuple(_CALLS.names),
    cwe=327,
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Use of a broken hash function (MD2, MD4, MD5, SHA-1) from a crypto library.

    ## What it does
    Finds MD2, MD4, MD5 and SHA-1 objects created through PyCrypto/PyCryptodome
    (`Crypto.Hash.MD5.new()`, `Cryptodome.Hash.SHA.new()`) or `cryptography`
    (`hashes.MD5()`, `hashes.SHA1()`). `hashlib` is rule B324.

    ## Why is this bad?
    Collisions for MD5 and SHA-1 can be computed cheaply, and MD2/MD4 are weaker still.
    Signatures, integrity checks and password hashes built on them can be forged.

    ## Example
    ```python
    digest = hashes.Hash(hashes.MD5())
    ```

    ## Use instead
    ```python
    digest = hashes.Hash(hashes.SHA256())
    ```

    ## Differences from bandit
    - The module must be imported in the file: a local object that happens to carry the
      module's name is not the library.
    """
    name = _CALLS.match(node, ctx)
    if name is None:
        return
    yield Issue(node, f"{name} is a broken hash function")
