"""B701: a Jinja2 environment with HTML autoescaping off."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.ast_helpers import has_double_star, literal_truth
from bastion.findings import Confidence, Severity

_ENVIRONMENTS = frozenset({"Environment", "SandboxedEnvironment", "ImmutableSandboxedEnvironment"})


@rule(
    "B701",
    "jinja2_autoescape_false",
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    nodes=(ast.Call,),
    cwe=94,
    calls=tuple(_ENVIRONMENTS),
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Jinja2 environment with autoescaping disabled.

    ## What it does
    Finds `jinja2.Environment(...)` created with `autoescape=False`, with no `autoescape`
    at all (Jinja2's default is off), or with a value that is neither a true literal nor a
    `select_autoescape(...)` call (MEDIUM confidence).

    ## Why is this bad?
    Without autoescaping every `{{ value }}` is inserted into the HTML as is, so data from
    users can add markup and scripts to the page (cross-site scripting).

    ## Example
    ```python
    env = jinja2.Environment(loader=jinja2.FileSystemLoader("templates"))
    ```

    ## Use instead
    ```python
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader("templates"), autoescape=jinja2.select_autoescape()
    )
    ```

    ## Differences from bandit
    - The sandboxed environments (`jinja2.sandbox.SandboxedEnvironment`) are covered: the
      sandbox limits what templates can call, not what they print.
    - A call that passes `**options` and no `autoescape=` gets MEDIUM confidence: the
      options may set it.
    """
    if ctx.call_tail(node) not in _ENVIRONMENTS:
        return
    qualname = ctx.call_name(node)
    if qualname is None or not qualname.startswith("jinja2."):
        return
    autoescape = ctx.keyword(node, "autoescape")
    if autoescape is None:
        yield Issue(
            node,
            "Jinja2 environment without autoescape: it defaults to off",
            confidence=Confidence.MEDIUM if has_double_star(node) else None,
        )
        return
    truth = literal_truth(autoescape)
    if truth is False:
        yield Issue(node, "Jinja2 environment with autoescape=False")
    elif truth is None and not (
        type(autoescape) is ast.Call and ctx.call_tail(autoescape) == "select_autoescape"
    ):
        yield Issue(
            node,
            "Jinja2 environment whose autoescape may be off",
            confidence=Confidence.MEDIUM,
        )
