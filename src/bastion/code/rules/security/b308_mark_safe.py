"""B308: Django's `mark_safe`, which turns off HTML escaping for a string."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.ast_helpers import data_argument
from bastion.code.rules.calls import CallBlacklist, sink_issue
from bastion.findings import Confidence, Severity

_CALLS = CallBlacklist.of(
    (
        "django.utils.safestring.mark_safe",
        "django.utils.html.mark_safe",
    )
)
# The argument is the serialized data itself (not a file name or stream).
_TAKES_DATA = frozenset(
    (
        "django.utils.safestring.mark_safe",
        "django.utils.html.mark_safe",
    )
)
_DATA_KEYWORDS = ("s",)


@rule(
    "B308",
    "mark_safe",
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    nodes=(ast.Call,),
    calls=tuple(_CALLS.names),
    cwe=79,
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Use of Django's `mark_safe`, which may expose cross-site scripting.

    ## What it does
    Finds calls to `django.utils.safestring.mark_safe` (also imported through
    `django.utils.html`).

    ## Why is this bad?
    Django escapes everything a template prints, except strings marked safe. If any part of
    such a string comes from a user, their HTML and scripts run in other users' browsers
    (cross-site scripting).

    ## Example
    ```python
    return mark_safe(f"<b>{user.display_name}</b>")
    ```

    ## Use instead
    ```python
    return format_html("<b>{}</b>", user.display_name)
    ```

    ## Differences from bandit
    - `from django.utils.html import mark_safe` is recognized too.
    - When only constants reach the argument (`mark_safe("<br>")`) nothing outside can
      inject markup: bastion reports LOW severity instead of MEDIUM.
    - The module must be imported in the file.
    """
    name = _CALLS.match(node, ctx)
    if name is None:
        return
    data = data_argument(node, *_DATA_KEYWORDS)
    yield sink_issue(
        node,
        ctx,
        data,
        f"{name} disables HTML escaping: review what reaches it",
        literal_data=name in _TAKES_DATA,
    )
