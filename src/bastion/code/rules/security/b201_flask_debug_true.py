"""B201: a Flask application run with `debug=True`."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.ast_helpers import is_true, root_name
from bastion.findings import Confidence, Severity


def _imports_flask(ctx: FileContext) -> bool:
    return "flask" in ctx.source and any("flask" in m for m in ctx.imports.modules)


def _is_other_library(func: ast.expr, ctx: FileContext) -> bool:
    """True for `asyncio.run(...)` and the like: a module's `run`, and not a Flask one."""
    root = root_name(func)
    if root is None or not ctx.is_imported(root):
        return False
    name = ctx.qualname(func) or ""
    return "flask" not in name


@rule(
    "B201",
    "flask_debug_true",
    severity=Severity.HIGH,
    confidence=Confidence.MEDIUM,
    nodes=(ast.Call,),
    calls=("run",),
    cwe=94,
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Flask app run with `debug=True`, which exposes the Werkzeug debugger.

    ## What it does
    Finds `<app>.run(..., debug=True)` in files that import Flask.

    ## Why is this bad?
    In debug mode the Werkzeug debugger answers every unhandled error with an interactive
    Python console in the browser. Anyone who can reach the server, and trigger or guess an
    error page, can run code on it.

    ## Example
    ```python
    app = Flask(__name__)
    app.run(host="0.0.0.0", debug=True)
    ```

    ## Use instead
    ```python
    app = Flask(__name__)
    app.run(debug=os.environ.get("FLASK_DEBUG") == "1")  # off unless asked for, locally
    ```

    ## Differences from bandit
    - A `run` function of another imported module (`asyncio.run(main(), debug=True)`, or a
      `run` imported by name) is not a Flask app; bandit reports it when the file also
      imports Flask.
    """
    debug = None
    for kw in node.keywords:
        if kw.arg == "debug":
            debug = kw.value
    if debug is None or not is_true(debug):
        return
    func = node.func
    if type(func) is not ast.Attribute or func.attr != "run":
        return
    if _is_other_library(func, ctx) or not _imports_flask(ctx):
        return
    yield Issue(debug, "Flask app run with debug=True exposes the interactive debugger")
