"""A one-line title for an advisory record, computed once when the record is stored.

A record's `summary` is its title. Many records (most of the PyPA database) have none, only
`details`; `headline` derives a title from them. It runs at import, not per audit: a title is
a property of the record, and deriving 1,700 of them cost an audit 10 ms.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

#: Titles taken from an advisory's details are cut to about this many characters.
TITLE_LIMIT = 120

# A sentence ends at `.`, `!` or `?` before whitespace (not after "e.g." or "i.e.").
_SENTENCE_END = re.compile(r"[.!?]\s+")
_NOT_AN_END = frozenset({"e.g.", "i.e."})
_BOILERPLATE = re.compile(r"(An issue was discovered in |[\w.\- ]{1,40} is (a|an|the) )", re.I)
_VULNERABILITY_WORDS = (
    "vulnerab", "attack", "allow", "inject", "bypass", "leak", "overflow", "denial", "arbitrary",
    "exploit", "malicious", "unsafe", "crash", "travers", "forg", "xss", "execut",
)  # fmt: skip


def title_of(summary: str, details: str) -> str:
    """The record's title: its summary, else a headline from its details (may be empty)."""
    return summary or headline(details)


def headline(details: str, limit: int = TITLE_LIMIT) -> str:
    """A title from `details` (records without a summary): the first sentence of the first
    paragraph, cut at a word to `limit` characters.

    Details are often hard-wrapped, so a paragraph, not a line, is the unit (the first line
    of a wrapped sentence stops mid-phrase). Markdown headings (`### Impact`) are skipped. A
    first sentence that says nothing about the vulnerability is skipped when another follows:
    NVD's "An issue was discovered in Django 3.2 before 3.2.11." and GitHub's "Werkzeug is a
    comprehensive WSGI web application library." would otherwise give several findings of one
    package the same title.
    """
    sentences = (s for p in _paragraphs(details) for s in _sentences(p))
    first = title = next(sentences, "")
    while _says_nothing(title):
        title = next(sentences, first)
        if title is first:
            break
    if len(title) <= limit:
        return title
    cut = title[: limit - 3]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "..."


def _paragraphs(details: str) -> Iterator[str]:
    """The paragraphs of `details`, lazily, each on one line, leading headings left out."""
    lines: list[str] = []
    for raw in details.split("\n"):
        line = raw.strip()
        if line:
            if lines or not line.startswith("#"):
                lines.append(line)
        elif lines:
            yield " ".join(" ".join(lines).split())
            lines = []
    if lines:
        yield " ".join(" ".join(lines).split())


def _sentences(paragraph: str) -> Iterator[str]:
    """The sentences of `paragraph`, lazily (a title needs one or two)."""
    start = 0
    for match in _SENTENCE_END.finditer(paragraph):
        end = match.start() + 1
        if paragraph[max(end - 4, 0) : end] in _NOT_AN_END:
            continue
        yield paragraph[start:end]
        start = match.end()
    yield paragraph[start:]


def _says_nothing(sentence: str) -> bool:
    head = sentence[:60]
    if " is " not in head and not head.startswith(("An issue", "an issue")):
        return False  # the common case, without a regular expression
    if not _BOILERPLATE.match(sentence):
        return False
    lowered = sentence.lower()
    return not any(word in lowered for word in _VULNERABILITY_WORDS)
