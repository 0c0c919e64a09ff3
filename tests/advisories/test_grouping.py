"""Alias grouping: one finding per vulnerability, never two CVEs in one."""

from __future__ import annotations

from bastion.advisories.grouping import group_records
from bastion.advisories.records import VulnRecord


def _ids(records: list[VulnRecord]) -> list[tuple[str, tuple[str, ...]]]:
    return [(g.primary.id, g.aliases) for g in group_records(records)]


def test_records_sharing_ids_are_one_group_with_pysec_primary() -> None:
    records = [
        VulnRecord("GHSA-aaaa", aliases=("CVE-1",), published="2020-01-01T00:00:00Z"),
        VulnRecord("PYSEC-1", aliases=("CVE-1", "GHSA-aaaa"), published="2020-02-01T00:00:00Z"),
    ]
    assert _ids(records) == [("PYSEC-1", ("CVE-1", "GHSA-aaaa"))]


def test_chains_are_followed_transitively() -> None:
    records = [
        VulnRecord("OSV-6", aliases=("GHSA-chain",)),
        VulnRecord("GHSA-chain", aliases=("PYSEC-5",)),
        VulnRecord("PYSEC-5", aliases=("CVE-5",)),
        VulnRecord("PYSEC-7", aliases=("CVE-7",)),
    ]
    assert _ids(records) == [
        ("PYSEC-5", ("CVE-5", "GHSA-chain", "OSV-6")),
        ("PYSEC-7", ("CVE-7",)),
    ]


def test_two_cves_are_never_merged() -> None:
    records = [
        VulnRecord("PYSEC-3", aliases=("CVE-3", "GHSA-shared")),
        VulnRecord("PYSEC-4", aliases=("CVE-4", "GHSA-shared")),
        VulnRecord("GHSA-shared", aliases=()),
    ]
    # The shared GHSA joins the first group it meets; the second CVE stays on its own.
    assert _ids(records) == [
        ("PYSEC-3", ("CVE-3", "GHSA-shared")),
        ("PYSEC-4", ("CVE-4", "GHSA-shared")),
    ]


def test_a_record_naming_both_cves_may_join_one_that_names_one() -> None:
    records = [
        VulnRecord("GHSA-both", aliases=("CVE-8", "CVE-9")),
        VulnRecord("PYSEC-8", aliases=("CVE-8",)),
    ]
    assert _ids(records) == [("PYSEC-8", ("CVE-8", "CVE-9", "GHSA-both"))]


def test_primary_order_mal_pysec_ghsa_other_then_published() -> None:
    records = [
        VulnRecord("OSV-1", aliases=("X",), published="2000-01-01T00:00:00Z"),
        VulnRecord("GHSA-1", aliases=("X",)),
        VulnRecord("PYSEC-2", aliases=("X",), published="2021-01-01T00:00:00Z"),
        VulnRecord("PYSEC-1", aliases=("X",), published="2020-01-01T00:00:00Z"),
    ]
    (group,) = group_records(records)
    assert [r.id for r in group.records] == ["PYSEC-1", "PYSEC-2", "GHSA-1", "OSV-1"]
    mal = group_records([VulnRecord("PYSEC-9", aliases=("MAL-1",)), VulnRecord("MAL-1")])
    assert mal[0].primary.id == "MAL-1"


def test_grouping_is_deterministic_whatever_the_input_order() -> None:
    records = [
        VulnRecord("PYSEC-4", aliases=("CVE-4", "GHSA-s")),
        VulnRecord("GHSA-s"),
        VulnRecord("PYSEC-3", aliases=("CVE-3", "GHSA-s")),
    ]
    assert _ids(records) == _ids(list(reversed(records)))
