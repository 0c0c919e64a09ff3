"""The interface between the env check and its rules (`bastion.ruleset`): a rule is one
module under `bastion.env.rules` registering one function with `@env_rule(...)`, which
receives the run's `EnvFacts` and yields findings."""

from __future__ import annotations

from bastion.ruleset import RuleSet

RULES = RuleSet("env", "bastion.env.rules")
REGISTRY = RULES.registry
env_rule = RULES.rule
load_rules = RULES.load
