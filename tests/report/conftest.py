"""A small, fixed run result exercising every part of the report model."""

from __future__ import annotations

import datetime as dt

import pytest

from bastion.findings import (
    Confidence,
    Diagnostic,
    EvidenceStep,
    Finding,
    Location,
    PackageRef,
    Severity,
)
from bastion.policy import Ignore
from bastion.report import RunResult

REQ = Location("requirements.txt", 3)


def vuln(rule_id: str, severity: Severity, fixed: str, *aliases: str) -> Finding:
    return Finding(
        rule_id=rule_id,
        check="audit",
        title=f"Problem {rule_id}",
        severity=severity,
        location=REQ,
        package=PackageRef("django", "3.2.0", declared_at=REQ),
        aliases=aliases,
        description="A long description.\nSecond line.",
        fix="upgrade django to 3.2.25 (fixes all 2 findings for django)",
        fix_versions=(fixed,),
        references=("https://example.invalid/advisory",),
        cwe=("CWE-89",),
        cvss_vector="CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        cvss_score=9.8 if severity is Severity.CRITICAL else None,
    )


@pytest.fixture
def result() -> RunResult:
    sink = Location("app.py", 12, 5, 12, 40, "subprocess.run(cmd, shell=True)")
    code = Finding(
        rule_id="B602",
        check="scan",
        title="subprocess call with shell=True",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        location=sink,
        cwe=("CWE-78",),
        evidence=(
            EvidenceStep(Location("app.py", 8, 11), "request.args is untrusted"),
            EvidenceStep(Location("app.py", 9, 5), "cmd = 'ls ' + name"),
            EvidenceStep(sink, "reaches subprocess.run(shell=True)"),
        ),
        fingerprint="abc123",
    )
    ignored = vuln("PYSEC-2021-1", Severity.LOW, "3.2.1")
    return RunResult(
        command="check",
        findings=[
            vuln(
                "GHSA-aaaa-bbbb-cccc", Severity.CRITICAL, "3.2.4", "CVE-2021-1111", "PYSEC-2021-9"
            ),
            vuln("GHSA-dddd-eeee-ffff", Severity.MEDIUM, "3.2.5"),
            code,
        ],
        ignored=[(ignored, Ignore("PYSEC-2021-1", "not reachable", dt.date(2027, 1, 1)))],
        diagnostics=[Diagnostic("requests: not pinned (>=2), cannot be audited exactly", REQ)],
        data_status=["advisories: local database, 3 records"],
        inputs=["requirements.txt"],
        checks=["audit", "scan"],
        stats={"dependencies": 7},
        fail_on=Severity.LOW,
        failed=True,
    )
