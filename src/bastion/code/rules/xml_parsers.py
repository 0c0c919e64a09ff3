"""What the XML rules share: the standard library's parsers (B313-B319) and why importing them
is reported (B405-B409)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bastion.code.rule import Issue
from bastion.code.rules.ast_helpers import data_argument
from bastion.code.rules.calls import CallBlacklist, sink_issue

if TYPE_CHECKING:
    from bastion.code.context import FileContext


_XML_DATA_KEYWORDS = ("source", "string", "text", "file", "stream_or_string", "inputsource")


@dataclass(frozen=True)
class XmlParsers:
    """The parsing entry points of one standard-library XML module (one per rule B313-B319).

    `takes_data`: calls whose argument is the document text itself (`fromstring`,
    `parseString`), so a constant argument is a constant document. `no_input`: calls that
    build a parser and take no document (`XMLParser`, `make_parser`): reported as they are.
    """

    calls: CallBlacklist
    takes_data: frozenset[str] = frozenset()
    no_input: frozenset[str] = frozenset()

    def issues(self, node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
        name = self.calls.match(node, ctx)
        if name is None:
            return
        message = f"{name} parses XML unsafely; use the defusedxml equivalent"
        if name in self.no_input:
            yield Issue(node, message)
            return
        data = data_argument(node, *_XML_DATA_KEYWORDS)
        yield sink_issue(node, ctx, data, message, literal_data=name in self.takes_data)


#: Why importing one of the standard library's XML parsers is reported (B405-B409).
UNSAFE_XML_IMPORT = "parsing untrusted XML with it is unsafe, use defusedxml"
