"""A scan finding's stable identity: its rule, file, the flagged statement's code, occurrence.

Baselines and SARIF `partialFingerprints` match findings by this, never by line number: lines
added above a finding do not make it new. The statement's code is normalized to its tokens
(comments, line breaks and spacing do not matter), so reformatting keeps the fingerprint.
"""

from __future__ import annotations

import ast
import hashlib
import io
import re
import tokenize

_COMPOUND = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.If,
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.With,
    ast.AsyncWith,
    ast.Try,
    ast.TryStar,
    ast.Match,
)

_SPACE = re.compile(r"\s+")


_LAYOUT_TOKENS = frozenset(
    {
        tokenize.COMMENT,
        tokenize.NL,
        tokenize.NEWLINE,
        tokenize.INDENT,
        tokenize.DEDENT,
        tokenize.ENDMARKER,
    }
)


def normalize_code(text: str) -> str:
    """The code's tokens joined by single spaces: comments, line breaks and spacing do not
    matter, so reformatting a statement keeps its fingerprint."""
    try:
        tokens = tokenize.generate_tokens(io.StringIO(text.strip() + "\n").readline)
        return " ".join(t.string for t in tokens if t.type not in _LAYOUT_TOKENS)
    except (tokenize.TokenError, SyntaxError):
        return _SPACE.sub(" ", text).strip()


def fingerprint(rule_id: str, relpath: str, statement: str, occurrence: int) -> str:
    """A stable identity for a finding that survives edits elsewhere in the file."""
    payload = "\0".join((rule_id, relpath, statement, str(occurrence)))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


def header_lines(statement: ast.stmt) -> tuple[int, int]:
    """The lines of a simple statement, or of a compound statement's header."""
    first = statement.lineno
    last = statement.end_lineno or first
    if isinstance(statement, _COMPOUND):
        body = getattr(statement, "body", None) or getattr(statement, "cases", None)
        if body:
            last = max(first, body[0].lineno - 1)
    return first, last
