"""Reading OSV records (JSON and YAML) into the model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bastion.advisories.importer import parse_bytes
from bastion.advisories.model import RecordError, parse_record, rfc3339
from bastion.findings import Diagnostic

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "advisories"


def test_yaml_record_fields_timestamps_and_unquoted_numbers() -> None:
    path = FIXTURES / "records" / "demo" / "PYSEC-2099-1.yaml"
    diagnostics: list[Diagnostic] = []
    record = parse_bytes(path.read_bytes(), str(path), diagnostics)
    assert diagnostics == []
    assert record is not None
    assert record.id == "PYSEC-2099-1"
    assert record.aliases == ("CVE-2099-0001", "GHSA-aaaa-bbbb-cccc")
    # An unquoted YAML timestamp and a space-separated one both become RFC 3339 UTC strings.
    assert record.modified == "2099-01-02T03:04:05Z"
    assert record.published == "2099-01-01T00:00:00Z"
    (entry,) = record.affected
    assert (entry.ecosystem, entry.name) == ("PyPI", "demo")  # "Demo", PEP 503 normalized
    # `- 1.1` unquoted stays the text "1.1", not a float.
    assert entry.versions == ("1.0", "1.1")
    assert [(e.kind, e.version) for e in entry.ranges[0].events] == [
        ("introduced", "0"),
        ("fixed", "1.2"),
    ]
    assert [r.type for r in record.references] == ["WEB", "ADVISORY"]


def test_unquoted_yaml_number_keeps_its_digits() -> None:
    text = b"id: X-1\naffected:\n- package: {name: a, ecosystem: PyPI}\n  versions: [1.10, 2]\n"
    record = parse_bytes(text, "x.yaml", [])
    assert record is not None
    assert record.affected[0].versions == ("1.10", "2")


def test_json_record_with_everything_a_report_needs() -> None:
    path = FIXTURES / "real" / "GHSA-w596-4wvx-j9j6.json"
    record = parse_record(json.loads(path.read_text()))
    assert record.id == "GHSA-w596-4wvx-j9j6"
    assert record.summary == "ReDoS in py library when used with subversion "
    assert record.severity[0].type == "CVSS_V3"
    assert record.cwe_ids == ("CWE-1333",)
    assert record.database_severity == "MODERATE"
    assert record.affected[0].affected_functions == (
        "py._path.svnurl.InfoSvnCommand.lspattern",
        "py._path.svnurl.InfoSvnCommand",
    )
    assert record.is_malicious is False


def test_malicious_records_are_recognised() -> None:
    for name in ("MAL-2024-9934.json", "MAL-2026-15859.json"):
        record = parse_record(json.loads((FIXTURES / "real" / name).read_text()))
        assert record.is_malicious
    mal = parse_record(json.loads((FIXTURES / "real" / "MAL-2026-15859.json").read_text()))
    assert mal.cwe_ids == ("CWE-506",)
    assert mal.affected[0].versions == ("0.0.1",)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-12-11T09:27:52.860059101Z", "2025-12-11T09:27:52.860059Z"),
        ("2021-07-15T04:22:07+02:00", "2021-07-15T02:22:07Z"),
        ("2021-07-15", "2021-07-15T00:00:00Z"),
        (None, None),
    ],
)
def test_rfc3339(value: str | None, expected: str | None) -> None:
    assert rfc3339(value) == expected


def test_bad_parts_are_dropped_with_a_warning() -> None:
    warnings: list[str] = []
    record = parse_record(
        {
            "id": "X-2",
            "affected": [
                {
                    "package": {"ecosystem": "PyPI", "name": "a"},
                    "ranges": [
                        {
                            "type": "ECOSYSTEM",
                            "events": [
                                {"introduced": "0", "fixed": "1"},
                                {"frobbed": "1"},
                                {"fixed": 1.5},
                                {"fixed": "2"},
                            ],
                        }
                    ],
                }
            ],
        },
        warnings.append,
    )
    assert [(e.kind, e.version) for e in record.affected[0].ranges[0].events] == [("fixed", "2")]
    assert len(warnings) == 3
    assert "exactly one key" in warnings[0]
    assert "unknown event 'frobbed'" in warnings[1]
    assert "1.5 is not a string" in warnings[2]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([1, 2], "not an OSV record"),
        ({"affected": []}, "record has no id"),
        ({"id": "X", "affected": {}}, "affected must be a list"),
        ({"id": "X", "modified": "yesterday"}, "modified is not a timestamp"),
    ],
)
def test_unusable_records_raise(data: object, message: str) -> None:
    with pytest.raises(RecordError, match=message):
        parse_record(data)


def test_broken_files_become_located_warnings() -> None:
    broken = FIXTURES / "broken"
    diagnostics: list[Diagnostic] = []
    assert parse_bytes((broken / "bad.yaml").read_bytes(), "bad.yaml", diagnostics) is None
    assert parse_bytes((broken / "bad.json").read_bytes(), "bad.json", diagnostics) is None
    assert parse_bytes((broken / "noid.json").read_bytes(), "noid.json", diagnostics) is None
    assert [(d.location.path, d.location.line) for d in diagnostics if d.location] == [
        ("bad.yaml", 4),
        ("bad.json", 2),
        ("noid.json", None),
    ]
    assert diagnostics[0].message.startswith("skipped: not valid YAML")
    assert diagnostics[1].message.startswith("skipped: not valid JSON")
    assert diagnostics[2].message == "skipped: record has no id"
