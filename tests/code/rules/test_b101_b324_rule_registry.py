"""The registry entries of rules B101-B324, as bandit 1.9 has them, and their examples parse."""

from __future__ import annotations

import ast
import re
import textwrap

import pytest

from bastion.code.rule import load_rules
from bastion.findings import Confidence, Severity

RULES = load_rules()

H, M, L = Severity.HIGH, Severity.MEDIUM, Severity.LOW
# id: (bandit name, default severity, default confidence, CWE), as bandit 1.9 has them.
EXPECTED = {
    "B101": ("assert_used", L, Confidence.HIGH, 703),
    "B102": ("exec_used", M, Confidence.HIGH, 78),
    "B103": ("set_bad_file_permissions", M, Confidence.HIGH, 732),
    "B104": ("hardcoded_bind_all_interfaces", M, Confidence.MEDIUM, 605),
    "B105": ("hardcoded_password_string", L, Confidence.MEDIUM, 259),
    "B106": ("hardcoded_password_funcarg", L, Confidence.MEDIUM, 259),
    "B107": ("hardcoded_password_default", L, Confidence.MEDIUM, 259),
    "B108": ("hardcoded_tmp_directory", M, Confidence.MEDIUM, 377),
    "B110": ("try_except_pass", L, Confidence.HIGH, 703),
    "B112": ("try_except_continue", L, Confidence.HIGH, 703),
    "B113": ("request_without_timeout", M, Confidence.LOW, 400),
    "B201": ("flask_debug_true", H, Confidence.MEDIUM, 94),
    "B202": ("tarfile_unsafe_members", H, Confidence.HIGH, 22),
    "B301": ("pickle", M, Confidence.HIGH, 502),
    "B302": ("marshal", M, Confidence.HIGH, 502),
    "B303": ("md5", M, Confidence.HIGH, 327),
    "B304": ("ciphers", H, Confidence.HIGH, 327),
    "B305": ("cipher_modes", M, Confidence.HIGH, 327),
    "B306": ("mktemp_q", M, Confidence.HIGH, 377),
    "B307": ("eval", M, Confidence.HIGH, 78),
    "B308": ("mark_safe", M, Confidence.HIGH, 79),
    "B310": ("urllib_urlopen", M, Confidence.HIGH, 22),
    "B311": ("random", L, Confidence.HIGH, 330),
    "B312": ("telnetlib", H, Confidence.HIGH, 319),
    "B313": ("xml_bad_cElementTree", M, Confidence.HIGH, 20),
    "B314": ("xml_bad_ElementTree", M, Confidence.HIGH, 20),
    "B315": ("xml_bad_expatreader", M, Confidence.HIGH, 20),
    "B316": ("xml_bad_expatbuilder", M, Confidence.HIGH, 20),
    "B317": ("xml_bad_sax", M, Confidence.HIGH, 20),
    "B318": ("xml_bad_minidom", M, Confidence.HIGH, 20),
    "B319": ("xml_bad_pulldom", M, Confidence.HIGH, 20),
    "B321": ("ftplib", H, Confidence.HIGH, 319),
    "B323": ("unverified_context", M, Confidence.HIGH, 295),
    "B324": ("hashlib", H, Confidence.HIGH, 327),
}
# Removed from bandit (or never shipped) by 1.9: nothing to register.
ABSENT = ("B109", "B111", "B309", "B320", "B322")


@pytest.mark.parametrize("rule_id", sorted(EXPECTED))
def test_registered_like_bandit(rule_id: str) -> None:
    spec = RULES[rule_id]
    assert (spec.name, spec.severity, spec.confidence, spec.cwe) == EXPECTED[rule_id]
    assert spec.pack == "security"


@pytest.mark.parametrize("rule_id", ABSENT)
def test_removed_bandit_ids_are_absent(rule_id: str) -> None:
    assert rule_id not in RULES


@pytest.mark.parametrize("rule_id", sorted(EXPECTED))
def test_documentation_examples_are_python(rule_id: str) -> None:
    blocks = re.findall(r"```python\n(.*?)```", RULES[rule_id].doc, flags=re.DOTALL)
    assert len(blocks) == 2
    for block in blocks:
        ast.parse(textwrap.dedent(block))
