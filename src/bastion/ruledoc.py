"""The documentation contract of every rule of every check, and its rendering for a terminal.

Every finding bastion emits carries a stable rule ID, and every rule documents itself the way
ruff's rules do: a one-sentence summary, then the sections `## What it does`,
`## Why is this bad?`, `## Example` and `## Use instead` (the last two with a code block),
and, where bastion deliberately behaves differently from the tool users know, a
`## Differences from <tool>` section. Facts beside the text: severity, confidence, CWE,
references. Code rules write it as their docstring; other checks as module docstrings of
their rule modules. `bastion explain ID` renders any of them (`render`), SARIF carries them as
rule help, and one test (`tests/test_rule_docs.py`) holds every rule of every check to the
contract (`problems`).
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

from bastion.findings import Confidence, Severity

SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "## Use instead")
DIFFERENCES = "## Differences from "
_CODE_SECTIONS = ("## Example", "## Use instead")


@dataclass(frozen=True, slots=True)
class RuleDoc:
    """One rule's identity and documentation, whatever check it belongs to."""

    id: str
    name: str
    check: str
    doc: str
    severity: Severity | None = None
    confidence: Confidence | None = None
    cwe: int | None = None
    references: tuple[str, ...] = ()

    @property
    def summary(self) -> str:
        """The first line of the documentation."""
        return self.doc.strip().splitlines()[0] if self.doc.strip() else self.name


def clean_doc(doc: str | None) -> str:
    """A docstring without its indentation (what `inspect.cleandoc` does, without importing
    `inspect`), so that it reads as Markdown: indented, its sections would be code blocks."""
    if not doc:
        return ""
    first, _, rest = doc.strip("\n").partition("\n")
    body = textwrap.dedent(rest).rstrip()
    return f"{first.strip()}\n{body}" if body.strip() else first.strip()


def problems(rule: RuleDoc) -> list[str]:
    """What keeps a rule's documentation from meeting the contract (empty when it does)."""
    found: list[str] = []
    summary = rule.summary
    if not summary.endswith(".") or summary.startswith("#"):
        found.append(f"the summary is not one sentence ending in a full stop: {summary!r}")
    headings = re.findall(r"^(## .+)$", rule.doc, flags=re.MULTILINE)
    if tuple(headings[:4]) != SECTIONS:
        found.append(f"sections {headings[:4]} are not {list(SECTIONS)}")
    extra = headings[4:]
    if len(extra) > 1 or (extra and not extra[0].startswith(DIFFERENCES)):
        found.append(f"unexpected sections after the four: {extra}")
    for section in _CODE_SECTIONS:
        if section not in rule.doc:
            continue
        text = rule.doc.split(section, 1)[1].split("\n## ", 1)[0].strip()
        if not text.startswith("```") or not text.endswith("```"):
            found.append(f"{section} needs a code block")
    if rule.doc.count("```") % 2:
        found.append("an unclosed code block")
    if not re.fullmatch(r"[a-z0-9_-]+", rule.name, flags=re.IGNORECASE):
        found.append(f"name {rule.name!r} is not an identifier")
    return found


def render(rule: RuleDoc) -> str:
    """The documentation for a terminal: headings as plain lines, prose indented by two
    spaces, code by four, then the facts and references."""
    doc = rule.doc or rule.name
    summary, _, body = doc.partition("\n")
    out = [f"{rule.id}  {rule.name}", summary.strip(), ""]
    facts = []
    if rule.severity is not None:
        facts.append(f"Severity: {rule.severity.label}")
    if rule.confidence is not None:
        facts.append(f"Confidence: {rule.confidence.label}")
    if rule.cwe:
        facts.append(
            f"CWE: CWE-{rule.cwe} (https://cwe.mitre.org/data/definitions/{rule.cwe}.html)"
        )
    out.append("   ".join(facts))
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
    if rule.references:
        out.extend(["", "References", *(f"  {ref}" for ref in rule.references)])
    return "\n".join(out).rstrip() + "\n"


def table(rules: list[RuleDoc]) -> str:
    """One line per rule: ID, name, check, severity, confidence and CWE."""
    id_width = max((len(r.id) for r in rules), default=2)
    name_width = max((len(r.name) for r in rules), default=4)
    check_width = max((len(r.check) for r in rules), default=5)
    lines = [
        f"{'ID':<{id_width}} {'NAME':<{name_width}} {'CHECK':<{check_width}} "
        f"{'SEVERITY':<8} {'CONFIDENCE':<10} CWE"
    ]
    for rule in rules:
        cwe = f"CWE-{rule.cwe}" if rule.cwe else "-"
        severity = rule.severity.label if rule.severity is not None else "-"
        confidence = rule.confidence.label if rule.confidence is not None else "-"
        lines.append(
            f"{rule.id:<{id_width}} {rule.name:<{name_width}} {rule.check:<{check_width}} "
            f"{severity:<8} {confidence:<10} {cwe}"
        )
    return "\n".join(lines) + "\n"
