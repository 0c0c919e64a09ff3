"""docs/scan.md stays true: its rules table lists every rule with the registry's facts."""

from __future__ import annotations

import re
from pathlib import Path

from bastion.code.rule import load_rules

DOC = Path(__file__).resolve().parents[2] / "docs" / "scan.md"
ROW = re.compile(r"^\| (B\d{3}) \| `([a-z0-9_A-Z]+)` \| (\w+) \| (\w+) \| (CWE-\d+|-) \| (.+) \|$")


def test_the_rules_table_matches_the_registry() -> None:
    rows = [ROW.match(line) for line in DOC.read_text(encoding="utf-8").splitlines()]
    table = {m.group(1): m.groups()[1:] for m in rows if m is not None}
    expected = {
        spec.id: (
            spec.name,
            spec.severity.label,
            spec.confidence.label,
            f"CWE-{spec.cwe}" if spec.cwe else "-",
        )
        for spec in load_rules().values()
    }
    assert {rule_id: facts[:4] for rule_id, facts in table.items()} == expected
    assert all(facts[4].strip() for facts in table.values())
