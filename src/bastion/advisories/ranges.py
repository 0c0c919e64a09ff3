"""Which versions an OSV `affected[]` entry covers, for PyPI, exactly as the OSV schema says.

The schema's evaluation (https://ossf.github.io/osv-schema/#evaluation): a version is affected
when it is listed in `versions`, or when some range admits it. A range admits `v` when `v` is
before one of its `limit` events (or it has none; `*` means infinity), and walking its events
in version order, the last one that applies is an `introduced`: `introduced` applies when
`v >= introduced` (`"0"` is before every version), `fixed` when `v >= fixed`, `last_affected`
when `v > last_affected`. Events at the same version keep the record's order (a stable sort),
as the schema's `sorted(range.events)` does.

Only `ECOSYSTEM` ranges mean anything for PyPI: `GIT` ranges need the repository and `SEMVER`
is not PyPI's ordering, so both are ignored. Versions are PEP 440 (`packaging`); a version in an
advisory that is not valid PEP 440 is skipped with a warning.

Two evaluators live here on purpose:

- `range_admits` follows the schema's pseudo-code literally with `Version` objects. It is the
  reference, used by tests and the data oracle.
- `compile_affected` turns a record's entries for one package into sorted disjoint intervals
  of `versionkey` keys, then into a `compiled.CompiledAffected` (with the listed versions the
  ranges do not cover and the fix candidates). This is what the store keeps and what an audit
  evaluates, with string comparisons only. Property tests check that it agrees with the
  reference on random event lists.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from packaging.version import InvalidVersion, Version

from bastion.advisories.compiled import TOP, CompiledAffected
from bastion.advisories.versionkey import MIN_KEY, key_of

if TYPE_CHECKING:
    from bastion.advisories.model import Affected, Event, Warn

#: (low key, low inclusive, high key or None for no upper bound, high inclusive)
Interval = tuple[str, bool, str | None, bool]


@dataclass(frozen=True, slots=True)
class KeyedEvent:
    """A range event whose version parsed: `key` is its `versionkey` ("" for introduced 0)."""

    kind: str
    version: str
    key: str


def keyed_events(events: Iterable[Event], warn: Warn, where: str = "") -> list[KeyedEvent]:
    """The events whose versions are valid PEP 440 (`introduced: "0"` included), in order."""
    keyed = []
    for event in events:
        if event.kind == "introduced" and event.version == "0":
            keyed.append(KeyedEvent(event.kind, event.version, MIN_KEY))
            continue
        if event.kind == "limit" and event.version == "*":
            keyed.append(KeyedEvent(event.kind, event.version, "*"))
            continue
        key = key_of(event.version)
        if key is None:
            warn(f"{where}: {event.kind} {event.version!r} is not a PEP 440 version; skipped")
            continue
        keyed.append(KeyedEvent(event.kind, event.version, key))
    return keyed


# --- the reference evaluator: the schema's pseudo-code, with Version objects ---------------


def range_admits(events: Sequence[KeyedEvent], version: Version) -> bool:
    """The schema's `IncludedInRanges` for one range, literally (reference implementation).

    The branches mirror the schema's pseudo-code line by line, on purpose.
    """
    limits = [e for e in events if e.kind == "limit"]
    if limits and not any(e.version == "*" or version < Version(e.version) for e in limits):
        return False
    vulnerable = False
    for event in sorted(events, key=_reference_order):
        if event.kind == "introduced" and (
            event.version == "0" or version >= Version(event.version)
        ):
            vulnerable = True
        elif event.kind == "fixed" and version >= Version(event.version):  # noqa: SIM114
            vulnerable = False
        elif event.kind == "last_affected" and version > Version(event.version):
            vulnerable = False
    return vulnerable


def _reference_order(event: KeyedEvent) -> tuple[int, Version | None]:
    if event.kind == "introduced" and event.version == "0":
        return (0, None)
    if event.kind == "limit" and event.version == "*":
        return (2, None)
    return (1, Version(event.version))


def reference_affects(entry: Affected, version: Version, warn: Warn | None = None) -> bool:
    """The schema's `IsVulnerable` for one PyPI entry, literally (reference implementation)."""
    say: Warn = warn or (lambda _m: None)
    for listed in entry.versions:
        try:
            if Version(listed) == version:
                return True
        except InvalidVersion:
            continue
    return any(
        range_admits(keyed_events(r.events, say), version)
        for r in entry.ranges
        if r.type == "ECOSYSTEM"
    )


# --- the compiled form ---------------------------------------------------------------------


def compile_range(events: Sequence[KeyedEvent]) -> list[Interval]:
    """The versions one range admits, as sorted disjoint intervals of keys."""
    walk = sorted((e for e in events if e.kind != "limit"), key=lambda e: e.key)
    # For each distinct version X: is X itself affected (`at`), and is the gap after X?
    # At X, `introduced X` and `fixed X` apply but `last_affected X` does not (v > X fails).
    points: list[tuple[str, bool, bool]] = []
    state = False
    index = 0
    while index < len(walk):
        key = walk[index].key
        at = after = state
        while index < len(walk) and walk[index].key == key:
            kind = walk[index].kind
            if kind == "introduced":
                at = after = True
            elif kind == "fixed":
                at = after = False
            else:  # last_affected
                after = False
            index += 1
        points.append((key, at, after))
        state = after
    intervals = _intervals(points)
    limits = [e.key for e in events if e.kind == "limit"]
    if limits and "*" not in limits:
        intervals = _clip(intervals, max(limits))
    return intervals


def _intervals(points: list[tuple[str, bool, bool]]) -> list[Interval]:
    """Merge the affected points and gaps of a walk into intervals."""
    result: list[Interval] = []
    start: tuple[str, bool] | None = None
    for key, at, after in points:
        if key == MIN_KEY:
            # "0": nothing lies at or before it, only the gap after it counts.
            if after:
                start = (MIN_KEY, True)
            continue
        if at and start is None:
            start = (key, True)
        elif not at and start is not None:
            result.append((start[0], start[1], key, False))
            start = None
        if after and start is None:
            start = (key, False)
        elif not after and start is not None:
            result.append((start[0], start[1], key, True))
            start = None
    if start is not None:
        result.append((start[0], start[1], None, False))
    return result


def _clip(intervals: list[Interval], limit: str) -> list[Interval]:
    """Keep what lies strictly before `limit`."""
    clipped: list[Interval] = []
    for low, low_incl, high, high_incl in intervals:
        if low > limit or (low == limit):
            continue
        if high is None or high > limit or (high == limit and high_incl):
            clipped.append((low, low_incl, limit, False))
        else:
            clipped.append((low, low_incl, high, high_incl))
    return clipped


def _union(intervals: list[Interval]) -> tuple[Interval, ...]:
    """Sort and merge overlapping or touching intervals (from several ranges)."""
    ordered = sorted(intervals, key=lambda i: (i[0], not i[1]))
    merged: list[Interval] = []
    for interval in ordered:
        if merged and _touches(merged[-1], interval):
            low, low_incl, high, high_incl = merged[-1]
            merged[-1] = (low, low_incl, *_max_high((high, high_incl), interval[2:]))
        else:
            merged.append(interval)
    return tuple(merged)


def _touches(left: Interval, right: Interval) -> bool:
    high, high_incl = left[2], left[3]
    if high is None:
        return True
    return right[0] < high or (right[0] == high and (high_incl or right[1]))


def _max_high(a: tuple[str | None, bool], b: tuple[str | None, bool]) -> tuple[str | None, bool]:
    if a[0] is None or b[0] is None:
        return (None, False)
    if a[0] != b[0]:
        return a if a[0] > b[0] else b
    return (a[0], a[1] or b[1])


def half_open(intervals: Iterable[Interval]) -> list[str]:
    """Sorted disjoint intervals as `CompiledAffected.bounds` (see `compiled`)."""
    bounds = []
    for low, low_incl, high, high_incl in intervals:
        bounds.append(low if low_incl else low + TOP)
        bounds.append(TOP if high is None else (high + TOP if high_incl else high))
    return bounds


def interval_contains(interval: Interval, key: str) -> bool:
    """Whether `key` lies in `interval` (plain comparisons, for tests and checks)."""
    low, low_incl, high, high_incl = interval
    above = key > low or (low_incl and key == low)
    below = high is None or key < high or (high_incl and key == high)
    return above and below


def compile_intervals(
    entries: Iterable[Affected], warn: Warn, where: str = ""
) -> tuple[tuple[Interval, ...], set[str], dict[str, str]]:
    """The union of the `ECOSYSTEM` ranges of `entries` as intervals, the keys of the listed
    versions, and the fix candidates (key -> version as written)."""
    intervals: list[Interval] = []
    versions: set[str] = set()
    fixes: dict[str, str] = {}
    for entry in entries:
        invalid = []
        for listed in entry.versions:
            key = key_of(listed)
            if key is None:
                invalid.append(listed)
            else:
                versions.add(key)
        if invalid:
            shown = ", ".join(invalid[:5]) + (", ..." if len(invalid) > 5 else "")
            warn(f"{where}: {len(invalid)} listed version(s) not PEP 440 ({shown}); skipped")
        for rng in entry.ranges:
            if rng.type != "ECOSYSTEM":
                continue
            events = keyed_events(rng.events, warn, where)
            intervals.extend(compile_range(events))
            for event in events:
                if event.kind == "fixed":
                    fixes.setdefault(event.key, event.version)
    return _union(intervals), versions, fixes


def compile_affected(entries: Iterable[Affected], warn: Warn, where: str = "") -> CompiledAffected:
    """Compile every PyPI entry of one record for one package into one `CompiledAffected`."""
    intervals, versions, fixes = compile_intervals(entries, warn, where)
    bounds = half_open(intervals)
    ranged = CompiledAffected(bounds)
    # Listed versions inside the ranges add nothing; the store keeps only the others.
    extra = frozenset(key for key in versions if not ranged.affects(key))
    return CompiledAffected(bounds, extra, tuple(sorted(fixes.items())))
