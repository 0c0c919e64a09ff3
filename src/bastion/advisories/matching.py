"""Which advisories affect one pinned package, grouped, with the upgrades that fix them.

`match_package` is the straightforward evaluation over a package's `PackageAdvisory` list; a
source that fetches advisories (the OSV API) uses it. The local store answers the same
question from its precomputed `segments.PackageIndex`; a test keeps the two in agreement.

Fixes, per the OSV data only (bastion does not ask the index which releases exist here):

- a vulnerability's fix versions are the `fixed` versions of its records that are greater than
  the installed version and that none of its records affects, smallest first: the first is the
  `fixed` that closes the range the installed version is in, unless the data says that version
  is affected too;
- the package's upgrade is the smallest `fixed` version of any of the package's advisories
  that is greater than the installed version and that no advisory of the package affects (not
  only the ones that affect the installed version: an upgrade must not walk into another). None
  when no such version is known.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bastion.advisories.grouping import group_records
from bastion.advisories.records import PackageAdvisory, PackageResult, Vulnerability
from bastion.advisories.versionkey import key_of

if TYPE_CHECKING:
    from bastion.advisories.compiled import CompiledAffected


class InvalidInstalledVersion(ValueError):
    """The pinned version is not PEP 440, so no range can be evaluated for it."""


def match_package(name: str, version: str, advisories: Sequence[PackageAdvisory]) -> PackageResult:
    """The vulnerabilities of `name==version` among `advisories` (all of the package's)."""
    key = key_of(version)
    if key is None:
        raise InvalidInstalledVersion(version)
    hits = [a for a in advisories if a.affected.affects(key)]
    if not hits:
        return PackageResult(name, version, (), None)
    by_id = {a.record.id: a for a in hits}
    vulnerabilities = []
    for group in group_records([a.record for a in hits]):
        members = tuple(by_id[r.id] for r in group.records)
        functions = tuple(sorted({f for m in members for f in m.affected_functions}))
        vulnerabilities.append(Vulnerability(group, fix_versions(key, members), functions))
    return PackageResult(name, version, tuple(vulnerabilities), smallest_upgrade(key, advisories))


def fix_versions(key: str, advisories: Sequence[PackageAdvisory]) -> tuple[str, ...]:
    """`fixed` versions above `key` that none of `advisories` affects, smallest first."""
    affected = _union(advisories)
    return tuple(
        fix for fix_key, fix in _candidates(key, advisories) if not affected.affects(fix_key)
    )


def smallest_upgrade(key: str, advisories: Sequence[PackageAdvisory]) -> str | None:
    """The smallest `fixed` version above `key` that none of `advisories` affects."""
    affected = _union(advisories)
    for fix_key, fix in _candidates(key, advisories):
        if not affected.affects(fix_key):
            return fix
    return None


def _candidates(key: str, advisories: Sequence[PackageAdvisory]) -> list[tuple[str, str]]:
    if len(advisories) == 1:
        return [fix for fix in advisories[0].affected.fixes if fix[0] > key]
    found: dict[str, str] = {}
    for advisory in advisories:
        for fix_key, fix in advisory.affected.fixes:
            if fix_key > key and fix_key not in found:
                found[fix_key] = fix
    return sorted(found.items())


def _union(advisories: Sequence[PackageAdvisory]) -> CompiledAffected:
    """One `CompiledAffected` affecting what any of `advisories` affects (fixes left out)."""
    from bastion.advisories.compiled import CompiledAffected  # not on the local audit's path

    if len(advisories) == 1:
        return advisories[0].affected
    pairs: list[tuple[str, str]] = []
    versions: set[str] = set()
    for advisory in advisories:
        bounds = advisory.affected.bounds
        pairs.extend(zip(bounds[::2], bounds[1::2], strict=True))
        versions.update(advisory.affected.versions)
    pairs.sort()
    merged: list[str] = []
    for low, high in pairs:
        if merged and low <= merged[-1]:  # overlaps or touches the previous interval
            merged[-1] = max(merged[-1], high)
        else:
            merged += (low, high)
    return CompiledAffected(merged, frozenset(versions))
