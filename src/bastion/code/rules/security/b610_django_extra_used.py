"""B610: Django `QuerySet.extra()` given SQL that is not a literal."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.ast_helpers import argument_or_unpacked
from bastion.findings import Confidence, Severity

# extra(select=None, where=None, params=None, tables=None, order_by=None, select_params=None)
_POSITIONS = {"select": 0, "where": 1, "tables": 3}
_SQL_KEYWORDS = frozenset(_POSITIONS)


def _sql_argument(node: ast.Call, ctx: FileContext) -> ast.expr | None:
    """The first `select`, `where` or `tables` argument whose SQL is not all literals."""
    for name in ("where", "tables", "select"):
        value = argument_or_unpacked(node, _POSITIONS[name], name)
        if value is None:
            continue
        if name == "select":
            if not isinstance(value, ast.Dict):
                return value
            parts: list[ast.expr] = [*filter(None, value.keys), *value.values]
        elif isinstance(value, ast.List | ast.Tuple):
            parts = list(value.elts)
        else:
            return value
        for part in parts:
            if not ctx.is_constant(part):
                return part
    return None


@rule(
    "B610",
    "django_extra_used",
    severity=Severity.MEDIUM,
    confidence=Confidence.MEDIUM,
    nodes=(ast.Call,),
    cwe=89,
    calls=("django.db.models.QuerySet.extra",),
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Django `extra()` with SQL that is not a literal.

    ## What it does
    Finds `.extra(...)` calls whose `select`, `where` or `tables` SQL fragments are not all
    string literals.

    ## Why is this bad?
    `extra()` pastes its fragments into the query as written. Outside data in them is SQL
    injection; only `params` and `select_params` are escaped. Django keeps the method only
    as a last resort and means to deprecate it.

    ## Example
    ```python
    Entry.objects.extra(where=[f"headline = '{headline}'"])
    ```

    ## Use instead
    ```python
    Entry.objects.filter(headline=headline)  # or extra(where=["headline = %s"], params=[headline])
    ```

    ## Differences from bandit
    - Fragments made only of literals (`"a" + "b"`, tuples of strings) are not reported.
    - A call that passes its SQL only by position is reported only in files that import
      Django: `.extra(x)` is a common method name, while `where=`/`tables=`/`select=`
      keywords are distinctive enough on their own.
    """
    func = node.func
    if type(func) is not ast.Attribute or func.attr != "extra":
        return
    if not any(kw.arg in _SQL_KEYWORDS for kw in node.keywords) and (
        not node.args or not ctx.imports_module("django")
    ):
        return
    fragment = _sql_argument(node, ctx)
    if fragment is not None:
        yield Issue(
            node, "QuerySet.extra() with SQL built from non-literals", taint=ctx.taint(fragment)
        )
