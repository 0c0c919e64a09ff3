"""B324: MD4, MD5 or SHA-1 from `hashlib`, or a weak `crypt` method, used for security."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.ast_helpers import root_name, string_value
from bastion.findings import Confidence, Severity

_WEAK_HASHES = frozenset({"md4", "md5", "sha", "sha1"})
_WEAK_CRYPT_METHODS = frozenset({"crypt.METHOD_CRYPT", "crypt.METHOD_MD5", "crypt.METHOD_BLOWFISH"})
_TAILS = _WEAK_HASHES | {"new", "crypt", "mksalt"}


def _imported(node: ast.Call, ctx: FileContext) -> bool:
    func = node.func
    if type(func) is ast.Name:
        return func.id in ctx.aliases
    root = root_name(func)
    return root is not None and ctx.is_imported(root)


def _for_security(node: ast.Call, ctx: FileContext) -> bool:
    """False only when the call says `usedforsecurity=False` (a literal), as bandit decides."""
    flag = ctx.keyword(node, "usedforsecurity")
    return flag is None or (type(flag) is ast.Constant and flag.value is True)


def _weak_method(value: ast.expr | None, ctx: FileContext) -> str | None:
    if value is None:
        return None
    name = ctx.qualname(value)
    return name if name in _WEAK_CRYPT_METHODS else None


@rule(
    "B324",
    "hashlib",
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    nodes=(ast.Call,),
    calls=tuple(_TAILS),
    cwe=327,
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Use of a weak hash (MD4, MD5, SHA-1) for security, or a weak `crypt` method.

    ## What it does
    Finds `hashlib.md4/md5/sha1()` and `hashlib.new("md5")`-style calls (HIGH severity)
    unless they pass `usedforsecurity=False`, and `crypt.crypt`/`crypt.mksalt` with
    `METHOD_CRYPT`, `METHOD_MD5` or `METHOD_BLOWFISH` (MEDIUM severity).

    ## Why is this bad?
    Collisions for MD5 and SHA-1 can be computed cheaply, so signatures, integrity checks,
    tokens and password hashes built on them can be forged. Where the hash is not a security
    control (a cache key, a checksum against accidents), `usedforsecurity=False` says so and
    keeps the code working on FIPS systems.

    ## Example
    ```python
    token_hash = hashlib.md5(token.encode()).hexdigest()
    ```

    ## Use instead
    ```python
    token_hash = hashlib.sha256(token.encode()).hexdigest()
    cache_key = hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()  # not security
    ```

    ## Differences from bandit
    - `crypt` methods must be the `crypt` module's constants (`crypt.METHOD_MD5`); bandit
      matches any attribute or string called `METHOD_MD5`.
    - The module must be imported in the file: a local object that happens to carry the
      module's name is not the library.
    """
    tail = ctx.call_tail(node)
    if tail not in _TAILS:
        return
    name = ctx.call_name(node)
    if name is None or not _imported(node, ctx):
        return
    if name == f"hashlib.{tail}":
        if tail == "new":
            algorithm = string_value(ctx.argument(node, 0, "name"))
            if algorithm is None or algorithm.lower() not in _WEAK_HASHES:
                return
        elif tail in ("crypt", "mksalt"):
            return
        else:
            algorithm = tail
        if _for_security(node, ctx):
            yield Issue(
                node,
                f"weak {algorithm.upper()} hash used for security: pick SHA-256 or better, "
                "or pass usedforsecurity=False",
            )
    elif name in ("crypt.crypt", "crypt.mksalt"):
        method = (
            _weak_method(ctx.argument(node, 1, "salt"), ctx)
            if tail == "crypt"
            else _weak_method(ctx.argument(node, 0, "method"), ctx)
        )
        if method:
            yield Issue(
                node,
                f"weak crypt method {method.rpartition('.')[2]}",
                severity=Severity.MEDIUM,
            )
