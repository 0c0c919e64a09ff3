"""Every advisory of one package, precomputed so that an audit does a bisect, not a scan.

At import the store cuts each package's version line at every boundary of every advisory of
the package (`CompiledAffected` intervals, and each listed version `k` as `[k, k~)`). Between
two cuts, the set of advisories that affect a version is constant; it is stored per segment,
already grouped into distinct vulnerabilities (`grouping.group_records`: grouping depends only
on which records are in the set, so it is done once per segment at import, not per audit).
Then, for a pinned version: one `bisect` finds its segment and so the vulnerabilities
affecting it; a vulnerability's fix versions are its records' `fixed` versions above it whose
segment holds none of those records; and the package's smallest safe upgrade is the first
entry above it in the precomputed list of `fixed` versions that no advisory of the package
affects.

This is the same evaluation as `matching.match_package` over `CompiledAffected` objects (a
test checks both agree on the whole PyPA database); it is only arranged for speed, because the
audit of hundreds of pinned packages must take a few tens of milliseconds.

Stored form, one row per package (`encode` / `decode`): advisory IDs; cuts; per segment the
indices of its advisories, grouped; per advisory its fixes and affected functions; the clean
fixes.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bastion.advisories.compiled import CompiledAffected
    from bastion.advisories.records import VulnRecord

_PART = "|"  # between keys / versions (never in either)
_ITEM = ";"  # between segments or advisories
_GROUP = "/"  # between the groups of a segment
_INDEX = ","  # between advisory indices
_NAMES = "\x1f"  # between function names

#: A segment, decoded: its groups (advisory indices as stored, the primary first) and the
#: set of all their indices.
Segment = tuple[tuple[tuple[str, ...], ...], frozenset[str]]
_EMPTY: Segment = ((), frozenset())


class PackageIndex:
    """See the module docstring. `segments[i]` lies between `cuts[i]` and `cuts[i + 1]`.

    A plain class, not a dataclass: it is a stored row that nothing compares or prints, and
    building a dataclass costs start-up time.
    """

    __slots__ = ("_split", "clean", "cuts", "fixes", "functions", "ids", "segments")

    def __init__(
        self,
        *,
        ids: Sequence[str],
        cuts: Sequence[str],
        segments: Sequence[str],  # decoded lazily: "3,0/5" -> groups (3, 0) and (5,)
        fixes: Sequence[str],  # per advisory, lazily split: "key|version|key|version", sorted
        functions: Sequence[str],
        clean: Sequence[str],  # "key|version" pairs flattened: [key, version, key, version...]
    ) -> None:
        self.ids = ids
        self.cuts = cuts
        self.segments = segments
        self.fixes = fixes
        self.functions = functions
        self.clean = clean
        self._split: dict[int, Segment] = {}  # decoded segments

    @classmethod
    def build(
        cls, advisories: Sequence[tuple[VulnRecord, CompiledAffected, Sequence[str]]]
    ) -> PackageIndex:
        """From `(record, compiled, affected functions)` of every advisory of the package.

        Of each record, grouping reads its ID, aliases and `published` date.
        """
        from bastion.advisories.compiled import TOP

        ordered = sorted(advisories, key=lambda a: a[0].id)
        starts: dict[str, list[int]] = {}
        ends: dict[str, list[int]] = {}
        records = [a[0] for a in ordered]
        for index, (_record, compiled, _functions) in enumerate(ordered):
            bounds = list(compiled.bounds)
            for key in compiled.versions:
                bounds += (key, key + TOP)
            for low, high in zip(bounds[::2], bounds[1::2], strict=True):
                starts.setdefault(low, []).append(index)
                ends.setdefault(high, []).append(index)
        cuts = sorted(starts.keys() | ends.keys())
        active: dict[int, int] = {}
        segments = []
        for cut in cuts:
            for index in ends.get(cut, ()):
                active[index] -= 1
                if not active[index]:
                    del active[index]
            for index in starts.get(cut, ()):
                active[index] = active.get(index, 0) + 1
            segments.append(_grouped(records, sorted(active)))
        segments = segments[:-1]  # nothing starts at the last cut
        built = cls(
            ids=[r.id for r in records],
            cuts=cuts,
            segments=segments,
            # Only the fixes an advisory does not itself affect: no other can fix a group.
            fixes=[
                _PART.join(p for fix in a[1].fixes if not a[1].affects(fix[0]) for p in fix)
                for a in ordered
            ],
            functions=[_NAMES.join(_clean_name(f) for f in a[2]) for a in ordered],
            clean=[],
        )
        candidates = sorted({fix for a in ordered for fix in a[1].fixes})
        built.clean = [p for key, fix in candidates if not built.affecting(key) for p in (key, fix)]
        return built

    def groups(self, key: str) -> tuple[tuple[str, ...], ...]:
        """The advisories affecting the version with `key`, one group per vulnerability: each
        a tuple of indices (as text, as stored), the primary record's first."""
        return self._segment(key)[0]

    def affecting(self, key: str) -> frozenset[str]:
        """Indices (as text, as stored) of the advisories affecting the version with `key`."""
        return self._segment(key)[1]

    def _segment(self, key: str) -> Segment:
        at = bisect_right(self.cuts, key) - 1
        if at < 0 or at >= len(self.segments) or not self.segments[at]:
            return _EMPTY
        found = self._split.get(at)
        if found is None:
            groups = tuple(tuple(g.split(_INDEX)) for g in self.segments[at].split(_GROUP))
            found = self._split[at] = (groups, frozenset(m for g in groups for m in g))
        return found

    def fix_versions(self, key: str, members: Sequence[str]) -> tuple[str, ...]:
        """`fixed` versions of `members` above `key` that none of `members` affects."""
        if len(members) == 1:  # the common case: its own fixes are clean for it
            text = self.fixes[int(members[0])]
            parts = text.split(_PART) if text else []
            return tuple(parts[2 * bisect_right(parts[::2], key) + 1 :: 2])
        found: dict[str, str] = {}
        for member in members:
            text = self.fixes[int(member)]
            parts = text.split(_PART) if text else []
            for fix_key, fix in zip(parts[::2], parts[1::2], strict=True):
                if fix_key > key:
                    found.setdefault(fix_key, fix)
        return tuple(
            found[fix_key]
            for fix_key in sorted(found)
            if self.affecting(fix_key).isdisjoint(members)
        )

    def upgrade(self, key: str) -> str | None:
        """The smallest `fixed` version above `key` that no advisory of the package affects."""
        keys = self.clean[::2]
        at = bisect_right(keys, key)
        return self.clean[2 * at + 1] if at < len(keys) else None

    def encode(self) -> tuple[str, str, str, str, str, str]:
        return (
            _ITEM.join(self.ids),
            _PART.join(self.cuts),
            _ITEM.join(self.segments),
            _ITEM.join(self.fixes),
            _ITEM.join(self.functions),
            _PART.join(self.clean),
        )

    @classmethod
    def decode(cls, row: Sequence[str]) -> PackageIndex:
        """The inverse of `encode` (string splits only; per-segment and per-advisory parts are
        split later, only for the segments and advisories an audit touches)."""
        ids, cuts, segments, fixes, functions, clean = row
        count = ids.count(_ITEM) + 1 if ids else 0
        return cls(
            ids=ids.split(_ITEM) if ids else [],
            cuts=cuts.split(_PART) if cuts else [],
            segments=segments.split(_ITEM) if cuts else [],
            fixes=fixes.split(_ITEM) if count else [],
            # Most packages' advisories name no functions at all: then none are kept.
            functions=functions.split(_ITEM) if functions.strip(_ITEM) else [],
            clean=clean.split(_PART) if clean else [],
        )

    def functions_of(self, members: Sequence[str]) -> tuple[str, ...]:
        """The affected functions of advisories `members`, sorted."""
        if not self.functions:  # no advisory of the package names any (see `decode`)
            return ()
        texts = [text for text in (self.functions[int(m)] for m in members) if text]
        if not texts:  # the common case: no record names functions
            return ()
        return tuple(sorted({name for text in texts for name in text.split(_NAMES)}))


def _grouped(records: Sequence[VulnRecord], members: Sequence[int]) -> str:
    """The stored form of one segment: `members` (indices into `records`) grouped."""
    from bastion.advisories.grouping import group_records

    if not members:
        return ""
    position = {records[i].id: i for i in members}
    return _GROUP.join(
        _INDEX.join(str(position[r.id]) for r in group.records)
        for group in group_records([records[i] for i in members])
    )


def _clean_name(name: str) -> str:
    """A function name without the separators of the stored form."""
    for separator in (_ITEM, _NAMES):
        name = name.replace(separator, "")
    return name
