"""B613: bidirectional control characters in source code (Trojan Source)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.findings import Confidence, Severity

# The explicit embedding, override and isolate controls, and the right-to-left mark.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200f]")


@rule(
    "B613",
    "trojansource",
    severity=Severity.HIGH,
    confidence=Confidence.MEDIUM,
    nodes=(ast.Module,),
    cwe=838,
)
def check(node: ast.Module, ctx: FileContext) -> Iterator[Issue]:
    r"""Bidirectional control character in source (Trojan Source).

    ## What it does
    Finds Unicode bidirectional controls (U+202A-U+202E, U+2066-U+2069, U+200F) anywhere in
    a Python file, comments and strings included.

    ## Why is this bad?
    These characters reorder how text is displayed without changing what the interpreter
    reads, so a reviewer can be shown code that differs from the code that runs: a comment
    that seems to end a line, a string that seems to close (CVE-2021-42574).

    ## Example
    ```python
    # the file holds the raw characters where these escapes are shown:
    if access_level != "user\u202e \u2066# check if admin\u2069 \u2066":
        grant_admin()
    ```

    ## Use instead
    ```python
    if access_level != "user":
        grant_admin()
    label = "\u202eright-to-left text"  # written as an escape, visible in review
    ```

    ## Differences from bandit
    - Every line with such a character is reported; bandit reports the first one per file.
    """
    source = ctx.source
    if source.isascii() or _BIDI.search(source) is None:
        return
    line, line_start, position, reported = 1, 0, 0, 0
    for found in _BIDI.finditer(source):
        start = found.start()
        newlines = source.count("\n", position, start)
        if newlines:
            line += newlines
            line_start = source.rfind("\n", position, start) + 1
        position = start
        if line == reported:
            continue
        reported = line
        column = start - line_start
        char = found.group()
        marker = ast.Constant(
            value=char, lineno=line, col_offset=column, end_lineno=line, end_col_offset=column + 1
        )
        yield Issue(marker, f"bidirectional control character U+{ord(char):04X} in source")
