from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

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


def test_every_audited_dependency_is_listed_with_its_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from support.cli import enter_empty_project, import_records, run

    enter_empty_project(tmp_path, monkeypatch)
    affected = {
        "package": {"ecosystem": "PyPI", "name": "demo"},
        "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0"}]}],
    }
    record = {"id": "PYSEC-1", "modified": "2024-01-01T00:00:00Z", "affected": [affected]}
    import_records(tmp_path, {"PYSEC-1.json": json.dumps(record)})
    Path("requirements.txt").write_text("demo==1.0\nsafe==3.0\nloose>=1\n")
    _code, out, _err = run(capsys, "audit", "--format", "json")
    listed = {d["name"]: d for d in json.loads(out)["dependencies"]}
    assert listed["demo"]["findings"] == ["PYSEC-1"]
    assert {k: v for k, v in listed["safe"].items() if k != "declared_at"} == {
        "name": "safe",
        "version": "3.0",
        "direct": True,
        "findings": [],
    }
    assert listed["safe"]["declared_at"]["line"] == 2
    assert listed["loose"]["version"] is None
