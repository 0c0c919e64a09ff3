"""B313: parsing XML with `xml.etree.cElementTree`, which is open to XML attacks."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.helpers import CallBlacklist, data_argument, sink_issue
from bastion.findings import Confidence, Severity

_CALLS = CallBlacklist.of(
    (
        "xml.etree.cElementTree.parse",
        "xml.etree.cElementTree.iterparse",
        "xml.etree.cElementTree.fromstring",
        "xml.etree.cElementTree.XMLParser",
    )
)
# The argument is the serialized data itself (not a file name or stream).
_TAKES_DATA = frozenset(("xml.etree.cElementTree.fromstring",))
# Calls whose arguments are not the input to parse or load.
_NO_INPUT = frozenset(("xml.etree.cElementTree.XMLParser",))
_DATA_KEYWORDS = ("source", "string", "text", "file", "stream_or_string", "inputsource")


@rule(
    "B313",
    "xml_bad_cElementTree",
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    nodes=(ast.Call,),
    calls=tuple(_CALLS.names),
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
    name = _CALLS.match(node, ctx)
    if name is None:
        return
    if name in _NO_INPUT:
        yield Issue(node, f"{name} parses XML unsafely; use the defusedxml equivalent")
        return
    data = data_argument(node, *_DATA_KEYWORDS)
    yield sink_issue(
        node,
        ctx,
        data,
        f"{name} parses XML unsafely; use the defusedxml equivalent",
        literal_data=name in _TAKES_DATA,
    )
