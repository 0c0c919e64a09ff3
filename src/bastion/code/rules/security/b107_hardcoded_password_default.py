"""B107: a string literal as the default of a password-like parameter."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.ast_helpers import string_value
from bastion.code.rules.passwords import looks_like_password
from bastion.findings import Confidence, Severity


@rule(
    "B107",
    "hardcoded_password_default",
    severity=Severity.LOW,
    confidence=Confidence.MEDIUM,
    nodes=(ast.FunctionDef, ast.AsyncFunctionDef),
    cwe=259,
)
def check(node: ast.FunctionDef | ast.AsyncFunctionDef, ctx: FileContext) -> Iterator[Issue]:
    """Possible hardcoded password as a parameter default.

    ## What it does
    Finds function parameters whose name looks like a secret (`password`, `api_token`,
    `secret`, ...) and whose default value is a non-empty string literal.

    ## Why is this bad?
    Every caller that leaves the argument out uses the built-in secret, which is shared with
    everyone who can read the code and cannot be rotated without a release.

    ## Example
    ```python
    def connect(host, user="app", password="hunter2"):
        ...
    ```

    ## Use instead
    ```python
    def connect(host, user="app", password=None):
        password = password or os.environ["DB_PASSWORD"]
        ...
    ```

    ## Differences from bandit
    - The empty string is a placeholder, not a secret: bastion does not report it.
    - Keyword-only parameters and `async def` functions are checked too; bandit skips them.
    - Each matching parameter is reported at its default value; bandit reports the first one
      only, at the `def` line.
    """
    args = node.args
    if not args.defaults and not args.kw_defaults:
        return
    positional = [*args.posonlyargs, *args.args]
    pairs = list(
        zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=True)
    )
    pairs.extend(
        (arg, default)
        for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True)
        if default is not None
    )
    for arg, default in pairs:
        if string_value(default) and looks_like_password(arg.arg):
            yield Issue(default, f"possible hardcoded password as default of {arg.arg!r}")
