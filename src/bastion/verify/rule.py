"""The interface between the verify check and its rules.

A rule is one module under `bastion.verify.rules` that registers one function with
`@verify_rule(...)`. The function receives the run's `Facts` and yields `Finding`s (built with
`Rule.finding`, which fills in the ID, the check and the severity). Its docstring documents it
by the contract every check's rules follow (`bastion.ruledoc`). `needs` names what the rule
asks beyond local files: `index` (the package index), `installed` (an environment's files);
the check runs a rule only when what it needs is available and allowed (`--offline`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bastion.findings import Confidence, Finding, Location, PackageRef, Severity
from bastion.ruledoc import RuleDoc, clean_doc

if TYPE_CHECKING:
    from bastion.inventory.model import Dependency
    from bastion.verify.facts import Facts

RuleFunction = Callable[["Facts"], Iterator[Finding]]

#: What a rule may need beyond local files.
NEEDS = frozenset({"index", "installed", "provenance"})


@dataclass(frozen=True, slots=True)
class Rule:
    """A registered verify rule: its identity, its default severity and what it needs."""

    id: str
    name: str
    severity: Severity
    function: RuleFunction
    needs: frozenset[str]
    doc: str
    cwe: int | None = None
    references: tuple[str, ...] = ()

    def run(self, facts: Facts) -> Iterator[Finding]:
        return self.function(facts)

    def finding(
        self,
        title: str,
        *,
        location: Location | None = None,
        dependency: Dependency | None = None,
        severity: Severity | None = None,
        confidence: Confidence = Confidence.HIGH,
        description: str = "",
        fix: str | None = None,
        key: str = "",
    ) -> Finding:
        """A finding of this rule. `key` tells apart findings of the rule about the same
        place (a file name, a config key); it goes into the fingerprint."""
        package = None
        if dependency is not None:
            package = PackageRef(dependency.name, dependency.version, dependency.origin)
            location = location or dependency.origin
        where = location.path if location is not None else ""
        subject = f"{dependency.name}:{dependency.version or ''}" if dependency else where
        return Finding(
            rule_id=self.id,
            check="verify",
            title=title,
            severity=severity if severity is not None else self.severity,
            confidence=confidence,
            location=location,
            package=package,
            description=description,
            fix=fix,
            references=self.references,
            cwe=(f"CWE-{self.cwe}",) if self.cwe else (),
            fingerprint=f"verify:{self.id}:{subject}:{key}",
        )

    def ruledoc(self) -> RuleDoc:
        return RuleDoc(
            id=self.id,
            name=self.name,
            check="verify",
            doc=self.doc,
            severity=self.severity,
            confidence=Confidence.HIGH,
            cwe=self.cwe,
            references=self.references,
        )


REGISTRY: dict[str, Rule] = {}


def verify_rule(
    id: str,
    name: str,
    *,
    severity: Severity,
    needs: tuple[str, ...] = (),
    cwe: int | None = None,
    references: tuple[str, ...] = (),
) -> Callable[[RuleFunction], RuleFunction]:
    """Register the decorated function as verify rule `id`."""
    unknown = set(needs) - NEEDS
    if unknown:
        raise ValueError(f"rule {id}: unknown needs {sorted(unknown)}")

    def register(function: RuleFunction) -> RuleFunction:
        if id in REGISTRY:
            raise ValueError(f"rule {id} registered twice")
        REGISTRY[id] = Rule(
            id=id,
            name=name,
            severity=severity,
            function=function,
            needs=frozenset(needs),
            doc=clean_doc(function.__doc__),
            cwe=cwe,
            references=references,
        )
        return function

    return register


def load_rules() -> dict[str, Rule]:
    """Import every module under `bastion.verify.rules`; the registered rules by ID."""
    import importlib
    import pkgutil

    package = importlib.import_module("bastion.verify.rules")
    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{module.name}")
    return dict(sorted(REGISTRY.items()))
