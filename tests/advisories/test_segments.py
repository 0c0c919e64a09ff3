"""`PackageIndex`: records grouped per version segment at import, read back by an audit."""

from __future__ import annotations

from bastion.advisories.compiled import CompiledAffected
from bastion.advisories.records import VulnRecord
from bastion.advisories.segments import PackageIndex
from bastion.advisories.versionkey import MIN_KEY, key_of


def _key(version: str) -> str:
    key = key_of(version)
    assert key is not None
    return key


def _affected(low: str | None, fixed: str) -> CompiledAffected:
    start = MIN_KEY if low is None else _key(low)
    return CompiledAffected([start, _key(fixed)], frozenset(), [(_key(fixed), fixed)])


def _index() -> PackageIndex:
    """GHSA-1 (< 2.0) and PYSEC-1 (1.0 to 3.0) are one vulnerability (they alias each other);
    CVE-2 (2.5 to 4.0) is another; stored and read back as the store does."""
    records = [
        (VulnRecord("GHSA-1", aliases=("PYSEC-1",)), _affected(None, "2.0"), ()),
        (VulnRecord("PYSEC-1", aliases=("GHSA-1",)), _affected("1.0", "3.0"), ("pkg.f",)),
        (VulnRecord("CVE-2"), _affected("2.5", "4.0"), ()),
    ]
    return PackageIndex.decode(PackageIndex.build(records).encode())


def _named(index: PackageIndex, version: str) -> list[list[str]]:
    return [[index.ids[int(m)] for m in group] for group in index.groups(_key(version))]


def test_each_segment_holds_its_records_grouped_primary_first() -> None:
    index = _index()
    assert _named(index, "0.5") == [["GHSA-1"]]
    assert _named(index, "1.5") == [["PYSEC-1", "GHSA-1"]]
    assert _named(index, "2.7") == [["PYSEC-1"], ["CVE-2"]]  # PYSEC before a CVE-only ID
    assert _named(index, "3.5") == [["CVE-2"]]
    assert _named(index, "4.0") == []


def test_affecting_is_every_member_of_every_group() -> None:
    index = _index()
    ids = index.ids
    assert {ids[int(m)] for m in index.affecting(_key("2.7"))} == {"CVE-2", "PYSEC-1"}
    assert index.affecting(_key("4.0")) == frozenset()


def test_fixes_functions_and_upgrade_of_a_group() -> None:
    index = _index()
    (group,) = index.groups(_key("1.5"))
    # 2.0 (GHSA-1's fix) is inside PYSEC-1: only 3.0 fixes the whole vulnerability.
    assert index.fix_versions(_key("1.5"), group) == ("3.0",)
    assert index.functions_of(group) == ("pkg.f",)
    assert index.functions_of(index.groups(_key("3.5"))[0]) == ()
    assert index.upgrade(_key("1.5")) == "4.0"
