"""B405: import of `xml.etree.ElementTree`, whose parsers are open to XML attacks."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.import_blacklist import ImportBlacklist
from bastion.findings import Confidence, Severity

_BLACKLIST = ImportBlacklist.of(
    (
        "xml.etree.ElementTree",
        "xml.etree.cElementTree",
    )
)


@rule(
    "B405",
    "import_xml_etree",
    severity=Severity.LOW,
    confidence=Confidence.HIGH,
    nodes=(ast.Import, ast.ImportFrom, ast.Call),
    cwe=20,
    calls=_BLACKLIST.call_hints,
)
def check(node: ast.Import | ast.ImportFrom | ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Import of `xml.etree.ElementTree`, whose parsers are open to XML attacks.

    ## What it does
    Finds imports of `xml.etree.ElementTree` and `xml.etree.cElementTree`.

    ## Why is this bad?
    The standard library's XML parsers expand entities, so a small hostile document
    can exhaust memory and CPU (billion laughs, quadratic blowup). `defusedxml` offers the
    same API with those features refused.

    ## Example
    ```python
    import xml.etree.ElementTree as ET

    root = ET.fromstring(upload)
    ```

    ## Use instead
    ```python
    import defusedxml.ElementTree as ET

    root = ET.fromstring(upload)
    ```

    ## Differences from bandit
    - Names match by whole dotted segments: `xml.etree.ElementTree` covers
      `xml.etree.ElementTree.sub` but not `xml.etree.ElementTree_extra`,
      which bandit's string prefix test also matches.
    - Relative imports (`from .compat import ...`) name the project's own modules and never
      match.
    - Each B4xx rule reports on its own: `import pickle, subprocess` gives B403 and B404, where
      bandit stops at the first blacklisted name of a statement.
    """
    yield from _BLACKLIST.issues(
        node, ctx, "parsing untrusted XML with it is unsafe, use defusedxml"
    )
