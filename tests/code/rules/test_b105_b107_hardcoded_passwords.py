"""B105, B106, B107: hardcoded passwords in assignments, call arguments and defaults.

Each case is a snippet, the findings of one rule on it as (line, severity, confidence), and
what bandit 1.9.4 reported for that rule on the same snippet ("same" = identical findings).
"""

from __future__ import annotations

import pytest

from bastion.code.engine import analyze_source
from support.rules import RULES, Case, found

CASES = [
    # --- B105 hardcoded_password_string ---
    Case(
        "B105",
        """
        password = "hunter2"
        DB_PASSWORD = "s3cr3t"
        class Settings:
            api_token = "abc123"
        def setup(self):
            self.secret = "xyz"
        config["db_passwd"] = "pw"
        """,
        (
            (2, "LOW", "MEDIUM"),
            (3, "LOW", "MEDIUM"),
            (5, "LOW", "MEDIUM"),
            (7, "LOW", "MEDIUM"),
            (8, "LOW", "MEDIUM"),
        ),
    ),
    Case(
        "B105",
        """
        AUTH = {"user": "admin", "password": "admin"}
        if password == "root":
            pass
        if user.pwd == "letmein":
            pass
        """,
        ((2, "LOW", "MEDIUM"), (3, "LOW", "MEDIUM"), (5, "LOW", "MEDIUM")),
    ),
    Case(
        "B105",
        """
        password: str = "hunter2"
        if "root" == password:
            pass
        """,
        ((2, "LOW", "MEDIUM"), (3, "LOW", "MEDIUM")),
        "none: bandit sees neither annotated assignments nor reversed comparisons",
    ),
    Case(
        "B105",
        """
        password = ""
        settings = {"password": None}
        """,
        (),
        "LOW/MEDIUM lines 2 and 3: bandit reports the empty string and the None value",
    ),
    Case(
        "B105",
        """
        password = os.environ["PASSWORD"]
        tokenizer = "bert"
        passenger = "Ann"
        user, password = "a", "b"
        value = config["password"]
        if password == expected:
            pass
        if "://" not in token and "@" in password:
            pass
        """,
        (),
        "none; bandit reports nothing here either (it reads `name op literal` only)",
    ),
    # --- B106 hardcoded_password_funcarg ---
    Case(
        "B106",
        """
        connect(host="db", user="app", password="hunter2")
        client = Client(
            api_token="t0ken",
        )
        """,
        ((2, "LOW", "MEDIUM"), (4, "LOW", "MEDIUM")),
    ),
    Case(
        "B106",
        'connect(password="")\n',
        (),
        "LOW/MEDIUM line 1: bandit reports the empty string",
    ),
    Case(
        "B106",
        'connect(password=pw, user="admin")\nload(tokenizer="bert", **options)\n',
        (),
        "none",
    ),
    # --- B107 hardcoded_password_default ---
    Case(
        "B107",
        """
        def connect(host, user="app", password="hunter2"):
            pass
        def login(a, /, b, secret="s3"):
            pass
        """,
        ((2, "LOW", "MEDIUM"), (4, "LOW", "MEDIUM")),
    ),
    Case(
        "B107",
        """
        def connect(host, *, token="t0ken"):
            pass
        async def login(password="hunter2"):
            pass
        """,
        ((2, "LOW", "MEDIUM"), (4, "LOW", "MEDIUM")),
        "none: bandit skips keyword-only parameters and async functions",
    ),
    Case(
        "B107",
        """
        def connect(password=None, user="admin"):
            pass
        """,
        (),
        "none",
    ),
    Case(
        "B107",
        """
        def connect(password=""):
            pass
        """,
        (),
        "LOW/MEDIUM line 2: bandit reports the empty string",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.rule}-{i}" for i, c in enumerate(CASES)])
def test_rule_findings(case: Case) -> None:
    assert found(case) == case.expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("password", True),
        ("PASSWORD", True),
        ("db_password", True),
        ("password_hash", True),
        ("old_passwd_file", True),
        ("pwd", True),
        ("passphrase", True),
        ("api_token", True),
        ("secret", True),
        ("secrete", True),
        ("tokenizer", False),
        ("passenger", False),
        ("dbPassword", False),
        ("secretary", False),
        ("bypass", False),
    ],
)
def test_password_like_names(name: str, expected: bool) -> None:
    from bastion.code.rules.passwords import looks_like_password

    assert looks_like_password(name) is expected


def test_b107_reports_at_the_default_value() -> None:
    source = "def f(\n    user,\n    password='x',\n):\n    pass\n"
    findings = analyze_source("d.py", source, {"B107": RULES["B107"]})
    assert [(f.location.line, f.location.column) for f in findings if f.location] == [(3, 14)]
