"""B409: import of `xml.dom.pulldom`, whose parser is open to XML attacks."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.import_blacklist import ImportBlacklist
from bastion.findings import Confidence, Severity

_BLACKLIST = ImportBlacklist.of(("xml.dom.pulldom",))


@rule(
    "B409",
    "import_xml_pulldom",
    severity=Severity.LOW,
    confidence=Confidence.HIGH,
    nodes=(ast.Import, ast.ImportFrom, ast.Call),
    cwe=20,
    calls=_BLACKLIST.call_hints,
)
def check(node: ast.Import | ast.ImportFrom | ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Import of `xml.dom.pulldom`, whose parser is open to XML attacks.

    ## What it does
    Finds imports of `xml.dom.pulldom`.

    ## Why is this bad?
    `pulldom` parses through SAX and inherits its entity expansion, so a crafted
    document can exhaust memory and CPU. `defusedxml.pulldom` refuses those constructs.

    ## Example
    ```python
    from xml.dom import pulldom

    events = pulldom.parseString(upload)
    ```

    ## Use instead
    ```python
    from defusedxml import pulldom

    events = pulldom.parseString(upload)
    ```

    ## Differences from bandit
    - Names match by whole dotted segments: `xml.dom.pulldom` covers
      `xml.dom.pulldom.sub` but not `xml.dom.pulldom_extra`,
      which bandit's string prefix test also matches.
    - Relative imports (`from .compat import ...`) name the project's own modules and never
      match.
    - Each B4xx rule reports on its own: `import pickle, subprocess` gives B403 and B404, where
      bandit stops at the first blacklisted name of a statement.
    """
    yield from _BLACKLIST.issues(
        node, ctx, "parsing untrusted XML with it is unsafe, use defusedxml"
    )
