"""B407: import of `xml.dom.expatbuilder`, whose parser is open to XML attacks."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.import_blacklist import ImportBlacklist
from bastion.findings import Confidence, Severity

_BLACKLIST = ImportBlacklist.of(("xml.dom.expatbuilder",))


@rule(
    "B407",
    "import_xml_expat",
    severity=Severity.LOW,
    confidence=Confidence.HIGH,
    nodes=(ast.Import, ast.ImportFrom, ast.Call),
    cwe=20,
    calls=_BLACKLIST.call_hints,
)
def check(node: ast.Import | ast.ImportFrom | ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Import of `xml.dom.expatbuilder`, whose parser is open to XML attacks.

    ## What it does
    Finds imports of `xml.dom.expatbuilder`.

    ## Why is this bad?
    The expat-based DOM builder expands entities, so a crafted document can exhaust
    memory and CPU. `defusedxml.expatbuilder` refuses those constructs.

    ## Example
    ```python
    from xml.dom import expatbuilder

    document = expatbuilder.parseString(upload)
    ```

    ## Use instead
    ```python
    from defusedxml import expatbuilder

    document = expatbuilder.parseString(upload)
    ```

    ## Differences from bandit
    - Names match by whole dotted segments: `xml.dom.expatbuilder` covers
      `xml.dom.expatbuilder.sub` but not `xml.dom.expatbuilder_extra`,
      which bandit's string prefix test also matches.
    - Relative imports (`from .compat import ...`) name the project's own modules and never
      match.
    - Each B4xx rule reports on its own: `import pickle, subprocess` gives B403 and B404, where
      bandit stops at the first blacklisted name of a statement.
    """
    yield from _BLACKLIST.issues(
        node, ctx, "parsing untrusted XML with it is unsafe, use defusedxml"
    )
