"""The staying-current rules (`bastion.ruleset`): one module each under
`bastion.current.rules`, receiving the verify check's `Facts` (the index pages)."""

from __future__ import annotations

from bastion.ruleset import RuleSet

RULES = RuleSet("audit", "bastion.current.rules")
REGISTRY = RULES.registry
current_rule = RULES.rule
load_rules = RULES.load

#: The mark of a finding that is advice (outdated, unmaintained): it fails the run only when
#: the user asks (`--fail-on-outdated`).
ADVICE = {"advice": "true"}
