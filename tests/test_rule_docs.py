"""Every rule of every check documents itself by one contract (`bastion.ruledoc`).

One test for all of them: the scan's rules today, and every rule a later check registers.
`bastion explain ID` renders them, and SARIF carries them as rule help.
"""

from __future__ import annotations

import pytest

from bastion.checks import CHECKS
from bastion.checks.base import load_check
from bastion.ruledoc import RuleDoc, problems, render

RULES = [rule for name in CHECKS for rule in load_check(name).rules()]


def test_rule_ids_are_unique_across_checks() -> None:
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
    assert len(RULES) >= 75  # the scan's bandit rules, at least


@pytest.mark.parametrize("rule", RULES, ids=[rule.id for rule in RULES])
def test_every_rule_meets_the_documentation_contract(rule: RuleDoc) -> None:
    assert problems(rule) == []
    assert rule.check in CHECKS
    assert load_check(rule.check).explain(rule.id) == render(rule)


def test_the_contract_catches_what_it_promises() -> None:
    bad = RuleDoc("X1", "bad name!", "scan", "No full stop\n## Example\nno code\n")
    found = problems(bad)
    assert any("summary" in p for p in found)
    assert any("sections" in p for p in found)
    assert any("code block" in p for p in found)
    assert any("identifier" in p for p in found)


def test_rendering_keeps_sections_and_code_apart() -> None:
    scan = load_check("scan")
    text = scan.explain("B602")
    assert text is not None
    assert "\n\nExample\n    subprocess.run(" in text
    assert '\n\nUse instead\n    subprocess.run(["tar", "xf", archive])\n' in text
    assert "\n\n\n" not in text
    assert scan.explain("subprocess_popen_with_shell_equals_true") == text  # by name too
    assert scan.explain("b602") == text
    assert scan.explain("PYSEC-2021-1") is None
