"""B412: use of a CGI handler open to httpoxy (`wsgiref` `CGIHandler`, twisted `CGIScript`)."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.import_blacklist import ImportBlacklist
from bastion.findings import Confidence, Severity

_BLACKLIST = ImportBlacklist.of(
    (
        "twisted.web.twcgi.CGIDirectory",
        "twisted.web.twcgi.CGIScript",
        "wsgiref.handlers.CGIHandler",
    )
)


@rule(
    "B412",
    "import_httpoxy",
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    nodes=(ast.Import, ast.ImportFrom, ast.Call),
    cwe=284,
    calls=_BLACKLIST.call_hints,
)
def check(node: ast.Import | ast.ImportFrom | ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Use of a CGI handler open to httpoxy (`wsgiref` `CGIHandler`, twisted `CGIScript`).

    ## What it does
    Finds imports and calls of `wsgiref.handlers.CGIHandler` and of twisted's
    `CGIScript` and `CGIDirectory`.

    ## Why is this bad?
    Under CGI a request header `Proxy: ...` becomes the environment variable
    `HTTP_PROXY`, which HTTP clients read as their proxy setting. A client can thereby route the
    application's outbound requests, with their credentials, through a server of its choice
    (httpoxy, CVE-2016-5385 and relatives).

    ## Example
    ```python
    from wsgiref.handlers import CGIHandler

    CGIHandler().run(application)
    ```

    ## Use instead
    ```python
    # serve the WSGI application with a WSGI server, not CGI
    from waitress import serve

    serve(application, listen="127.0.0.1:8080")
    ```

    ## Differences from bandit
    - Names match by whole dotted segments: `wsgiref.handlers.CGIHandler` covers
      `wsgiref.handlers.CGIHandler.sub` but not `wsgiref.handlers.CGIHandler_extra`,
      which bandit's string prefix test also matches.
    - Relative imports (`from .compat import ...`) name the project's own modules and never
      match.
    - Each B4xx rule reports on its own: `import pickle, subprocess` gives B403 and B404, where
      bandit stops at the first blacklisted name of a statement.
    """
    yield from _BLACKLIST.issues(
        node, ctx, "CGI passes the client's Proxy header on as HTTP_PROXY (httpoxy)", verb="use of"
    )
