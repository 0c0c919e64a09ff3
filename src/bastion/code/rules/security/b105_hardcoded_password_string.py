"""B105: a string literal assigned to, or compared with, a name that looks like a password."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.ast_helpers import string_value
from bastion.code.rules.passwords import looks_like_password
from bastion.findings import Confidence, Severity


def _secret_name(target: ast.expr) -> str | None:
    """The password-like name a target or operand carries (`password`, `self.db_password`)."""
    if isinstance(target, ast.Name):
        name: str | None = target.id
    elif isinstance(target, ast.Attribute):
        name = target.attr
    elif isinstance(target, ast.Subscript):
        name = string_value(target.slice)
    else:
        return None
    return name if name and looks_like_password(name) else None


def _issue(value: ast.expr, name: str) -> Issue:
    return Issue(value, f"possible hardcoded password in {name!r}")


@rule(
    "B105",
    "hardcoded_password_string",
    severity=Severity.LOW,
    confidence=Confidence.MEDIUM,
    nodes=(ast.Assign, ast.AnnAssign, ast.Dict, ast.Compare),
    cwe=259,
)
def check(
    node: ast.Assign | ast.AnnAssign | ast.Dict | ast.Compare, ctx: FileContext
) -> Iterator[Issue]:
    """Possible hardcoded password: a string given to a password-like name.

    ## What it does
    Finds non-empty string literals that are assigned to a variable, attribute or subscript
    key, used as the value of a dict key, or compared with a name, where the name looks like
    a secret: one of its `_`-separated parts is `password` (or `passwd`, `pass`,
    `passphrase`, `pwd`), `token` or `secret`.

    ## Why is this bad?
    A secret written into source code is shared with everyone who can read the repository,
    its history, its packages and its logs, and it cannot be rotated without a release.

    ## Example
    ```python
    DB_PASSWORD = "hunter2"
    if password == "letmein":
        grant_access()
    ```

    ## Use instead
    ```python
    DB_PASSWORD = os.environ["DB_PASSWORD"]
    if hmac.compare_digest(hash_password(password), stored_hash):
        grant_access()
    ```

    ## Differences from bandit
    - The empty string is a placeholder, not a secret: bastion does not report it.
    - A dict value must be a string (bandit also reports `{"password": None}`).
    - Annotated assignments (`password: str = "x"`) and equality tests written the other way
      round (`"x" == password`, not `"x" in password`) are reported too; bandit misses them.
    """
    if isinstance(node, ast.Assign):
        if not string_value(node.value):
            return
        for target in node.targets:
            name = _secret_name(target)
            if name:
                yield _issue(node.value, name)
                return
    elif isinstance(node, ast.AnnAssign):
        if node.value is not None and string_value(node.value):
            name = _secret_name(node.target)
            if name:
                yield _issue(node.value, name)
    elif isinstance(node, ast.Dict):
        for key, item in zip(node.keys, node.values, strict=True):
            name = string_value(key)
            if name and string_value(item) and looks_like_password(name):
                yield _issue(item, name)
    else:
        left, right = node.left, node.comparators[0]
        if string_value(right):
            if type(left) is not ast.Subscript and (name := _secret_name(left)):
                yield _issue(right, name)
        elif (
            string_value(left)
            and type(right) is not ast.Subscript
            and type(node.ops[0]) in (ast.Eq, ast.NotEq)  # `"://" in token` is no password
        ):
            name = _secret_name(right)
            if name:
                yield _issue(left, name)
