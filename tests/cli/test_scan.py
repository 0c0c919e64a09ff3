"""`bastion scan` as the README shows it: each option through the command line, with the
exact output or exit code a user sees."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from bastion.cli import main

TOOL = """\
import subprocess
import sys


def run(command):
    return subprocess.run(command, shell=True)


def main():
    run("echo " + sys.argv[1])
    subprocess.run("ls -l", shell=True)  # nosec
    subprocess.run(sys.argv[2], shell=True)  # nosec B602 - reviewed
    subprocess.run(sys.argv[3], shell=True)  # nosec B404
    subprocess.run(sys.argv[4], shell=True)  # bastion: ignore[B602]
    eval(sys.argv[5])
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "tool.py").write_text(TOOL)
    monkeypatch.setenv("BASTION_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def scan(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["scan", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def found(out: str) -> list[tuple[str, int, str, str]]:
    report = json.loads(out)
    return [
        (f["id"], f["location"]["line"], f["severity"], f["confidence"]) for f in report["findings"]
    ]


ALL = [
    ("B404", 1, "low", "high"),
    ("B602", 6, "high", "high"),
    ("B602", 13, "high", "high"),
    ("B307", 15, "medium", "high"),
]


def test_default_text_report_with_taint_paths_and_suppressions(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = scan(capsys, ".", "--color", "never")
    assert code == 1
    assert err == ""
    assert out.splitlines()[:12] == [
        "pkg/tool.py",
        "       1:1  LOW      B404  import of `subprocess`: check how this file starts processes"
        "  [confidence: high]",
        "            import subprocess",
        "      6:12  HIGH     B602  subprocess call with shell=True  [confidence: high]",
        "            return subprocess.run(command, shell=True)",
        "            ↳ line 10: command-line arguments (sys.argv)",
        "            ↳ line 10: passed to run() as `command`",
        "            ↳ line 5: parameter `command` of run()",
        "            ↳ line 6: reaches the sink",
        "      13:5  HIGH     B602  subprocess call with shell=True  [confidence: high]",
        "            subprocess.run(sys.argv[3], shell=True)  # nosec B404",
        "            ↳ line 13: command-line arguments (sys.argv)",
    ]
    assert out.splitlines()[-4:] == [
        "  4 findings suppressed by `# nosec` or `# bastion: ignore` comments",
        "",
        "scan: 1 file (1 analysed, 0 of them from the cache of earlier scans), "
        "4 suppressed by comments",
        "4 findings in 1 file (2 high, 1 medium, 1 low, 4 suppressed); fails --fail-on low.",
    ]


def test_nosec_forms(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Bare `# nosec` (line 11), `# nosec B602` (12) and `# bastion: ignore[B602]` (14)
    suppress; `# nosec B404` names another rule and leaves the B602 of line 13."""
    code, out, _ = scan(capsys, ".", "-f", "json")
    assert code == 1
    assert found(out) == ALL
    assert json.loads(out)["summary"]["stats"] == {"files": 1, "suppressed": 4}


def test_select_and_skip(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = scan(capsys, ".", "-f", "json", "--select", "B602,b307")
    assert (code, found(out)) == (1, ALL[1:])
    code, out, _ = scan(capsys, ".", "-f", "json", "--select", "B404", "--select", "B307")
    assert (code, found(out)) == (1, [ALL[0], ALL[3]])
    code, out, _ = scan(capsys, ".", "-f", "json", "--skip", "B602,B404")
    assert (code, found(out)) == (1, [ALL[3]])
    code, out, _ = scan(capsys, ".", "-f", "json", "--skip", "B602,B404,B307")
    assert (code, found(out)) == (0, [])


def test_thresholds_and_fail_on(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = scan(capsys, ".", "-f", "json", "--severity-threshold", "medium")
    assert (code, found(out)) == (1, ALL[1:])
    code, out, _ = scan(capsys, ".", "-f", "json", "--severity-threshold", "high")
    assert (code, found(out)) == (1, ALL[1:3])
    code, out, _ = scan(capsys, ".", "-f", "json", "--fail-on", "high", "--skip", "B602")
    assert (code, found(out)) == (0, [ALL[0], ALL[3]])
    code, out, _ = scan(capsys, ".", "-f", "json", "--fail-on", "medium", "--skip", "B602")
    assert code == 1


def test_confidence_threshold(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "app.py").write_text(
        "import subprocess\ndef f(x, s):\n    subprocess.run(x, shell=s)\n"
    )
    _, out, _ = scan(capsys, str(tmp_path), "-f", "json", "--no-cache")
    assert found(out) == [("B404", 1, "low", "high"), ("B602", 3, "high", "medium")]
    _, out, _ = scan(
        capsys, str(tmp_path), "-f", "json", "--no-cache", "--confidence-threshold", "high"
    )
    assert found(out) == [("B404", 1, "low", "high")]


def test_write_baseline_then_report_only_new_findings(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = scan(capsys, ".", "-f", "json", "--write-baseline", "base.json")
    assert code == 0  # the findings just written are accepted (bandit users expect exit 0)
    assert err == ""
    assert json.loads(out)["summary"]["stats"]["baselined"] == 4
    entries = json.loads((project / "base.json").read_text())["findings"]
    assert [(e["rule_id"], e["path"], e["line"]) for e in entries] == [
        ("B404", "pkg/tool.py", 1),
        ("B602", "pkg/tool.py", 6),
        ("B602", "pkg/tool.py", 13),
        ("B307", "pkg/tool.py", 15),
    ]
    code, out, _ = scan(capsys, ".", "-f", "json", "--baseline", "base.json")
    assert (code, found(out)) == (0, [])
    assert json.loads(out)["summary"]["stats"] == {"files": 1, "suppressed": 4, "baselined": 4}
    # Lines added above keep old findings baselined; a new dangerous line is reported.
    source = "# a new header comment\n\n" + TOOL + "    exec(sys.argv[6])\n"
    (project / "pkg" / "tool.py").write_text(source)
    code, out, _ = scan(capsys, ".", "-f", "json", "--baseline", "base.json")
    assert (code, found(out)) == (1, [("B102", 18, "medium", "high")])


def test_baseline_from_the_configuration(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scan(capsys, ".", "--write-baseline", "base.json")
    (project / "pyproject.toml").write_text('[tool.bastion.scan]\nbaseline = "base.json"\n')
    code, out, _ = scan(capsys, "pkg", "-f", "json")
    assert (code, found(out)) == (0, [])


def test_list_rules_is_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = scan(capsys, "--list-rules")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[:3] == [
        "ID     NAME                                      SEVERITY CONFIDENCE CWE",
        "B101   assert_used                               low      high       CWE-703",
        "B102   exec_used                                 medium   high       CWE-78",
    ]
    assert "B602   subprocess_popen_with_shell_equals_true   high     high       CWE-78" in lines
    assert lines[-1] == "75 rules. `bastion scan --explain ID` tells more about one."


def test_explain_renders_the_docstring_for_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = scan(capsys, "--explain", "B602")
    assert (code, err) == (0, "")
    assert out == textwrap.dedent(
        """\
        B602  subprocess_popen_with_shell_equals_true
        Subprocess call with `shell=True`.

        Severity: high   Confidence: high   CWE: CWE-78 (https://cwe.mitre.org/data/definitions/78.html)

        What it does
          Finds calls of `subprocess.Popen`, `run`, `call`, `check_call` and `check_output` that
          pass a true `shell=` argument. A command built only from literals gives LOW severity;
          anything else HIGH.

        Why is this bad?
          The command string is handed to `/bin/sh`, which interprets metacharacters. If any part
          of it comes from outside the program, an attacker can run commands of their own
          (command injection).

        Example
            subprocess.run(f"tar xf {archive}", shell=True)

        Use instead
            subprocess.run(["tar", "xf", archive])

        Differences from bandit
          - A command passed by keyword (`args=...`) is checked; bandit skips such calls.
          - Any command built only from literals (`["ls", "-l"]`, `"a" + "b"`) gives LOW
            severity, where bandit only lowers it for a single string literal.
          - When `shell=` is a variable rather than a literal, confidence is MEDIUM: the shell may
            not be used at all.
        """
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["missing-folder"], "missing-folder: no such file or directory"),
        (
            ["--explain", "B999"],
            "unknown rule 'B999'; `bastion scan --list-rules` lists the rules",
        ),
        (
            [".", "--select", "B602,B999"],
            "--select: unknown rule ID B999; `bastion scan --list-rules` lists the rules",
        ),
        (
            [".", "--skip", "B998,B999"],
            "--skip: unknown rule IDs B998, B999; `bastion scan --list-rules` lists the rules",
        ),
        ([".", "--select", "shell"], "select: 'shell' is not a rule ID (such as B602)"),
    ],
)
def test_bad_usage_is_one_line_and_exit_2(
    project: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = scan(capsys, *argv)
    assert (code, out) == (2, "")
    assert err.splitlines() == [f"bastion: error: {message}"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{\n  not json\n", "base.json:2: baseline is not valid JSON: Expecting property name"),
        ('{"results": 3}', "base.json: not a baseline: expected one written by"),
        (
            '{"format": "bastion-scan-baseline", "findings": [{"rule_id": "B602"}]}',
            "base.json: baseline entry needs rule_id, path and fingerprint",
        ),
    ],
)
def test_a_malformed_baseline_is_one_line_and_exit_2(
    project: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    (project / "base.json").write_text(text)
    code, out, err = scan(capsys, ".", "--baseline", "base.json")
    assert (code, out) == (2, "")
    (line,) = err.splitlines()
    assert line.startswith(f"bastion: error: {message}")


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            'severity-threshold = "extreme"',
            "pyproject.toml:3: [tool.bastion.scan] severity-threshold: expected one of "
            "low, medium, high, got 'extreme'",
        ),
        ('select = "B602"', "pyproject.toml:3: [tool.bastion.scan] select: expected a list"),
        (
            'select = ["B602", "B999"]',
            "pyproject.toml:3: [tool.bastion.scan] select: unknown rule ID B999; "
            "`bastion scan --list-rules` lists the rules",
        ),
        ("jobs = 0", "pyproject.toml:3: --jobs must be at least 1"),
        (
            "per-path-skips = 3",
            "pyproject.toml:3: [tool.bastion.scan] per-path-skips: expected a table such as "
            '{"tests/**" = ["B101"]}',
        ),
        (
            'per-path-skips = { "tests" = ["B999"] }',
            "pyproject.toml:3: [tool.bastion.scan] per-path-skips: unknown rule ID B999; "
            "`bastion scan --list-rules` lists the rules",
        ),
        ("cache = 1", "pyproject.toml:3: [tool.bastion.scan] cache: expected true or false"),
    ],
)
def test_a_broken_configuration_value_is_one_line_and_exit_2(
    project: Path, capsys: pytest.CaptureFixture[str], table: str, message: str
) -> None:
    (project / "pyproject.toml").write_text(f"[tool.bastion.scan]\n# a comment\n{table}\n")
    code, out, err = scan(capsys, ".")
    assert (code, out) == (2, "")
    assert err.splitlines() == [f"bastion: error: {message}"]
