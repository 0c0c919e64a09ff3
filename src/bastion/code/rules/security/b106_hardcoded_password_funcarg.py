"""B106: a string literal passed as a password-like keyword argument."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.passwords import looks_like_password
from bastion.findings import Confidence, Severity


@rule(
    "B106",
    "hardcoded_password_funcarg",
    severity=Severity.LOW,
    confidence=Confidence.MEDIUM,
    nodes=(ast.Call,),
    keywords=("*",),
    cwe=259,
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Possible hardcoded password passed as a keyword argument.

    ## What it does
    Finds calls that pass a non-empty string literal to a keyword argument whose name looks
    like a secret (`password=`, `db_passwd=`, `api_token=`, `secret=`, ...).

    ## Why is this bad?
    A secret written into source code is shared with everyone who can read the repository,
    its history, its packages and its logs, and it cannot be rotated without a release.

    ## Example
    ```python
    conn = psycopg.connect(host="db", user="app", password="hunter2")
    ```

    ## Use instead
    ```python
    conn = psycopg.connect(host="db", user="app", password=os.environ["DB_PASSWORD"])
    ```

    ## Differences from bandit
    - The empty string is a placeholder, not a secret: bastion does not report it.
    """
    for kw in node.keywords:
        value = kw.value
        if (
            type(value) is ast.Constant
            and type(value.value) is str
            and value.value
            and kw.arg is not None
            and looks_like_password(kw.arg)
        ):
            yield Issue(value, f"possible hardcoded password in argument {kw.arg!r}")
            return
