from __future__ import annotations

import json
from importlib import resources

import jsonschema

from bastion.report import RunResult, render


def schema() -> dict[str, object]:
    text = resources.files("bastion.report").joinpath("schema/report-1.json").read_text()
    loaded: dict[str, object] = json.loads(text)
    return loaded


def test_json_report_validates_against_its_published_schema(result: RunResult) -> None:
    data = json.loads(render("json", result))
    jsonschema.Draft202012Validator(schema()).validate(data)


def test_json_report_carries_every_field(result: RunResult) -> None:
    data = json.loads(render("json", result))
    assert data["schema_version"] == "1.2"
    assert data["failed"] is True
    assert data["summary"] == {
        "findings": 3,
        "by_severity": {"critical": 1, "high": 1, "medium": 1, "low": 0, "unknown": 0},
        "ignored": 1,
        "stats": {"dependencies": 7},
    }
    first = data["findings"][0]
    assert first["id"] == "GHSA-aaaa-bbbb-cccc"
    assert first["aliases"] == ["CVE-2021-1111", "PYSEC-2021-9"]
    assert first["package"]["declared_at"]["line"] == 3
    assert first["package"]["also_declared_at"] == []
    assert first["cvss"]["score"] == 9.8
    code = data["findings"][2]
    assert [step["location"]["line"] for step in code["evidence"]] == [8, 9, 12]
    assert data["ignored"][0]["ignored_by"] == {
        "id": "PYSEC-2021-1",
        "reason": "not reachable",
        "expires": "2027-01-01",
    }


def test_empty_json_report_is_valid() -> None:
    data = json.loads(render("json", RunResult(command="audit")))
    jsonschema.Draft202012Validator(schema()).validate(data)
    assert data["findings"] == []
