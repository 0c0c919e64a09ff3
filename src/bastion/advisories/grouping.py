"""One finding per vulnerability: records that describe the same vulnerability are grouped.

The same vulnerability in one package often has several records (PYSEC-..., GHSA-..., each
listing the CVE and the other as aliases). Two records belong together when their ID sets
(own ID plus aliases) overlap, transitively. One exception, because aliases in the wild are
sometimes wrong: a merge that would put two different CVE IDs into one group is refused
(two groups may merge only when one's CVE set contains the other's), so two CVEs never hide
behind one finding. Merges are tried in a fixed order, so the result is deterministic.

The primary ID (the finding's `rule_id`) is chosen among the records' own IDs by kind:
MAL (known-malicious) first, then PYSEC, then GHSA, then any other database; ties go to the
earliest published, then the smallest ID. PYSEC before GHSA because PYSEC is the PyPI
ecosystem's own database: pip-audit's default service (PyPI's JSON API) reports PYSEC IDs with
GHSA and CVE as aliases, so existing ignore lists and habits carry over, and because the
PyPA database is where PyPI advisories first land, the primary rarely changes when a GHSA
record for the same issue appears later. Ignores match any ID of a finding either way.
"""

from __future__ import annotations

from collections.abc import Sequence

from bastion.advisories.records import Group, VulnRecord

_KIND_RANK = {"MAL": 0, "PYSEC": 1, "GHSA": 2}


def id_rank(ident: str) -> int:
    """Preference of an ID as primary: lower is preferred (CVE-only IDs come last)."""
    prefix = ident.split("-", 1)[0].upper()
    if prefix == "CVE":
        return 9
    return _KIND_RANK.get(prefix, 5)


def primary_order(record: VulnRecord) -> tuple[int, str, str]:
    # "~" sorts after any timestamp, so records without a date come after dated ones.
    return (id_rank(record.id), record.published or "~", record.id)


def is_cve(ident: str) -> bool:
    return ident.upper().startswith("CVE-")


def group_records(records: Sequence[VulnRecord]) -> list[Group]:
    """Group the records (of one package) that describe the same vulnerability."""
    if len(records) == 1:
        return [Group((records[0],))]
    ordered = sorted({r.id: r for r in records}.values(), key=primary_order)
    ids = [set(r.ids) for r in ordered]
    if sum(map(len, ids)) == len(set().union(*ids)):  # no ID shared: nothing to merge
        return [Group((r,)) for r in ordered]
    parent = list(range(len(ordered)))
    cves = [{i for i in s if is_cve(i)} for s in ids]

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Each record is linked to the earlier records it shares an ID with, in order.
    holders: dict[str, list[int]] = {}
    edges: list[tuple[int, int]] = []
    for j, own in enumerate(ids):
        earlier = sorted({i for ident in own for i in holders.get(ident, ())})
        edges.extend((i, j) for i in earlier)
        for ident in own:
            holders.setdefault(ident, []).append(j)
    for i, j in edges:
        a, b = root(i), root(j)
        if a == b or not (cves[a] <= cves[b] or cves[b] <= cves[a]):
            continue
        low, high = min(a, b), max(a, b)
        parent[high] = low
        cves[low] = cves[low] | cves[high]
    members: dict[int, list[VulnRecord]] = {}
    for i, record in enumerate(ordered):
        members.setdefault(root(i), []).append(record)
    return [Group(tuple(m)) for _, m in sorted(members.items())]
