"""Matching pinned versions against the fixture database, with fixes and upgrades."""

from __future__ import annotations

import pytest

from bastion.advisories.importer import ImportResult
from bastion.advisories.local import match_pins
from bastion.advisories.matching import InvalidInstalledVersion, match_package
from bastion.advisories.records import PackageResult
from bastion.advisories.store import Store


def _match(name: str, version: str) -> PackageResult:
    """The store's fast path, checked against the reference evaluation of the same data."""
    with Store.open() as store:
        fast = match_pins(store, [(name, version)])[name, version]
        reference = match_package(name, version, store.lookup([name])[name])
    assert fast == reference
    return fast


def _summary(result: PackageResult) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    return [(v.group.primary.id, v.group.aliases, v.fix_versions) for v in result.vulnerabilities]


def test_one_finding_per_vulnerability_with_fixes(fixture_db: ImportResult) -> None:
    result = _match("demo", "1.1")
    assert _summary(result) == [
        ("PYSEC-2099-1", ("CVE-2099-0001", "GHSA-aaaa-bbbb-cccc"), ("1.2", "2.0.3")),
        ("PYSEC-2099-2", ("CVE-2099-0002",), ()),
        ("PYSEC-2099-3", ("CVE-2099-0003", "GHSA-shar-edsh-ared"), ("1.3",)),
        ("PYSEC-2099-4", ("CVE-2099-0004", "GHSA-shar-edsh-ared"), ("1.3",)),
        ("PYSEC-2099-5", ("CVE-2099-0005", "GHSA-chai-nnnn-aaaa", "OSV-2099-6"), ("1.4",)),
    ]
    # 1.2, 1.3 and 1.4 are inside PYSEC-2099-2 (1.0 to 1.5 inclusive): 2.0.3 is the first
    # fixed version no advisory of demo affects.
    assert result.upgrade == "2.0.3"


def test_range_boundaries(fixture_db: ImportResult) -> None:
    assert [v.group.primary.id for v in _match("demo", "1.5").vulnerabilities] == [
        "PYSEC-2099-2"  # last_affected 1.5 is affected
    ]
    assert _match("demo", "1.5.1").vulnerabilities == ()
    assert [v.group.primary.id for v in _match("demo", "2.0.2").vulnerabilities] == [
        "GHSA-aaaa-bbbb-cccc"
    ]
    assert _match("demo", "2.0.3").vulnerabilities == ()  # fixed is not affected
    assert [v.group.primary.id for v in _match("demo", "3.4").vulnerabilities] == ["PYSEC-2099-9"]
    assert _match("demo", "3.5").vulnerabilities == ()  # limit


def test_withdrawn_records_are_never_reported(fixture_db: ImportResult) -> None:
    ids = {i for v in _match("demo", "0.1").vulnerabilities for i in v.group.records[0].ids}
    assert "PYSEC-2099-8" not in ids


def test_explicit_versions_and_name_normalization(fixture_db: ImportResult) -> None:
    result = _match("other-pkg", "0.5")
    assert _summary(result) == [("PYSEC-2099-10", (), ())]
    assert result.upgrade is None
    assert _match("other-pkg", "0.7").vulnerabilities == ()


def test_malicious_release(fixture_db: ImportResult) -> None:
    result = _match("evil-pkg", "0.0.1")
    (vulnerability,) = result.vulnerabilities
    assert vulnerability.group.primary.malicious
    assert vulnerability.group.primary.cwe == ("CWE-506",)
    assert result.upgrade is None


def test_an_invalid_pinned_version_is_refused(fixture_db: ImportResult) -> None:
    with Store.open() as store:
        with pytest.raises(InvalidInstalledVersion):
            match_package("demo", "1.0-custom build", store.lookup(["demo"])["demo"])
        assert match_pins(store, [("demo", "1.0-custom build")]) == {}


def test_unknown_package_has_no_findings(fixture_db: ImportResult) -> None:
    assert _match("nothing-here", "1.0") == PackageResult("nothing-here", "1.0", (), None)


def test_real_ghsa_and_malicious_records(cache_dir: object) -> None:
    from pathlib import Path

    from bastion.advisories.importer import import_path
    from bastion.findings import Severity

    real = Path(__file__).resolve().parents[1] / "fixtures" / "advisories" / "real"
    assert import_path(real, []).info.records == 3
    (ghsa,) = _match("py", "1.11.0").vulnerabilities  # last_affected: 1.11.0
    assert ghsa.group.primary.id == "GHSA-w596-4wvx-j9j6"
    assert ghsa.group.aliases == ("CVE-2022-42969",)
    assert (ghsa.group.primary.severity, ghsa.group.primary.score) == (Severity.MEDIUM, 5.3)
    assert ghsa.affected_functions == (
        "py._path.svnurl.InfoSvnCommand",
        "py._path.svnurl.InfoSvnCommand.lspattern",
    )
    assert _match("py", "1.11.1").vulnerabilities == ()
    for name, version, ident in (
        ("3web-py", "1.0.0", "MAL-2024-9934"),
        ("0requests", "0.0.1", "MAL-2026-15859"),
    ):
        (mal,) = _match(name, version).vulnerabilities
        assert mal.group.primary.id == ident
        assert mal.group.primary.malicious
        assert mal.group.primary.severity == Severity.CRITICAL
