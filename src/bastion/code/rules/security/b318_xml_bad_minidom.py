"""B318: parsing XML with `xml.dom.minidom`, which is open to XML attacks."""

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
            "xml.dom.minidom.parse",
            "xml.dom.minidom.parseString",
        )
    ),
    takes_data=frozenset(("xml.dom.minidom.parseString",)),
)


@rule(
    "B318",
    "xml_bad_minidom",
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    nodes=(ast.Call,),
    calls=tuple(_PARSERS.calls.names),
    cwe=20,
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Parsing XML with `xml.dom.minidom`, which is vulnerable to XML attacks.

    ## What it does
    Finds `xml.dom.minidom` parsers: `parse`, `parseString`.

    ## Why is this bad?
    The standard library's XML parsers expand entities. A small document with nested
    entities grows to gigabytes in memory (billion laughs), and depending on the parser
    external entities can make it read local files or fetch URLs. Data from outside the
    program must go through `defusedxml`.

    ## Example
    ```python
    from xml.dom import minidom

    document = minidom.parseString(body)
    ```

    ## Use instead
    ```python
    from defusedxml import minidom

    document = minidom.parseString(body)
    ```

    ## Differences from bandit
    - When the parsed text itself is a constant (`parseString("<a/>")`), bastion reports LOW
      severity instead of MEDIUM.
    - The module must be imported in the file: a local object that happens to carry the
      module's name is not the library.
    """
    yield from _PARSERS.issues(node, ctx)
