"""B406: import of `xml.sax`, whose parser is open to XML attacks."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.ast_helpers import quoted_names
from bastion.code.rules.import_blacklist import ImportBlacklist
from bastion.code.rules.xml_parsers import UNSAFE_XML_IMPORT
from bastion.findings import Confidence, Severity

_BLACKLIST = ImportBlacklist.of(("xml.sax",))
_EXEMPT = "xml.sax.saxutils"


@rule(
    "B406",
    "import_xml_sax",
    severity=Severity.LOW,
    confidence=Confidence.HIGH,
    nodes=(ast.Import, ast.ImportFrom, ast.Call),
    cwe=20,
    calls=_BLACKLIST.call_hints,
)
def check(node: ast.Import | ast.ImportFrom | ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Import of `xml.sax`, whose parser is open to XML attacks.

    ## What it does
    Finds imports of `xml.sax` and its submodules.

    ## Why is this bad?
    SAX parsing of untrusted XML expands entities and may fetch external ones, which
    allows denial of service and, with some handlers, reading local files. `defusedxml.sax`
    refuses those constructs.

    ## Example
    ```python
    import xml.sax

    xml.sax.parseString(upload, handler)
    ```

    ## Use instead
    ```python
    import defusedxml.sax

    defusedxml.sax.parseString(upload, handler)
    ```

    ## Differences from bandit
    - Names match by whole dotted segments: `xml.sax` covers
      `xml.sax.sub` but not `xml.sax_extra`,
      which bandit's string prefix test also matches.
    - Relative imports (`from .compat import ...`) name the project's own modules and never
      match.
    - Each B4xx rule reports on its own: `import pickle, subprocess` gives B403 and B404, where
      bandit stops at the first blacklisted name of a statement.
    - `xml.sax.saxutils` is not reported: it escapes and writes XML and parses nothing.
    """
    names = [
        name
        for name in _BLACKLIST.loaded_by(node, ctx)
        if name != _EXEMPT and not name.startswith(_EXEMPT + ".")
    ]
    if names:
        yield Issue(node, f"import of {quoted_names(names)}: {UNSAFE_XML_IMPORT}")
