"""B703: Django `mark_safe` applied to a value that is not a literal."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.ast_helpers import argument_or_unpacked
from bastion.findings import Confidence, Severity

_NAMES = ("mark_safe", "SafeText", "SafeUnicode", "SafeString", "SafeBytes")
_TAILS = frozenset(_NAMES)
_FUNCTIONS = frozenset(
    {f"django.utils.safestring.{name}" for name in _NAMES} | {"django.utils.html.mark_safe"}
)


@rule(
    "B703",
    "django_mark_safe",
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    nodes=(ast.Call,),
    cwe=80,
    calls=tuple(_FUNCTIONS),
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Django `mark_safe` on a value that is not a literal.

    ## What it does
    Finds `django.utils.safestring.mark_safe(...)` and the `SafeString` family applied to
    anything but a literal.

    ## Why is this bad?
    Marking a string safe turns off Django's template escaping for it. If any part of it
    comes from a user, the user can add markup and scripts to the page (cross-site
    scripting).

    ## Example
    ```python
    return mark_safe(f"<b>{comment.author}</b>")
    ```

    ## Use instead
    ```python
    return format_html("<b>{}</b>", comment.author)
    ```

    ## Differences from bandit
    - The function must resolve to Django's (`mark_safe` imported from
      `django.utils.safestring` or `django.utils.html`); a method or a local function of
      that name is left alone.
    - Which values are constant comes from bastion's data-flow analysis instead of bandit's
      own assignment tracing.
    """
    if ctx.call_tail(node) not in _TAILS or ctx.call_name(node) not in _FUNCTIONS:
        return
    value = argument_or_unpacked(node, 0, "s")
    if value is None or ctx.is_constant(value):
        return
    yield Issue(node, "mark_safe on a non-literal value disables escaping", taint=ctx.taint(value))
