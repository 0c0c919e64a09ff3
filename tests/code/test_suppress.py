"""`# nosec` and `# bastion: ignore[...]`, matched against bandit 1.9.4's behaviour.

Each case below was run through bandit 1.9.4 with its B602 plugin; the comments say what
bandit did where bastion deliberately differs (see bastion.code.suppress).
"""

from __future__ import annotations

import textwrap

import pytest

from bastion.code.engine import RuleTable, analyze_file
from bastion.code.rule import load_rules
from bastion.code.suppress import Suppression, find_suppressions, parse_comment

RULES = load_rules()
NAMES = {spec.name: spec.id for spec in RULES.values()}


@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        ("# nosec", [Suppression("nosec", None)]),
        ("#nosec", [Suppression("nosec", None)]),
        ("# nosec: B602", [Suppression("nosec", frozenset({"B602"}))]),
        ("# nosec B602, B607", [Suppression("nosec", frozenset({"B602", "B607"}))]),
        ("# nosec B602,B607", [Suppression("nosec", frozenset({"B602", "B607"}))]),
        ("# nosec b602", [Suppression("nosec", frozenset({"B602"}))]),
        (
            "# nosec subprocess_popen_with_shell_equals_true",
            [Suppression("nosec", frozenset({"B602"}))],
        ),
        ("# nosec - reviewed by security", [Suppression("nosec", None)]),
        ("# noqa: E501 # nosec", [Suppression("nosec", None)]),
        ("# NOSEC", []),
        ("# nosecurity", []),
        ("# bastion: ignore[B602]", [Suppression("bastion: ignore", frozenset({"B602"}))]),
        (
            "# bastion: ignore[B602, B404]",
            [Suppression("bastion: ignore", frozenset({"B602", "B404"}))],
        ),
        ("# bastion: ignore", [Suppression("bastion: ignore", None)]),
        ("# just a comment", []),
    ],
)
def test_parse_comment(comment: str, expected: list[Suppression]) -> None:
    assert parse_comment(comment, NAMES) == expected


def test_only_comments_count_not_strings() -> None:
    source = 'x = "# nosec"\ny = 1  # nosec B101\n'
    assert find_suppressions(source, NAMES) == {2: [Suppression("nosec", frozenset({"B101"}))]}
    assert find_suppressions("x = 1\n", NAMES) == {}


def outcome(source: str) -> tuple[list[int], list[tuple[int, str]]]:
    """Lines of reported B602 findings, and (line, comment kind) of suppressed ones."""
    data = textwrap.dedent(source).encode()
    result = analyze_file("s.py", data, RuleTable({"B602": RULES["B602"]}), "s.py")
    reported = [f.location.line for f in result.findings if f.location and f.location.line]
    suppressed = [
        (f.location.line or 0, f.extra["suppressed_by"]) for f in result.suppressed if f.location
    ]
    return reported, suppressed


def test_specific_and_bare_suppressions_on_one_line() -> None:
    reported, suppressed = outcome(
        """
        import subprocess
        def f(cmd):
            subprocess.run(cmd, shell=True)  # nosec
            subprocess.run(cmd, shell=True)  # nosec B602
            subprocess.run(cmd, shell=True)  # nosec B607
            subprocess.run(cmd, shell=True)  # nosec B602,B607
            subprocess.run(cmd, shell=True)  # nosec B999
            subprocess.run(cmd, shell=True)  # bastion: ignore[B602]
            subprocess.run(cmd, shell=True)  # bastion: ignore[B101]
            subprocess.run(cmd, shell=True)
        """
    )
    # bandit 1.9.4 reports lines 6 and 7 (its pattern keeps only the last ID of "B602,B607")
    # and suppresses 8 (an unknown ID acts as a bare nosec); bastion does not.
    assert reported == [6, 8, 10, 11]
    assert suppressed == [(4, "nosec"), (5, "nosec"), (7, "nosec"), (9, "bastion: ignore")]


def test_multi_line_statements() -> None:
    reported, suppressed = outcome(
        """
        import subprocess
        def f(cmd):
            subprocess.run(  # nosec B602
                cmd,
                shell=True,
            )
            subprocess.run(
                cmd,
                shell=True,
            )  # nosec
            result = [
                subprocess.run(cmd, shell=True)
            ]  # nosec
            other = [  # nosec
                subprocess.run(cmd, shell=True)
            ]
            more = [
                1,  # nosec
                subprocess.run(cmd, shell=True),
            ]
        """
    )
    # Lines 4 and 8 match bandit. bandit reports 13 and 16 (the comment is not on the
    # call's own lines); bastion also honours the enclosing statement's first and last line.
    assert reported == [20]
    assert suppressed == [(4, "nosec"), (8, "nosec"), (13, "nosec"), (16, "nosec")]
