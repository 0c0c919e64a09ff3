"""The rule machinery of the checks whose rules ask a `Facts` object (verify, env).

A check of this kind has a `RuleSet`: its rules are the modules of one package, each
registering one function with the set's `rule(...)` decorator. The function receives the
check's facts and yields `Finding`s built with `Rule.finding` (which fills in the ID, the
check and the severity, and a fingerprint `CHECK:ID:SUBJECT:KEY`). Its docstring documents
it by the contract every check's rules follow (`bastion.ruledoc`). `needs` names what the
rule asks beyond local files (for verify: the index, provenance, an environment), so that the
check can run only the rules whose needs are met and say which it skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bastion.findings import Confidence, Finding, Location, PackageRef, Severity
from bastion.ruledoc import RuleDoc, clean_doc

if TYPE_CHECKING:
    from bastion.inventory.model import Dependency

RuleFunction = Callable[[Any], Iterator[Finding]]


@dataclass(frozen=True, slots=True)
class Rule:
    """A registered rule: its identity, its default severity and what it needs."""

    id: str
    name: str
    check: str
    severity: Severity
    function: RuleFunction
    needs: frozenset[str]
    doc: str
    cwe: int | None = None
    references: tuple[str, ...] = ()

    def run(self, facts: Any) -> Iterator[Finding]:
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
        extra: dict[str, str] | None = None,
    ) -> Finding:
        """A finding of this rule. `key` tells apart findings of the rule about the same
        place (a file name, a config key); it goes into the fingerprint. `extra` marks it
        (`current.rule.ADVICE`)."""
        package = None
        if dependency is not None:
            package = PackageRef(dependency.name, dependency.version, dependency.origin)
            location = location or dependency.origin
        where = location.path if location is not None else ""
        subject = f"{dependency.name}:{dependency.version or ''}" if dependency else where
        return Finding(
            rule_id=self.id,
            check=self.check,
            title=title,
            severity=severity if severity is not None else self.severity,
            confidence=confidence,
            location=location,
            package=package,
            description=description,
            fix=fix,
            references=self.references,
            cwe=(f"CWE-{self.cwe}",) if self.cwe else (),
            fingerprint=f"{self.check}:{self.id}:{subject}:{key}",
            extra=dict(extra) if extra else {},
        )

    def ruledoc(self) -> RuleDoc:
        return RuleDoc(
            id=self.id,
            name=self.name,
            check=self.check,
            doc=self.doc,
            severity=self.severity,
            confidence=Confidence.HIGH,
            cwe=self.cwe,
            references=self.references,
        )


class RuleSet:
    """The rules of one check: registered by `rule(...)`, found under `package`."""

    def __init__(self, check: str, package: str, needs: frozenset[str] = frozenset()) -> None:
        self.check = check
        self.package = package
        self.needs = needs
        self.registry: dict[str, Rule] = {}

    def rule(
        self,
        id: str,
        name: str,
        *,
        severity: Severity,
        needs: tuple[str, ...] = (),
        cwe: int | None = None,
        references: tuple[str, ...] = (),
    ) -> Callable[[RuleFunction], RuleFunction]:
        """Register the decorated function as rule `id`."""
        unknown = set(needs) - self.needs
        if unknown:
            raise ValueError(f"rule {id}: unknown needs {sorted(unknown)}")

        def register(function: RuleFunction) -> RuleFunction:
            if id in self.registry:
                raise ValueError(f"rule {id} registered twice")
            self.registry[id] = Rule(
                id=id,
                name=name,
                check=self.check,
                severity=severity,
                function=function,
                needs=frozenset(needs),
                doc=clean_doc(function.__doc__),
                cwe=cwe,
                references=references,
            )
            return function

        return register

    def ruledocs(self) -> list[RuleDoc]:
        """Every rule's documentation (a check's `rules()`)."""
        return [rule.ruledoc() for rule in self.load().values()]

    def explain(self, rule_id: str) -> str | None:
        """One rule's documentation rendered (a check's `explain()`), or None."""
        from bastion.ruledoc import render

        rule = self.load().get(rule_id.upper())
        return render(rule.ruledoc()) if rule is not None else None

    def load(self) -> dict[str, Rule]:
        """Import every module of the package; the registered rules by ID."""
        import importlib
        import pkgutil

        package = importlib.import_module(self.package)
        for module in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{package.__name__}.{module.name}")
        return dict(sorted(self.registry.items()))
