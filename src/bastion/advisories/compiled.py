"""What one record says about one package, in the form an audit evaluates.

`ranges.compile_affected` builds it once, at import; the store keeps it as three short strings
(`encode` / `decode`); an audit only compares `versionkey` keys, with `bisect`.

`bounds` is a flat, sorted list `[L0, H0, L1, H1, ...]` of half-open intervals `[L, H)` of
keys: a key `k` is inside when `bisect_right(bounds, k)` is odd. Closed and open ends are
folded in by appending `~` to a key: since no key is the beginning of another key and keys
never contain `~`, `k > lo` holds exactly when `k >= lo + "~"`, and `k <= hi` exactly when
`k < hi + "~"`. `""` (introduced "0") is below every key and `~` alone above every key.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

#: An upper bound above every version key.
TOP = "~"
_SEP = "|"  # never part of a key or of a valid PEP 440 version


@dataclass(slots=True)
class CompiledAffected:
    """`bounds` (see the module docstring), `versions`: keys of listed versions the ranges
    do not already cover, `fixes`: (key, version) of each `fixed` event, sorted by key.

    Not frozen only because an audit builds thousands; treat it as immutable.
    """

    bounds: Sequence[str] = ()
    versions: frozenset[str] = frozenset()
    fixes: Sequence[tuple[str, str]] = ()

    def affects(self, key: str) -> bool:
        """True when the version with this key is affected."""
        return bisect_right(self.bounds, key) & 1 == 1 or key in self.versions

    def encode(self) -> tuple[str, str, str]:
        """The three strings the store keeps."""
        return (
            _SEP.join(self.bounds),
            _SEP.join(sorted(self.versions)),
            _SEP.join(part for fix in self.fixes for part in fix),
        )

    @classmethod
    def decode(cls, bounds: str, versions: str, fixes: str) -> CompiledAffected:
        """The inverse of `encode` (string splits only: this runs once per stored row)."""
        parts = fixes.split(_SEP) if fixes else []
        return cls(
            bounds.split(_SEP) if bounds else (),
            frozenset(versions.split(_SEP)) if versions else frozenset(),
            tuple(zip(parts[::2], parts[1::2], strict=True)),
        )
