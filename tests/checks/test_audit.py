"""The audit check: findings for pinned dependencies, warnings, data status, no-data errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from bastion.advisories.importer import import_path
from bastion.advisories.records import NoAdvisoryData
from bastion.checks.audit import CHECK
from bastion.checks.base import CheckContext
from bastion.config import Settings
from bastion.findings import Finding, Location, Severity
from bastion.inventory.model import Dependency, Inventory

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "advisories"


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("BASTION_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def fixture_db(cache_dir: Path) -> Path:
    import_path(FIXTURES / "records", [])
    return cache_dir


def _ctx(deps: list[Dependency], **settings: Any) -> CheckContext:
    values = {"source": "db", "osv_url": "https://api.osv.dev", "offline": False}
    values.update(settings)
    return CheckContext(Path("."), Settings(values=values), _inventory=Inventory(deps))


def _dep(name: str, version: str | None, line: int, specifier: str = "") -> Dependency:
    return Dependency(name, version, Location("requirements.txt", line), specifier=specifier)


def _run(ctx: CheckContext) -> list[Finding]:
    return list(CHECK.run(ctx))


def test_the_check_is_named_audit() -> None:
    assert CHECK.name == "audit"


def test_one_finding_per_vulnerability(fixture_db: Path) -> None:
    ctx = _ctx([_dep("Demo", "1.1", 3)])
    findings = _run(ctx)
    assert [(f.rule_id, f.aliases) for f in findings] == [
        ("PYSEC-2099-1", ("CVE-2099-0001", "GHSA-aaaa-bbbb-cccc")),
        ("PYSEC-2099-2", ("CVE-2099-0002",)),
        ("PYSEC-2099-3", ("CVE-2099-0003", "GHSA-shar-edsh-ared")),
        ("PYSEC-2099-4", ("CVE-2099-0004", "GHSA-shar-edsh-ared")),
        ("PYSEC-2099-5", ("CVE-2099-0005", "GHSA-chai-nnnn-aaaa", "OSV-2099-6")),
    ]
    first = findings[0]
    assert first.check == "audit"
    # The PYSEC record has no summary: the grouped GHSA's is used; its CVSS rates the group.
    assert first.title == "Path traversal in demo"
    assert first.severity == Severity.HIGH
    assert (first.cvss_score, first.cvss_vector) == (
        7.5,
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N",
    )
    assert first.package is not None
    assert (first.package.name, first.package.version) == ("Demo", "1.1")
    assert first.package.declared_at == Location("requirements.txt", 3)
    assert first.location == Location("requirements.txt", 3)
    assert first.fix_versions == ("1.2", "2.0.3")
    note = (
        "1.2 fixes this one but is itself affected by another advisory of Demo; 2.0.3 is the "
        "smallest version that fixes all"
    )
    assert first.fix == f"upgrade Demo to 2.0.3 (fixes all 5 findings for Demo); {note}"
    assert first.references == (
        "https://example.org/advisories/PYSEC-2099-1",
        "https://example.org/advisories/GHSA-aaaa-bbbb-cccc",
        "https://example.org/demo/issue/1",
    )
    assert first.cwe == ("CWE-22",)
    assert first.description == "Demo before 1.2 lets a remote attacker read files."
    assert first.extra == {
        "upgrade": "2.0.3",
        "fix_note": note,
        "affected_functions": "demo.files.read",
    }
    chain = findings[4]
    assert chain.severity == Severity.CRITICAL  # from the GHSA's database severity
    assert chain.title == "Chained alias in demo"
    cvss4 = findings[1]
    assert (cvss4.severity, cvss4.cvss_score) == (Severity.HIGH, 8.7)
    assert cvss4.fix_versions == ()


def test_title_falls_back_to_the_first_line_of_details(fixture_db: Path) -> None:
    (finding,) = _run(_ctx([_dep("demo", "4.1", 1)]))
    assert finding.rule_id == "PYSEC-2099-11"
    assert finding.title == "Invalid versions inside an advisory are skipped with a warning."
    assert finding.severity == Severity.UNKNOWN
    assert finding.fix == "upgrade demo to 4.2"


def test_no_fix_known(fixture_db: Path) -> None:
    (finding,) = _run(_ctx([_dep("other.pkg", "0.5", 1)]))
    assert finding.rule_id == "PYSEC-2099-10"
    assert finding.fix == "no fixed version of other.pkg is known; remove or replace it"
    assert finding.fix_versions == ()


def test_malicious_packages_are_critical_with_a_clear_title(fixture_db: Path) -> None:
    (finding,) = _run(_ctx([_dep("evil_pkg", "0.0.1", 7)]))
    assert finding.rule_id == "MAL-2099-1"
    assert finding.severity == Severity.CRITICAL
    assert finding.title == (
        "Known-malicious package: evil_pkg 0.0.1 (Malicious code in evil-pkg (PyPI))"
    )
    assert finding.fix is not None and finding.fix.startswith("remove evil_pkg 0.0.1")
    assert finding.cwe == ("CWE-506",)


def test_quiet_on_safe_versions_and_unknown_packages(fixture_db: Path) -> None:
    ctx = _ctx([_dep("demo", "2.0.3", 1), _dep("evil-pkg", "0.0.2", 2), _dep("requests", "2.0", 3)])
    assert _run(ctx) == []
    assert ctx.diagnostics == []


def test_unpinned_dependencies_get_a_warning(fixture_db: Path) -> None:
    ctx = _ctx([_dep("demo", None, 4, specifier=">=2,<3"), _dep("other", None, 5)])
    assert _run(ctx) == []
    assert [str(d) for d in ctx.diagnostics] == [
        "requirements.txt:4: demo: not pinned (>=2,<3), cannot be audited exactly; "
        "use a lock file or --resolve",
        "requirements.txt:5: other: not pinned, cannot be audited exactly; "
        "use a lock file or --resolve",
    ]


def test_a_non_pep440_pin_is_a_warning(fixture_db: Path) -> None:
    ctx = _ctx([_dep("demo", "1.0-custom build", 2)])
    assert _run(ctx) == []
    assert [str(d) for d in ctx.diagnostics] == [
        "requirements.txt:2: demo: version '1.0-custom build' is not a PEP 440 version; "
        "it cannot be audited"
    ]


def test_data_status_names_the_source_and_its_age(fixture_db: Path) -> None:
    ctx = _ctx([_dep("demo", "2.0.3", 1)], offline=True)
    _run(ctx)
    (status,) = ctx.data_status
    assert status.startswith(
        f"advisories: local database, 12 records from {(FIXTURES / 'records').resolve()} "
        "(imported just now; newest record 2099-09-01)"
    )


def test_old_data_gets_a_warning(fixture_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bastion.advisories import records

    real = records.SourceStatus.age

    def old(self: records.SourceStatus, now: dt.datetime | None = None) -> dt.timedelta | None:
        return dt.timedelta(days=12)

    monkeypatch.setattr(records.SourceStatus, "age", old)
    ctx = _ctx([_dep("not-in-the-data", "1.0", 1)])
    _run(ctx)
    assert [str(d) for d in ctx.diagnostics] == [
        "the advisory data was imported 12 days ago; run `bastion db update` for newer advisories"
    ]
    monkeypatch.setattr(records.SourceStatus, "age", real)


def test_no_data_fails_closed_with_instructions(cache_dir: Path) -> None:
    with pytest.raises(NoAdvisoryData) as caught:
        _run(_ctx([_dep("demo", "1.1", 1)]))
    assert caught.value.exit_code == 3
    assert "bastion db import PATH" in str(caught.value)


def test_no_data_with_allow_partial_warns_and_goes_on(cache_dir: Path) -> None:
    ctx = _ctx([_dep("demo", "1.1", 1)], allow_partial=True)
    assert _run(ctx) == []
    assert ctx.data_status == ["advisories: unavailable (not checked)"]
    (warning,) = ctx.diagnostics
    assert "known vulnerabilities were NOT checked" in warning.message


def test_offline_refuses_the_live_api(fixture_db: Path) -> None:
    from bastion.errors import InputError

    with pytest.raises(InputError, match="--offline cannot be used with --source osv-api"):
        _run(_ctx([_dep("demo", "1.1", 1)], source="osv-api", offline=True))


def test_auditing_does_not_import_cvss_yaml_or_httpx(fixture_db: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path\n"
        "from bastion.checks.base import CheckContext\n"
        "from bastion.config import Settings\n"
        "from bastion.inventory.model import Dependency, Inventory\n"
        "from bastion.checks.audit import CHECK\n"
        "ctx = CheckContext(Path('.'), Settings(values={'source': 'db'}),"
        " _inventory=Inventory([Dependency('demo', '1.1')]))\n"
        "assert len(list(CHECK.run(ctx))) == 5\n"
        "heavy = ('cvss', 'yaml', 'httpx', 'bastion.advisories.model',"
        " 'bastion.advisories.ranges', 'bastion.advisories.writer')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("details", "title"),
    [
        ("Short line.\nMore.", "Short line."),
        ("\n\n  Leading blank lines.  ", "Leading blank lines."),
        ("First sentence is short. " + "x" * 200, "First sentence is short."),
        ("y" * 200, "y" * 117 + "..."),
        ("", ""),
        # A hard-wrapped sentence is read as one (pip's PYSEC-2023-228 wraps mid-phrase).
        (
            'When installing a package from a Mercurial VCS URL  (ie "pip install \n'
            'hg+...") with pip prior to v23.3, the revision could\n be used to inject options.',
            'When installing a package from a Mercurial VCS URL (ie "pip install hg+...") with '
            "pip prior to v23.3, the revision...",
        ),
        # Sentences that describe the project or only say "an issue" give way to the next.
        (
            "Werkzeug is a comprehensive WSGI web application library. Browsers may allow "
            "nameless cookies.",
            "Browsers may allow nameless cookies.",
        ),
        (
            "An issue was discovered in Django 3.2 before 3.2.11.\nStorage.save allows "
            "directory traversal.",
            "Storage.save allows directory traversal.",
        ),
        (
            "Matrix is an ecosystem for open federated messaging.\n\nSynapse before 1.2 leaks.",
            "Synapse before 1.2 leaks.",
        ),
        # ... unless the sentence names the vulnerability, or nothing follows it.
        ("Foo is a library that allows remote code execution.", "Foo is a library that allows "
         "remote code execution."),
        ("Foo is a library.", "Foo is a library."),
        ("### Impact\nA crafted header crashes the server.\n", "A crafted header crashes the "
         "server."),
    ],
)  # fmt: skip
def test_headline(details: str, title: str) -> None:
    from bastion.advisories.titles import headline as _headline

    assert _headline(details) == title


def test_no_pinned_dependency_needs_no_advisory_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BASTION_CACHE_DIR", str(tmp_path / "empty-cache"))
    ctx = _ctx([_dep("requests", None, 4, ">=2")])
    assert _run(ctx) == []
    assert ctx.data_status == ["advisories: not consulted (no pinned dependency to audit)"]
    assert [str(d) for d in ctx.diagnostics] == [
        "requirements.txt:4: requests: not pinned (>=2), cannot be audited exactly; "
        "use a lock file or --resolve"
    ]
    assert ctx.stats == {"dependencies": 1}


def test_an_old_snapshot_gets_a_warning_however_recently_imported(
    cache_dir: Path, tmp_path: Path
) -> None:
    from bastion.advisories.importer import import_path

    records = tmp_path / "records"
    records.mkdir()
    (records / "PYSEC-2024-1.json").write_text(
        '{"id": "PYSEC-2024-1", "modified": "2024-10-10T17:22:00Z", "affected": [{"package":'
        ' {"ecosystem": "PyPI", "name": "demo"}, "versions": ["1.0"]}]}'
    )
    import_path(records, [])
    ctx = _ctx([_dep("demo", "1.0", 1)])
    assert [f.rule_id for f in _run(ctx)] == ["PYSEC-2024-1"]
    (warning,) = [str(d) for d in ctx.diagnostics]
    days = (dt.datetime.now(dt.UTC) - dt.datetime(2024, 10, 10, 17, 22, tzinfo=dt.UTC)).days
    assert warning == (
        f"the newest advisory in the data was modified {days} days ago (2024-10-10): advisories "
        "published since are missing; run `bastion db update` for current ones"
    )


def test_brief_reports_skip_details_and_references_but_keep_everything_else(
    fixture_db: Path,
) -> None:
    (full,) = _run(_ctx([_dep("demo", "4.1", 1)], format="json"))
    (brief,) = _run(_ctx([_dep("demo", "4.1", 1)], format="text"))
    assert full.description.startswith("Invalid versions")
    assert (brief.description, brief.references) == ("", ())
    assert (brief.rule_id, brief.title, brief.aliases, brief.severity, brief.fix_versions) == (
        full.rule_id,
        full.title,
        full.aliases,
        full.severity,
        full.fix_versions,
    )
