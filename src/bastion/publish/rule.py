"""The interface between the publish check and its rules (`bastion.ruleset`): a rule is one
module under `bastion.publish.rules` registering one function with `@publish_rule(...)`."""

from __future__ import annotations

from bastion.ruleset import RuleSet

RULES = RuleSet("publish", "bastion.publish.rules")
REGISTRY = RULES.registry
publish_rule = RULES.rule
load_rules = RULES.load
