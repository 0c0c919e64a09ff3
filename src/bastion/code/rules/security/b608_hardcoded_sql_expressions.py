"""B608: an SQL statement assembled by string formatting or concatenation."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.ast_helpers import string_value
from bastion.findings import Confidence, Severity

# The shapes of the four data statements: a keyword, then the clause that must follow it.
_SQL = re.compile(
    r"\bselect\s.*\bfrom\s|\bdelete\s+from\s|\binsert\s+into\s.*\bvalues[\s(]|\bupdate\s.*\bset\s",
    re.IGNORECASE | re.DOTALL,
)
_KEYWORDS = ("select", "delete", "insert", "update")
_EXECUTE = frozenset({"execute", "executemany"})


def _looks_like_sql(text: str) -> bool:
    lowered = text.lower()
    return any(k in lowered for k in _KEYWORDS) and _SQL.search(text) is not None


def _chain_strings(root: ast.BinOp) -> list[str]:
    """The string literals joined by a chain of binary operators, left to right."""
    strings: list[str] = []
    stack: list[ast.expr] = [root]
    while stack:
        node = stack.pop()
        if type(node) is ast.BinOp:
            stack.append(node.right)
            stack.append(node.left)
        elif type(node) is ast.Constant and type(node.value) is str:
            strings.append(node.value)
    return strings


def _statement(node: ast.expr, ctx: FileContext) -> tuple[str, bool] | None:
    """The literal text of a query being built at `node`, and whether it uses `.replace`."""
    if type(node) is ast.Call:
        func = node.func
        if type(func) is not ast.Attribute or func.attr not in ("format", "replace"):
            return None
        text = string_value(func.value)
        return (text, func.attr == "replace") if text is not None else None
    if type(node) is ast.BinOp:
        if type(ctx.parent) is ast.BinOp:
            return None  # only the root of a chain
        return " ".join(_chain_strings(node)), False
    if type(node) is ast.JoinedStr:
        if type(ctx.parent) is ast.FormattedValue:
            return None  # a format spec
        return "".join(s for s in map(string_value, node.values) if s is not None), False
    return None


def _is_constant(node: ast.expr, ctx: FileContext) -> bool:
    """True when only literals go into the query (for a call: its receiver and arguments)."""
    if isinstance(node, ast.Call):
        return all(ctx.is_constant(a) for a in node.args) and all(
            ctx.is_constant(k.value) for k in node.keywords
        )
    return ctx.is_constant(node)


def _passed_to_execute(ctx: FileContext) -> bool:
    """True when the expression being visited is an argument of an `execute` call."""
    parent = ctx.parent
    if type(parent) is ast.keyword and len(ctx.ancestors) > 1:
        parent = ctx.ancestors[-2]
    return type(parent) is ast.Call and ctx.call_tail(parent) in _EXECUTE


@rule(
    "B608",
    "hardcoded_sql_expressions",
    severity=Severity.MEDIUM,
    confidence=Confidence.LOW,
    nodes=(ast.BinOp, ast.JoinedStr, ast.Call),
    cwe=89,
    calls=("str.format", "str.replace"),
)
def check(node: ast.BinOp | ast.JoinedStr | ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """SQL query built from strings.

    ## What it does
    Finds `SELECT ... FROM`, `INSERT INTO ... VALUES`, `UPDATE ... SET` and `DELETE FROM`
    statements assembled with `+`, `%`, f-strings, `str.format` or `str.replace`.
    Confidence is MEDIUM when the result goes straight into `execute`/`executemany`, LOW
    otherwise.

    ## Why is this bad?
    Values pasted into SQL text can close the literal they sit in and add SQL of their own
    (SQL injection): reading other rows, changing data, sometimes running commands.

    ## Example
    ```python
    cursor.execute(f"SELECT * FROM users WHERE name = '{name}'")
    ```

    ## Use instead
    ```python
    cursor.execute("SELECT * FROM users WHERE name = %s", (name,))
    ```

    ## Differences from bandit
    - A query built only from literals (`"SELECT * FROM " + "users"`) is not reported:
      nothing from outside reaches it.
    - One finding per expression: the literals of a whole `+`/`%` chain are read together,
      where bandit tests each literal with only part of its chain.
    - SQL keywords must start a word, so `"preselect the item from " + x` is not a query.
    """
    found = _statement(node, ctx)
    if found is None:
        return
    text, uses_replace = found
    if not text or not _looks_like_sql(text) or _is_constant(node, ctx):
        return
    confidence = (
        Confidence.MEDIUM if not uses_replace and _passed_to_execute(ctx) else Confidence.LOW
    )
    yield Issue(
        node,
        "SQL query built from strings: use query parameters",
        confidence=confidence,
        taint=ctx.taint(node),
    )
