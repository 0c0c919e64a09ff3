"""B103: `chmod` with a mode that lets group or others write or execute."""

from __future__ import annotations

import ast
import stat
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.findings import Confidence, Severity

# `stat.S_IRWXU` and friends, so `stat.S_IRWXU | stat.S_IWOTH` evaluates like `0o702`.
_STAT_CONSTANTS = {
    f"stat.{name}": value
    for name, value in vars(stat).items()
    if name.startswith("S_I") and type(value) is int
}
_RISKY_BITS = stat.S_IWOTH | stat.S_IWGRP | stat.S_IXGRP | stat.S_IXOTH
_MAX_DEPTH = 32
_CHMOD_NAMES = frozenset({"chmod", "fchmod", "lchmod"})


def _mode_value(node: ast.expr, ctx: FileContext, depth: int = 0) -> int | None:
    """The integer a mode expression evaluates to, from literals and `stat` constants."""
    if isinstance(node, ast.Constant):
        return node.value if type(node.value) is int else None
    if isinstance(node, ast.BinOp) and depth < _MAX_DEPTH:
        op = type(node.op)
        if op is not ast.BitOr and op is not ast.Add:
            return None
        left = _mode_value(node.left, ctx, depth + 1)
        right = _mode_value(node.right, ctx, depth + 1)
        if left is None or right is None:
            return None
        return left | right if op is ast.BitOr else left + right
    if isinstance(node, ast.Attribute | ast.Name):
        name = ctx.qualname(node)
        return _STAT_CONSTANTS.get(name) if name else None
    return None


def _mode_argument(node: ast.Call, ctx: FileContext) -> ast.expr | None:
    """The mode passed: `os.chmod(path, mode)`, `sftp.chmod(path, mode)` or `path.chmod(mode)`."""
    mode = ctx.keyword(node, "mode")
    if mode is not None:
        return mode
    args = node.args
    if any(type(a) is ast.Starred for a in args):
        return None
    if len(args) == 2:
        return args[1]
    if len(args) == 1 and type(node.func) is ast.Attribute:
        name = ctx.call_name(node)
        if name is None or not name.startswith("os."):
            return args[0]
    return None


@rule(
    "B103",
    "set_bad_file_permissions",
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    nodes=(ast.Call,),
    calls=tuple(_CHMOD_NAMES),
    cwe=732,
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """`chmod` with a permissive mode: group/other may write, or execute.

    ## What it does
    Finds calls to `chmod`-like functions (`os.chmod`, `os.fchmod`, `os.lchmod`,
    `Path.chmod`, `SFTPClient.chmod`, ...) whose mode, a literal or `stat` constants, grants
    write or execute permission to the group or to everyone. A world-writable mode is HIGH
    severity, the others MEDIUM.

    ## Why is this bad?
    A file that others can write can be replaced or altered by any local user: a script or
    configuration file becomes a way to run code as its owner. Group or world execute rights
    on files that should not be run widen the same door.

    ## Example
    ```python
    os.chmod("/etc/myapp/config.ini", 0o777)
    ```

    ## Use instead
    ```python
    os.chmod("/etc/myapp/config.ini", 0o600)
    ```

    ## Differences from bandit
    - bastion understands modes built from `stat` constants (`stat.S_IRWXU | stat.S_IWOTH`),
      the `mode=` keyword and the one-argument method form `path.chmod(0o777)`; bandit only
      reads an integer literal passed as the second positional argument.
    - Only functions named `chmod`, `fchmod` or `lchmod` count; bandit takes any function
      whose name contains `chmod` (`my_chmod_helper(path, 0o777)`).
    """
    if ctx.call_tail(node) not in _CHMOD_NAMES:
        return
    mode_node = _mode_argument(node, ctx)
    if mode_node is None:
        return
    mode = _mode_value(mode_node, ctx)
    if mode is None or not mode & _RISKY_BITS:
        return
    if mode & stat.S_IWOTH:
        yield Issue(
            node, f"chmod makes a file world-writable (mode {oct(mode)})", severity=Severity.HIGH
        )
    else:
        yield Issue(node, f"chmod gives group/other write or execute rights (mode {oct(mode)})")
