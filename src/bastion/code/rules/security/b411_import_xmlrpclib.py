"""B411: import of `xmlrpc`, which parses XML received over the network."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.import_blacklist import ImportBlacklist
from bastion.findings import Confidence, Severity

_BLACKLIST = ImportBlacklist.of(("xmlrpc",))


@rule(
    "B411",
    "import_xmlrpclib",
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    nodes=(ast.Import, ast.ImportFrom, ast.Call),
    cwe=20,
    calls=_BLACKLIST.call_hints,
)
def check(node: ast.Import | ast.ImportFrom | ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Import of `xmlrpc`, which parses XML received over the network.

    ## What it does
    Finds imports of `xmlrpc` (`xmlrpc.client`, `xmlrpc.server`).

    ## Why is this bad?
    XML-RPC clients and servers parse XML that comes straight off the network, so
    entity-expansion attacks reach them without any other mistake in the program.
    `defusedxml.xmlrpc.monkey_patch()` hardens the module.

    ## Example
    ```python
    from xmlrpc.server import SimpleXMLRPCServer

    SimpleXMLRPCServer(("0.0.0.0", 8000)).serve_forever()
    ```

    ## Use instead
    ```python
    from defusedxml.xmlrpc import monkey_patch
    from xmlrpc.server import SimpleXMLRPCServer

    monkey_patch()
    SimpleXMLRPCServer(("127.0.0.1", 8000)).serve_forever()
    ```

    ## Differences from bandit
    - Names match by whole dotted segments: `xmlrpc` covers
      `xmlrpc.sub` but not `xmlrpc_extra`,
      which bandit's string prefix test also matches.
    - Relative imports (`from .compat import ...`) name the project's own modules and never
      match.
    - Each B4xx rule reports on its own: `import pickle, subprocess` gives B403 and B404, where
      bandit stops at the first blacklisted name of a statement.
    - Like bandit, a file that calls `defusedxml.xmlrpc.monkey_patch()` is still reported;
      suppress the finding on that import once the patch is in place.
    """
    yield from _BLACKLIST.issues(node, ctx, "XML-RPC parses untrusted XML, apply defusedxml.xmlrpc")
