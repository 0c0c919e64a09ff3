"""B611: Django `RawSQL` given SQL that is not a literal."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.ast_helpers import argument_or_unpacked
from bastion.findings import Confidence, Severity

_RAW_SQL = frozenset({"django.db.models.RawSQL", "django.db.models.expressions.RawSQL"})


@rule(
    "B611",
    "django_rawsql_used",
    severity=Severity.MEDIUM,
    confidence=Confidence.MEDIUM,
    nodes=(ast.Call,),
    cwe=89,
    calls=tuple(_RAW_SQL),
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Django `RawSQL` with SQL that is not a literal.

    ## What it does
    Finds `django.db.models.RawSQL(sql, params)` whose `sql` is not made only of literals.

    ## Why is this bad?
    `RawSQL` puts its SQL into the query as written. Outside data in it is SQL injection;
    values belong in `params`, which Django escapes.

    ## Example
    ```python
    Item.objects.annotate(rank=RawSQL(f"SELECT rank FROM ranks WHERE id = {item_id}", ()))
    ```

    ## Use instead
    ```python
    Item.objects.annotate(rank=RawSQL("SELECT rank FROM ranks WHERE id = %s", (item_id,)))
    ```

    ## Differences from bandit
    - `RawSQL` must resolve to Django's class (`models.RawSQL`, `from django.db.models
      import RawSQL`); any other function of that name is left alone.
    - SQL built only from literals (`"SELECT 1 " + "FROM t"`) is not reported.
    """
    if ctx.call_tail(node) != "RawSQL" or ctx.call_name(node) not in _RAW_SQL:
        return
    sql = argument_or_unpacked(node, 0, "sql")
    if sql is None or ctx.is_constant(sql):
        return
    yield Issue(node, "RawSQL with SQL built from non-literals", taint=ctx.taint(sql))
