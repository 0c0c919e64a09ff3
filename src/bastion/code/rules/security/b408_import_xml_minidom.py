"""B408: import of `xml.dom.minidom`, whose parser is open to XML attacks."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.import_blacklist import ImportBlacklist
from bastion.findings import Confidence, Severity

_BLACKLIST = ImportBlacklist.of(("xml.dom.minidom",))


@rule(
    "B408",
    "import_xml_minidom",
    severity=Severity.LOW,
    confidence=Confidence.HIGH,
    nodes=(ast.Import, ast.ImportFrom, ast.Call),
    cwe=20,
    calls=_BLACKLIST.call_hints,
)
def check(node: ast.Import | ast.ImportFrom | ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Import of `xml.dom.minidom`, whose parser is open to XML attacks.

    ## What it does
    Finds imports of `xml.dom.minidom`.

    ## Why is this bad?
    `minidom.parse` and `parseString` expand entities, so a crafted document can
    exhaust memory and CPU. `defusedxml.minidom` offers the same functions without that.

    ## Example
    ```python
    from xml.dom.minidom import parseString

    document = parseString(upload)
    ```

    ## Use instead
    ```python
    from defusedxml.minidom import parseString

    document = parseString(upload)
    ```

    ## Differences from bandit
    - Names match by whole dotted segments: `xml.dom.minidom` covers
      `xml.dom.minidom.sub` but not `xml.dom.minidom_extra`,
      which bandit's string prefix test also matches.
    - Relative imports (`from .compat import ...`) name the project's own modules and never
      match.
    - Each B4xx rule reports on its own: `import pickle, subprocess` gives B403 and B404, where
      bandit stops at the first blacklisted name of a statement.
    """
    yield from _BLACKLIST.issues(
        node, ctx, "parsing untrusted XML with it is unsafe, use defusedxml"
    )
