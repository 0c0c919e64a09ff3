"""The interface between the analysis engine and its rules.

A rule is one module under `bastion.code.rules.<pack>` that registers one check function
with `@rule(...)`. The function receives nodes of the types it asked for and the `FileContext`
of the file, and yields `Issue`s. Its docstring documents it by the contract every check's
rules follow (`bastion.ruledoc`): the sections `## What it does`, `## Why is this bad?`,
`## Example`, `## Use instead` and, where bastion deliberately behaves differently,
`## Differences from bandit`.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from bastion.findings import Confidence, Severity
from bastion.ruledoc import RuleDoc, clean_doc

if TYPE_CHECKING:
    from bastion.code.context import FileContext
    from bastion.code.taint import TaintPath


@dataclass(frozen=True, slots=True)
class Issue:
    """What a rule reports: the node it is about and, when it differs, a narrower verdict."""

    node: ast.AST
    message: str
    severity: Severity | None = None
    confidence: Confidence | None = None
    taint: TaintPath | None = None


N = TypeVar("N", bound=ast.AST)
CheckFunction = Callable[[Any, "FileContext"], Iterator[Issue]]


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """A registered rule: its identity, its defaults and the nodes it wants to see."""

    id: str
    name: str
    severity: Severity
    confidence: Confidence
    cwe: int | None
    node_types: tuple[type[ast.AST], ...]
    check: CheckFunction
    pack: str
    doc: str = ""
    references: tuple[str, ...] = field(default=())
    calls: frozenset[str] = field(default=frozenset())
    keywords: frozenset[str] = field(default=frozenset())

    @property
    def summary(self) -> str:
        """The first line of the docstring."""
        return self.doc.strip().splitlines()[0] if self.doc.strip() else self.name

    def ruledoc(self) -> RuleDoc:
        """The rule's documentation in the form every check's rules share."""
        return RuleDoc(
            id=self.id,
            name=self.name,
            check="scan",
            doc=self.doc,
            severity=self.severity,
            confidence=self.confidence,
            cwe=self.cwe,
            references=self.references,
        )


REGISTRY: dict[str, RuleSpec] = {}


def rule(
    id: str,
    name: str,
    *,
    severity: Severity,
    confidence: Confidence,
    nodes: tuple[type[ast.AST], ...],
    cwe: int | None = None,
    pack: str = "security",
    references: tuple[str, ...] = (),
    calls: tuple[str, ...] = (),
    keywords: tuple[str, ...] = (),
) -> Callable[
    [Callable[[N, FileContext], Iterator[Issue]]], Callable[[N, FileContext], Iterator[Issue]]
]:
    """Register the decorated function as rule `id`. Visit `ast.Module` for whole-file rules.

    `calls` is an optional speed hint for rules that visit `ast.Call`: the dotted names the
    rule is about (`"pickle.loads"`), of which only the last segment counts (`loads`). The
    engine then passes the rule only the calls whose name, after import aliases, ends with
    one of those segments, instead of every call in the file. Most files have tens of
    thousands of calls and a rule set has dozens of call rules, so this is the largest single
    saving available to a rule. Without `calls` the rule sees every call.

    `keywords` is the same kind of hint for rules about an argument rather than a function
    (`shell=True` in any call): the rule sees the calls that pass one of these keyword
    arguments, `"*"` meaning any keyword at all. With both hints, a call that matches either
    reaches the rule.
    """

    def register(
        function: Callable[[N, FileContext], Iterator[Issue]],
    ) -> Callable[[N, FileContext], Iterator[Issue]]:
        if id in REGISTRY:
            raise ValueError(f"rule {id} registered twice")
        REGISTRY[id] = RuleSpec(
            id=id,
            name=name,
            severity=severity,
            confidence=confidence,
            cwe=cwe,
            node_types=nodes,
            check=function,
            pack=pack,
            doc=clean_doc(function.__doc__),
            references=references,
            calls=frozenset(name.rpartition(".")[2] for name in calls),
            keywords=frozenset(keywords),
        )
        return function

    return register


def load_rules(pack: str = "security") -> dict[str, RuleSpec]:
    """Import every rule module of `pack` and return the registered rules of that pack."""
    import importlib
    import pkgutil

    package = importlib.import_module(f"bastion.code.rules.{pack}")
    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{module.name}")
    return {rid: spec for rid, spec in sorted(REGISTRY.items()) if spec.pack == pack}
