from __future__ import annotations

from bastion.findings import Finding, Location, Severity
from bastion.report import RunResult, render


def test_markdown_tables_for_dependencies_and_code(result: RunResult) -> None:
    text = render("markdown", result)
    assert text.startswith("## bastion check\n\n**3 findings** (1 critical, 1 high, 1 medium)")
    assert (
        "| django | 3.2.0 | `GHSA-aaaa-bbbb-cccc`, `CVE-2021-1111`, `PYSEC-2021-9` | "
        "critical | 3.2.4 | Problem GHSA-aaaa-bbbb-cccc |"
    ) in text
    assert "| `app.py:12:5` | `B602` | high | high | subprocess call with shell=True |" in text
    assert "- `PYSEC-2021-1`: not reachable (until 2027-01-01)" in text


def test_markdown_escapes_table_breaking_text() -> None:
    finding = Finding("B1", "scan", "a | b <script>", Severity.LOW, location=Location("x.py", 1))
    text = render("markdown", RunResult(command="scan", findings=[finding]))
    assert "a \\| b &lt;script&gt;" in text


def test_markdown_lists_the_checks_that_did_not_finish() -> None:
    text = render("markdown", RunResult(command="check", errors=["audit: no advisory data"]))
    assert "### Errors (these checks did not complete; the report is incomplete)\n\n" in text
    assert "- audit: no advisory data\n" in text


def test_markdown_counts_one_finding_in_the_singular_and_names_the_inputs(
    result: RunResult,
) -> None:
    one = RunResult(command="audit", findings=result.findings[:1], inputs=["uv.lock"])
    text = render("markdown", one)
    assert text.startswith("## bastion audit\n\n**1 finding** (1 critical); the run passes ")
    assert text.endswith("<sub>inputs: uv.lock</sub>\n")


def test_a_large_report_fits_a_github_comment_worst_first() -> None:
    from bastion.findings import Finding, PackageRef, Severity
    from bastion.report import RunResult, render

    findings = [
        Finding(
            rule_id=f"PYSEC-2024-{i}",
            check="audit",
            title="a long title " * 5,
            severity=Severity.CRITICAL if i == 2999 else Severity.LOW,
            package=PackageRef(f"pkg{i}", "1.0"),
        )
        for i in range(3000)
    ]
    text = render("markdown", RunResult(command="audit", findings=findings))
    assert len(text) < 65_536
    rows = [line for line in text.splitlines() if line.startswith("| pkg")]
    assert rows[0].startswith("| pkg2999 |")  # the worst first
    more = 3000 - len(rows)
    assert f"*… and {more:,} more findings (less severe), left out to fit a comment" in text
