"""B505: an RSA, DSA or elliptic-curve key generated too small to resist attack."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.findings import Confidence, Severity

_ASYMMETRIC = "cryptography.hazmat.primitives.asymmetric"
# qualified name -> (key type, position of the size or curve argument, its keyword)
_GENERATORS = {
    f"{_ASYMMETRIC}.dsa.generate_private_key": ("DSA", 0, "key_size"),
    f"{_ASYMMETRIC}.rsa.generate_private_key": ("RSA", 1, "key_size"),
    f"{_ASYMMETRIC}.ec.generate_private_key": ("EC", 0, "curve"),
    "Crypto.PublicKey.DSA.generate": ("DSA", 0, "bits"),
    "Crypto.PublicKey.RSA.generate": ("RSA", 0, "bits"),
    "Cryptodome.PublicKey.DSA.generate": ("DSA", 0, "bits"),
    "Cryptodome.PublicKey.RSA.generate": ("RSA", 0, "bits"),
}
_TAILS = frozenset({"generate_private_key", "generate"})
# key type -> (below this many bits: HIGH, below this many: MEDIUM)
_THRESHOLDS = {"DSA": (1024, 2048), "RSA": (1024, 2048), "EC": (160, 224)}
_CURVE_BITS = {
    "SECT571K1": 571,
    "SECT571R1": 570,
    "SECP521R1": 521,
    "BrainpoolP512R1": 512,
    "SECT409K1": 409,
    "SECT409R1": 409,
    "BrainpoolP384R1": 384,
    "SECP384R1": 384,
    "SECT283K1": 283,
    "SECT283R1": 283,
    "BrainpoolP256R1": 256,
    "SECP256K1": 256,
    "SECP256R1": 256,
    "SECT233K1": 233,
    "SECT233R1": 233,
    "SECP224R1": 224,
    "SECP192R1": 192,
    "SECT163K1": 163,
    "SECT163R2": 163,
}


@rule(
    "B505",
    "weak_cryptographic_key",
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    nodes=(ast.Call,),
    cwe=326,
    calls=tuple(_GENERATORS),
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Asymmetric key generated with too few bits.

    ## What it does
    Finds RSA and DSA keys generated with `cryptography`, PyCrypto or PyCryptodome with a
    literal size under 2048 bits, and elliptic-curve keys on curves under 224 bits. Sizes
    under 1024 bits (160 for curves) are HIGH severity, the rest MEDIUM.

    ## Why is this bad?
    Keys this small can be factored or their discrete logarithms computed with public tools
    and rented hardware, which lets an attacker forge signatures or decrypt traffic.

    ## Example
    ```python
    key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    ```

    ## Use instead
    ```python
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    ```

    ## Differences from bandit
    - A curve passed as an instance (`ec.SECP192R1()`, the form `cryptography` expects) is
      recognised; bandit only recognises the class itself.
    """
    if ctx.call_tail(node) not in _TAILS:
        return
    generator = _GENERATORS.get(ctx.call_name(node) or "")
    if generator is None:
        return
    kind, position, keyword = generator
    argument = ctx.argument(node, position, keyword)
    if argument is None:
        return
    if kind == "EC":
        curve = ctx.value_tail(argument.func if type(argument) is ast.Call else argument)
        bits = _CURVE_BITS.get(curve or "")
    elif type(argument) is ast.Constant and type(argument.value) is int:
        bits = argument.value
    else:
        bits = None
    if bits is None:
        return
    high, medium = _THRESHOLDS[kind]
    if bits < high:
        yield Issue(node, f"{kind} key of {bits} bits is breakable, use at least {medium}")
    elif bits < medium:
        yield Issue(
            node,
            f"{kind} key of {bits} bits is too weak, use at least {medium}",
            severity=Severity.MEDIUM,
        )
