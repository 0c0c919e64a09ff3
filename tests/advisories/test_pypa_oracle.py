"""Correctness oracle: the real PyPA advisory database against its own `versions` lists.

For every record with an explicit `versions` list and ECOSYSTEM ranges, the compiled range
evaluation (what an audit uses) must agree with the list: every listed (PEP 440) version is
inside the ranges, every `fixed` version is not affected, and every `introduced` version is
affected unless the record itself also fixes or limits at that version. Records whose data
contradicts itself are listed in docs/advisory-data.md and here, so the test fails when a new
inconsistency appears or a listed one disappears.
"""

from __future__ import annotations

from pathlib import Path

from bastion.advisories.importer import Tally, iter_folder
from bastion.advisories.model import Advisory, Affected
from bastion.advisories.ranges import compile_affected, keyed_events
from bastion.advisories.versionkey import key_of

EXPECTED_INCONSISTENT = {
    # Two overlapping intervals in one events list: the schema's sorted walk closes both at
    # the first `fixed` (2.11.6), yet the list has 2.11.6 (inside [2.11, 2.11.7)).
    "PYSEC-2021-114": "listed outside the ranges: 2.11.6; fixed 2.11.6 is affected",
    # `fixed: 3.1.1` and `introduced: 3.1.1` in one events list: 3.1.1 is affected.
    "PYSEC-2022-236": "fixed 3.1.1 is affected",
    "PYSEC-2023-72": "fixed 3.1.1 is affected",
    # The list follows the GIT range, which goes further than the ECOSYSTEM `fixed: 23.9.0`.
    "PYSEC-2023-177": "listed outside the ranges: 23.9.0, 23.9.0.post1; fixed 23.9.0 is affected",
    # Pre-releases of 3.2 and 4.2 are listed, but PEP 440 sorts them before `introduced`.
    "PYSEC-2023-61": "listed outside the ranges: 3.2a1, 3.2b1, 3.2rc1, 4.2a1, 4.2b1, 4.2rc1",
}


def _quiet(_message: str) -> None:
    return None


def _problems(advisory: Advisory, entry: Affected) -> str:
    ranges_only = compile_affected(
        [Affected(entry.ecosystem, entry.name, ranges=entry.ranges)], _quiet
    )
    everything = compile_affected([entry], _quiet)
    reasons = []
    outside = [
        v for v in entry.versions if (k := key_of(v)) is not None and not ranges_only.affects(k)
    ]
    if outside:
        reasons.append(f"listed outside the ranges: {', '.join(outside)}")
    events = [
        e for r in entry.ranges if r.type == "ECOSYSTEM" for e in keyed_events(r.events, _quiet)
    ]
    for event in events:
        if event.kind == "fixed" and everything.affects(event.key):
            reasons.append(f"fixed {event.version} is affected")
        if event.kind == "introduced" and event.key and not ranges_only.affects(event.key):
            closed_here = any(o.kind in ("fixed", "limit") and o.key == event.key for o in events)
            if not closed_here:
                reasons.append(f"introduced {event.version} is not affected")
    return "; ".join(reasons)


def test_ranges_agree_with_the_versions_lists(shared_data: Path) -> None:
    folder = shared_data / "pypa-advisory-database" / "vulns"
    checked = 0
    found: dict[str, str] = {}
    for _origin, advisory in iter_folder(folder, [], Tally()):
        if advisory.withdrawn:
            continue
        for entry in advisory.pypi_affected():
            if not entry.versions or not any(r.type == "ECOSYSTEM" for r in entry.ranges):
                continue
            checked += 1
            problems = _problems(advisory, entry)
            if problems:
                found[advisory.id] = problems
    assert checked > 2500
    assert found == EXPECTED_INCONSISTENT


def test_the_store_fast_path_agrees_with_the_reference_evaluation(
    shared_data: Path, shared_bench: Path, cache_dir: Path
) -> None:
    """`local.match_pins` (precomputed segments) == `match_package` (plain evaluation) on real data:
    the 648 benchmark pins, and every package at each of its `fixed` versions."""
    from bastion.advisories.importer import import_path
    from bastion.advisories.local import match_pins
    from bastion.advisories.matching import match_package
    from bastion.advisories.store import Store
    from bastion.inventory.model import normalize_name

    import_path(shared_data / "pypa-advisory-database" / "vulns", [])
    pairs = []
    for line in (shared_bench / "requirements-vulnerable.txt").read_text().splitlines():
        name, sep, version = line.partition("==")
        if sep:
            pairs.append((normalize_name(name.strip()), version.strip()))
    with Store.open() as store:
        known = store.lookup({name for name, _ in pairs})
        for name, advisories in known.items():
            pairs.extend((name, fix) for a in advisories for _key, fix in a.affected.fixes)
        pairs = list(dict.fromkeys(pairs))
        known = store.lookup({name for name, _ in pairs})
        fast = match_pins(store, pairs)
    assert len(pairs) > 2000
    findings = 0
    for name, version in pairs:
        reference = match_package(name, version, known[name])
        assert fast[name, version] == reference, (name, version)
        findings += len(reference.vulnerabilities)
    assert findings > 1700
