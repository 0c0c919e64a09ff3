"""The docstrings of B401-B415, B501-B509, B601-B615 and B701-B704 are their documentation.

`bastion scan --explain ID` shows them, so each must have the ruff-style sections, in order,
with python examples, and the rule must carry bandit's name and a CWE.
"""

from __future__ import annotations

import inspect
import re

import pytest

from bastion.code.rule import load_rules

RULES = load_rules()
MINE = sorted(
    rid
    for rid in RULES
    if re.fullmatch(r"B4(0[1-9]|1[0-5])|B50[1-9]|B6(0[1-9]|1[0-5])|B70[1-4]", rid)
)
REQUIRED = ["## What it does", "## Why is this bad?", "## Example", "## Use instead"]
OPTIONAL = "## Differences from bandit"


def test_every_bandit_id_of_the_ranges_is_present() -> None:
    expected = [f"B4{n:02d}" for n in range(1, 16) if n not in (10, 14)]  # removed in bandit
    expected += [f"B50{n}" for n in range(1, 10)]
    expected += [f"B6{n:02d}" for n in range(1, 16)]
    expected += [f"B70{n}" for n in range(1, 5)]
    assert expected == MINE


@pytest.mark.parametrize("rule_id", MINE)
def test_docstring_sections(rule_id: str) -> None:
    doc = inspect.cleandoc(RULES[rule_id].doc)
    summary, _, body = doc.partition("\n")
    assert summary.endswith("."), summary
    assert summary.count(". ") == 0, "the summary is one sentence"
    headings = [line for line in body.splitlines() if line.startswith("## ")]
    assert headings[:4] == REQUIRED
    assert headings[4:] in ([], [OPTIONAL])
    for section in ("## Example", "## Use instead"):
        text = body.split(section, 1)[1].split("\n## ", 1)[0].strip()
        assert text.startswith("```python\n"), f"{section} needs a python block"
        assert text.endswith("```")


@pytest.mark.parametrize("rule_id", MINE)
def test_rule_metadata(rule_id: str) -> None:
    spec = RULES[rule_id]
    assert spec.cwe is not None
    assert re.fullmatch(r"[a-z0-9_]+", spec.name)
    assert spec.pack == "security"
