"""The interface between the verify check and its rules (`bastion.ruleset`).

A rule is one module under `bastion.verify.rules` that registers one function with
`@verify_rule(...)`; the function receives the run's `Facts` and yields findings. `needs`
names what the rule asks beyond local files: `index` (the package index), `provenance` (PEP
740 attestations), `installed` (an environment's files); the check runs a rule only when
what it needs is available and allowed (`--offline`).
"""

from __future__ import annotations

from bastion.ruleset import Rule, RuleSet

__all__ = ["NEEDS", "REGISTRY", "RULES", "Rule", "load_rules", "verify_rule"]

#: What a rule may need beyond local files.
NEEDS = frozenset({"index", "installed", "provenance"})

RULES = RuleSet("verify", "bastion.verify.rules", NEEDS)
REGISTRY = RULES.registry
verify_rule = RULES.rule
load_rules = RULES.load
