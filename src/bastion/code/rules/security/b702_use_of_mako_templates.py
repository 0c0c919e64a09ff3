"""B702: a Mako template, which does not escape HTML by default."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.ast_helpers import argument_or_unpacked, string_value
from bastion.findings import Confidence, Severity


def _escapes_html(filters: ast.expr | None) -> bool:
    """True when `default_filters` is a literal list that includes the `h` filter."""
    if not isinstance(filters, ast.List | ast.Tuple):
        return False
    return any(string_value(f) == "h" for f in filters.elts)


@rule(
    "B702",
    "use_of_mako_templates",
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    nodes=(ast.Call,),
    cwe=80,
    calls=("mako.template.Template",),
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Mako template without default HTML escaping.

    ## What it does
    Finds `mako.template.Template(...)` created without `"h"` among its
    `default_filters`.

    ## Why is this bad?
    Mako inserts `${value}` as is unless a filter escapes it, so any value from a user can
    add markup and scripts to the page (cross-site scripting). Every expression then needs
    its own `| h`, and one forgotten filter is enough.

    ## Example
    ```python
    page = Template("<p>Hello ${name}</p>").render(name=name)
    ```

    ## Use instead
    ```python
    page = Template("<p>Hello ${name}</p>", default_filters=["h"]).render(name=name)
    ```

    ## Differences from bandit
    - A template created with `default_filters` that include `"h"` escapes every expression
      and is not reported.
    """
    if ctx.call_tail(node) != "Template":
        return
    qualname = ctx.call_name(node)
    if qualname is None or not qualname.startswith("mako."):
        return
    if _escapes_html(ctx.keyword(node, "default_filters")):
        return
    text = argument_or_unpacked(node, 0, "text")
    path = ctx.taint(text) if text is not None else None
    yield Issue(node, "Mako template does not escape HTML by default", taint=path)
