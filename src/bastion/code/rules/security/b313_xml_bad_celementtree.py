"""B313: parsing XML with `xml.etree.cElementTree`, which is open to XML attacks."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.calls import CallBlacklist
from bastion.code.rules.xml_parsers import XmlParsers
from bastion.findings import Confidence, Severity

_PARSERS = XmlParsers(
    CallBlacklist.of(
        (
            "xml.etree.cElementTree.parse",
            "xml.etree.cElementTree.iterparse",
            "xml.etree.cElementTree.fromstring",
            "xml.etree.cElementTree.XMLParser",
        )
    ),
    takes_data=frozenset(("xml.etree.cElementTree.fromstring",)),
    no_input=frozenset(("xml.etree.cElementTree.XMLParser",)),
)


@rule(
    "B313",
    "xml_bad_cElementTree",
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    nodes=(ast.Call,),
    calls=tuple(_PARSERS.calls.names),
    cwe=20,
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Parsing XML with `xml.etree.cElementTree`, which is vulnerable to XML attacks.

    ## What it does
    Finds `xml.etree.cElementTree` parsers: `parse`, `iterparse`, `fromstring`, `XMLParser`
    (`cElementTree` was removed in Python 3.9).

    ## Why is this bad?
    The standard library's XML parsers expand entities. A small document with nested
    entities grows to gigabytes in memory (billion laughs), and depending on the parser
    external entities can make it read local files or fetch URLs. Data from outside the
    program must go through `defusedxml`.

    ## Example
    ```python
    import xml.etree.cElementTree as ET

    ET.fromstring(body)
    ```

    ## Use instead
    ```python
    import defusedxml.ElementTree as ET

    ET.fromstring(body)
    ```

    ## Differences from bandit
    - When the parsed text itself is a constant (`fromstring("<a/>")`), bastion reports LOW
      severity instead of MEDIUM.
    - The module must be imported in the file: a local object that happens to carry the
      module's name is not the library.
    """
    yield from _PARSERS.issues(node, ctx)
