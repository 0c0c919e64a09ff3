"""The table-driven harness of the rule tests: a snippet, and exactly what one rule reports."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from bastion.code.engine import analyze_source
from bastion.code.rule import load_rules

RULES = load_rules()


@dataclass(frozen=True)
class Case:
    """A snippet, the findings one rule must give on it, and what bandit 1.9.4 gave.

    `expected` holds (line, severity, confidence) per finding; lines count from the blank
    line that opens a triple-quoted snippet. `bandit` records that rule's bandit result on
    the same snippet: "same" when identical, "none" when bandit reported nothing, else its
    findings in the same form.
    """

    rule: str
    source: str
    expected: tuple[tuple[int, str, str], ...]
    bandit: str = "same"

    @property
    def positive(self) -> bool:
        return bool(self.expected)


def found(case: Case) -> tuple[tuple[int, str, str], ...]:
    """Run only `case.rule` over the snippet and return its findings, sorted."""
    source = textwrap.dedent(case.source)
    findings = analyze_source("case.py", source, {case.rule: RULES[case.rule]})
    return tuple(
        sorted(
            (f.location.line or 0, f.severity.name, f.confidence.name)
            for f in findings
            if f.rule_id == case.rule and f.location is not None
        )
    )
