"""B401-B415, B501-B509, B601-B615 and B701-B704 are registered with bandit's names and a CWE.

Their documentation is held to the contract with every other rule in tests/test_rule_docs.py.
"""

from __future__ import annotations

import re

import pytest

from bastion.code.rule import load_rules

RULES = load_rules()
MINE = sorted(
    rid
    for rid in RULES
    if re.fullmatch(r"B4(0[1-9]|1[0-5])|B50[1-9]|B6(0[1-9]|1[0-5])|B70[1-4]", rid)
)


def test_every_bandit_id_of_the_ranges_is_present() -> None:
    expected = [f"B4{n:02d}" for n in range(1, 16) if n not in (10, 14)]  # removed in bandit
    expected += [f"B50{n}" for n in range(1, 10)]
    expected += [f"B6{n:02d}" for n in range(1, 16)]
    expected += [f"B70{n}" for n in range(1, 5)]
    assert expected == MINE


@pytest.mark.parametrize("rule_id", MINE)
def test_rule_metadata(rule_id: str) -> None:
    spec = RULES[rule_id]
    assert spec.cwe is not None
    assert re.fullmatch(r"[a-z0-9_]+", spec.name)
    assert spec.pack == "security"
