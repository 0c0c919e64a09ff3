"""`bastion scan --list-rules` and `--explain ID`: the rules' documentation, for a terminal."""

from __future__ import annotations

from bastion.code.rule import RuleSpec, load_rules
from bastion.errors import InputError
from bastion.ruledoc import render


def list_rules(pack: str = "security") -> str:
    """A table of the rules: ID, name (for `# nosec name`), severity, confidence and CWE."""
    rules = load_rules(pack)
    width = max((len(spec.name) for spec in rules.values()), default=4)
    lines = [f"{'ID':<6} {'NAME':<{width}} {'SEVERITY':<8} {'CONFIDENCE':<10} CWE"]
    for spec in rules.values():
        cwe = f"CWE-{spec.cwe}" if spec.cwe else "-"
        lines.append(
            f"{spec.id:<6} {spec.name:<{width}} {spec.severity.label:<8} "
            f"{spec.confidence.label:<10} {cwe}"
        )
    lines.append(f"\n{len(rules)} rules. `bastion scan --explain ID` tells more about one.")
    return "\n".join(lines) + "\n"


def rules_json(pack: str = "security") -> str:
    """`--list-rules --format json`: one object per rule (what `--list-rules` shows, plus
    the summary and references), for tools that build on the rule set."""
    import json

    rules = [
        {
            "id": spec.id,
            "name": spec.name,
            "severity": spec.severity.label,
            "confidence": spec.confidence.label,
            "cwe": f"CWE-{spec.cwe}" if spec.cwe else None,
            "summary": spec.summary,
            "references": list(spec.references),
        }
        for spec in load_rules(pack).values()
    ]
    return json.dumps({"rules": rules}, indent=2)


def explain_rule(rule_id: str, pack: str = "security") -> str:
    """The rule's docstring as plain text, with its severity, confidence and CWE."""
    spec = find_rule(rule_id, pack)
    if spec is None:
        raise InputError(f"unknown rule {rule_id!r}; `bastion scan --list-rules` lists the rules")
    return render(spec.ruledoc())


def find_rule(rule_id: str, pack: str = "security") -> RuleSpec | None:
    """A rule by its ID (`B602`, any case) or its name (`subprocess_popen_with_shell_equals_true`,
    the name `# nosec` accepts too)."""
    rules = load_rules(pack)
    wanted = rule_id.strip()
    spec = rules.get(wanted.upper())
    if spec is None:
        spec = next((s for s in rules.values() if s.name == wanted), None)
    return spec
