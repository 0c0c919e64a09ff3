"""B304: a broken or weak block or stream cipher."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.calls import CallBlacklist
from bastion.findings import Confidence, Severity

_CALLS = CallBlacklist.of(
    (
        "Crypto.Cipher.ARC2.new",
        "Crypto.Cipher.ARC4.new",
        "Crypto.Cipher.Blowfish.new",
        "Crypto.Cipher.DES.new",
        "Crypto.Cipher.XOR.new",
        "Cryptodome.Cipher.ARC2.new",
        "Cryptodome.Cipher.ARC4.new",
        "Cryptodome.Cipher.Blowfish.new",
        "Cryptodome.Cipher.DES.new",
        "Cryptodome.Cipher.XOR.new",
        "cryptography.hazmat.primitives.ciphers.algorithms.ARC4",
        "cryptography.hazmat.primitives.ciphers.algorithms.Blowfish",
        "cryptography.hazmat.primitives.ciphers.algorithms.CAST5",
        "cryptography.hazmat.primitives.ciphers.algorithms.IDEA",
        "cryptography.hazmat.primitives.ciphers.algorithms.SEED",
        "cryptography.hazmat.primitives.ciphers.algorithms.TripleDES",
    )
)


@rule(
    "B304",
    "ciphers",
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    nodes=(ast.Call,),
    calls=tuple(_CALLS.names),
    cwe=327,
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Use of an insecure cipher (DES, 3DES, RC2, RC4, Blowfish, IDEA, CAST5, SEED, XOR).

    ## What it does
    Finds ciphers created through PyCrypto/PyCryptodome (`ARC2`, `ARC4`, `Blowfish`, `DES`,
    `XOR`) or `cryptography` (`ARC4`, `Blowfish`, `CAST5`, `IDEA`, `SEED`, `TripleDES`).

    ## Why is this bad?
    These ciphers have short keys, 64-bit blocks (open to Sweet32-style birthday attacks) or
    known biases (RC4); XOR is no cipher at all. Data they protect can be recovered.

    ## Example
    ```python
    cipher = DES.new(key, DES.MODE_CBC, iv)
    ```

    ## Use instead
    ```python
    cipher = AES.new(key, AES.MODE_GCM)
    ```

    ## Differences from bandit
    - The module must be imported in the file: a local object that happens to carry the
      module's name is not the library.
    """
    name = _CALLS.match(node, ctx)
    if name is None:
        return
    yield Issue(node, f"{name} is an insecure cipher; use AES (GCM) or ChaCha20-Poly1305")
