"""Rules about calls of known-dangerous functions (bandit's B3xx blacklist style)."""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bastion.code.rule import Issue
from bastion.code.rules.ast_helpers import root_name
from bastion.findings import Severity

if TYPE_CHECKING:
    from bastion.code.context import FileContext


@dataclass(frozen=True, slots=True)
class CallBlacklist:
    """A set of dotted function names whose call is a finding (bandit's B3xx style).

    `tails` (the last segments) lets `match` reject almost every call with one set lookup
    before resolving the full name.
    """

    names: frozenset[str]
    tails: frozenset[str]

    @classmethod
    def of(cls, names: Iterable[str]) -> CallBlacklist:
        frozen = frozenset(names)
        return cls(frozen, frozenset(n.rpartition(".")[2] for n in frozen))

    def match(self, call: ast.Call, ctx: FileContext) -> str | None:
        """The blacklisted name `call` calls, or None.

        The name must resolve through the file's imports: `pickle.loads(x)` counts only when
        `pickle` is an imported module here, not a local variable that happens to be called so.
        """
        func = call.func
        if type(func) is ast.Attribute:
            if func.attr not in self.tails:
                return None
            name = ctx.qualname(func)
            if name is None or name not in self.names:
                return None
            root = root_name(func)
            return name if root is not None and ctx.is_imported(root) else None
        if type(func) is ast.Name:
            resolved = ctx.aliases.get(func.id)
            return resolved if resolved in self.names else None
        return None


def sink_issue(
    call: ast.Call,
    ctx: FileContext,
    data: ast.expr | None,
    message: str,
    *,
    literal_data: bool,
) -> Issue:
    """The finding for a call that is dangerous when outside data reaches `data`.

    With `literal_data` the argument is the data itself (`pickle.loads(blob)`), so when only
    constants reach it nobody else controls it: LOW severity. Otherwise (a file name, a
    stream) the rule's own severity stands. Either way a known taint path is attached.
    """
    if literal_data and data is not None and ctx.is_constant(data):
        return Issue(call, f"{message} (constant argument)", severity=Severity.LOW)
    return Issue(call, message, taint=ctx.taint(data) if data is not None else None)
