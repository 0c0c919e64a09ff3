"""`bastion scan --list-rules` and `--explain ID`: the rules' documentation, for a terminal."""

from __future__ import annotations

from bastion.code.rule import RuleSpec, load_rules
from bastion.errors import InputError


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


def explain_rule(rule_id: str, pack: str = "security") -> str:
    """The rule's docstring as plain text, with its severity, confidence and CWE."""
    rules = load_rules(pack)
    spec = rules.get(rule_id.strip().upper())
    if spec is None:
        raise InputError(f"unknown rule {rule_id!r}; `bastion scan --list-rules` lists the rules")
    return render_doc(spec)


def render_doc(spec: RuleSpec) -> str:
    """The docstring (Markdown, without indentation: see `rule.clean_doc`) for a terminal:
    headings as plain lines, prose indented by two spaces, code by four."""
    doc = spec.doc or spec.name
    summary, _, body = doc.partition("\n")
    out = [f"{spec.id}  {spec.name}", summary.strip(), ""]
    facts = f"Severity: {spec.severity.label}   Confidence: {spec.confidence.label}"
    if spec.cwe:
        facts += f"   CWE: CWE-{spec.cwe} (https://cwe.mitre.org/data/definitions/{spec.cwe}.html)"
    out.append(facts)
    in_code = False
    for line in body.splitlines():
        stripped = line.strip()
        if stripped.startswith("```"):
            in_code = not in_code
            continue
        if in_code:
            out.append(f"    {line}" if line.strip() else "")
        elif stripped.startswith("#"):
            if out[-1] != "":
                out.append("")
            out.append(stripped.lstrip("#").strip())
        elif stripped:
            out.append(f"  {line.rstrip()}")
        elif out[-1] != "":
            out.append("")
    if spec.references:
        out.extend(["", "References", *(f"  {ref}" for ref in spec.references)])
    return "\n".join(out).rstrip() + "\n"
