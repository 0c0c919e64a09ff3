"""A fix version that is itself affected by another advisory says so, in every format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support.cli import enter_empty_project, import_records, run


def record(ident: str, introduced: str, fixed: str) -> str:
    return json.dumps(
        {
            "id": ident,
            "modified": "2024-05-01T00:00:00Z",
            "summary": f"problem {ident}",
            "affected": [
                {
                    "package": {"ecosystem": "PyPI", "name": "chain"},
                    "ranges": [
                        {
                            "type": "ECOSYSTEM",
                            "events": [{"introduced": introduced}, {"fixed": fixed}],
                        }
                    ],
                }
            ],
        }
    )


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = enter_empty_project(tmp_path, monkeypatch)
    import_records(
        tmp_path,
        {
            "PYSEC-1.json": record("PYSEC-1", "0", "2.1.1"),
            "PYSEC-2.json": record("PYSEC-2", "2.1.0", "2.1.2"),
        },
    )
    (folder / "requirements.txt").write_text("chain==2.0\n")
    return folder


NOTE = (
    "2.1.1 fixes this one but is itself affected by another advisory of chain; 2.1.2 is the "
    "smallest version that fixes all"
)


@pytest.mark.parametrize("fmt", ["json", "markdown", "sarif"])
def test_the_note_is_in_every_format(
    project: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    code, out, _err = run(capsys, "audit", "--offline", "-f", fmt)
    assert code == 1
    assert NOTE in out.replace("\\|", "|")


def test_the_text_report_says_it_short_beside_the_fix_for_all(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = run(capsys, "audit", "--offline")
    assert code == 1
    assert "  fix: upgrade chain to 2.1.2 (fixes all 2 findings for chain)" in out or (
        "  fix: upgrade chain to 2.1.2" in out
    )
    assert "(fixed in 2.1.1, itself affected by another advisory: upgrade to 2.1.2)" in out


def test_no_note_when_the_first_fix_is_clean(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "requirements.txt").write_text("chain==2.1.1\n")  # PYSEC-2 only; fixed in 2.1.2
    code, out, _err = run(capsys, "audit", "--offline")
    assert code == 1
    assert "itself affected" not in out
