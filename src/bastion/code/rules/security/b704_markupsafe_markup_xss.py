"""B704: `markupsafe.Markup` built from a value that is not a literal."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.ast_helpers import argument_or_unpacked
from bastion.findings import Confidence, Severity

_MARKUP = frozenset({"markupsafe.Markup", "flask.Markup", "jinja2.Markup"})


@rule(
    "B704",
    "markupsafe_markup_xss",
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    nodes=(ast.Call,),
    cwe=79,
    calls=tuple(_MARKUP),
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """`Markup` built from a value that is not a literal.

    ## What it does
    Finds `markupsafe.Markup(...)` (also re-exported as `flask.Markup` and, in old Jinja2,
    `jinja2.Markup`) called on anything but a literal.

    ## Why is this bad?
    `Markup` declares its argument to be safe HTML; templates then insert it without
    escaping. If any part of it comes from a user, the user can add markup and scripts to
    the page (cross-site scripting).

    ## Example
    ```python
    greeting = Markup(f"<p>Hello {username}</p>")
    ```

    ## Use instead
    ```python
    greeting = Markup("<p>Hello {}</p>").format(username)  # format() escapes its arguments
    ```

    ## Differences from bandit
    - A value built only from literals (`"<b>" + "x" + "</b>"`) is not reported.
    - `jinja2.Markup`, the old re-export, is covered.
    """
    if ctx.call_tail(node) != "Markup" or ctx.call_name(node) not in _MARKUP:
        return
    value = argument_or_unpacked(node, 0, "base")
    if value is None or ctx.is_constant(value):
        return
    yield Issue(
        node, "Markup on a non-literal value: it will not be escaped", taint=ctx.taint(value)
    )
