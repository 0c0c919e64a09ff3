"""B324 hashlib: weak hashlib algorithms and weak crypt methods.

Each case is a snippet, the findings of one rule on it as (line, severity, confidence), and
what bandit 1.9.4 reported for that rule on the same snippet ("same" = identical findings).
"""

from __future__ import annotations

import pytest

from bastion.code.engine import analyze_source
from support.rules import RULES, Case, found

CASES = [
    Case(
        "B324",
        """
        import hashlib
        from hashlib import md5
        hashlib.md5(data)
        hashlib.sha1()
        md5(data).hexdigest()
        hashlib.md5(data, usedforsecurity=True)
        """,
        ((4, "HIGH", "HIGH"), (5, "HIGH", "HIGH"), (6, "HIGH", "HIGH"), (7, "HIGH", "HIGH")),
    ),
    Case(
        "B324",
        """
        import hashlib
        hashlib.new("MD5")
        hashlib.new(name="sha1", data=payload)
        hashlib.new("md4", payload)
        """,
        ((3, "HIGH", "HIGH"), (4, "HIGH", "HIGH"), (5, "HIGH", "HIGH")),
    ),
    Case(
        "B324",
        """
        import crypt
        crypt.crypt(word, crypt.METHOD_MD5)
        crypt.mksalt(crypt.METHOD_CRYPT)
        crypt.mksalt(method=crypt.METHOD_BLOWFISH)
        """,
        ((3, "MEDIUM", "HIGH"), (4, "MEDIUM", "HIGH"), (5, "MEDIUM", "HIGH")),
    ),
    Case(
        "B324",
        """
        import crypt, hashlib
        hashlib.md5(data, usedforsecurity=False)
        hashlib.sha256(data)
        hashlib.new("sha256")
        hashlib.new(algorithm)
        crypt.mksalt(crypt.METHOD_SHA512)
        crypt.crypt(word)
        """,
        (),
        "none",
    ),
    Case(
        "B324",
        "hashlib = Hashing()\nhashlib.md5(data)\n",
        (),
        "HIGH/HIGH line 2: hashlib is a local object, not the module",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.rule}-{i}" for i, c in enumerate(CASES)])
def test_rule_findings(case: Case) -> None:
    assert found(case) == case.expected


def test_message_names_the_algorithm() -> None:
    findings = analyze_source("h.py", 'import hashlib\nhashlib.new("Md5")\n', RULES)
    assert [f.title for f in findings if f.rule_id == "B324"] == [
        "weak MD5 hash used for security: pick SHA-256 or better, or pass usedforsecurity=False"
    ]
