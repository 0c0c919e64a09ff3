"""B101: an `assert` statement."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.findings import Confidence, Severity


@rule(
    "B101",
    "assert_used",
    severity=Severity.LOW,
    confidence=Confidence.HIGH,
    nodes=(ast.Assert,),
    cwe=703,
)
def check(node: ast.Assert, ctx: FileContext) -> Iterator[Issue]:
    """Use of `assert`, which disappears when Python runs with `-O`.

    ## What it does
    Finds `assert` statements.

    ## Why is this bad?
    The interpreter drops every `assert` when it runs with optimisation (`python -O`, or
    `PYTHONOPTIMIZE` set). A permission check or input validation written as an `assert` then
    silently stops happening in production.

    Asserts in tests are fine: skip this rule for test paths in `[tool.bastion.scan]`.

    ## Example
    ```python
    def delete_user(user, target):
        assert user.is_admin, "admins only"
        target.delete()
    ```

    ## Use instead
    ```python
    def delete_user(user, target):
        if not user.is_admin:
            raise PermissionError("admins only")
        target.delete()
    ```
    """
    yield Issue(node, "assert statement is removed when Python runs with -O")
