"""Range evaluation as the OSV schema defines it, for PyPI ECOSYSTEM ranges."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.version import Version

from bastion.advisories.compiled import CompiledAffected
from bastion.advisories.model import Affected, Event, Range
from bastion.advisories.ranges import (
    KeyedEvent,
    compile_affected,
    compile_range,
    half_open,
    keyed_events,
    range_admits,
    reference_affects,
)
from bastion.advisories.versionkey import key_of

# A small universe of versions, with pre/post/dev/local neighbours of each release, so that
# random events often coincide and every boundary has versions on both sides.
RELEASES = [f"{major}.{minor}" for major in range(3) for minor in range(4)]
UNIVERSE = sorted(
    {
        v
        for r in RELEASES
        for v in (r, f"{r}.dev0", f"{r}a1", f"{r}rc1", f"{r}.post1", f"{r}+local", f"{r}.1")
    },
    key=Version,
)


def _compiled(events: list[tuple[str, str]], versions: tuple[str, ...] = ()) -> CompiledAffected:
    entry = Affected(
        "PyPI",
        "pkg",
        ranges=(Range("ECOSYSTEM", tuple(Event(k, v) for k, v in events)),),
        versions=versions,
    )
    return compile_affected([entry], lambda _m: None)


def _affects(compiled: CompiledAffected, version: str) -> bool:
    key = key_of(version)
    assert key is not None
    return compiled.affects(key)


def test_introduced_fixed() -> None:
    c = _compiled([("introduced", "1.0"), ("fixed", "1.2")])
    assert [
        v for v in ("0.9", "1.0rc1", "1.0", "1.1.9", "1.2rc1", "1.2", "1.3") if _affects(c, v)
    ] == [
        "1.0",
        "1.1.9",
        "1.2rc1",
    ]


def test_introduced_zero_is_before_every_version() -> None:
    c = _compiled([("introduced", "0"), ("fixed", "1.0")])
    assert _affects(c, "0.dev0") and _affects(c, "0a1") and _affects(c, "0.0.0")
    assert not _affects(c, "1.0") and not _affects(c, "1.0.post1")


def test_last_affected_is_inclusive() -> None:
    c = _compiled([("introduced", "0"), ("last_affected", "2.1.214")])
    assert _affects(c, "2.1.214")
    # PEP 440 sorts a local version after its public one, so the schema's `v > last_affected`
    # holds for it: not affected (documented in docs/advisory-data.md).
    assert not _affects(c, "2.1.214+local")
    assert not _affects(c, "2.1.214.post1")
    assert not _affects(c, "2.1.215")


def test_limit_caps_an_open_range() -> None:
    c = _compiled([("introduced", "3.0"), ("limit", "3.5")])
    assert _affects(c, "3.0") and _affects(c, "3.4.9")
    assert not _affects(c, "3.5") and not _affects(c, "4.0") and not _affects(c, "2.9")
    star = _compiled([("introduced", "3.0"), ("limit", "*")])
    assert _affects(star, "99")


def test_several_intervals_and_unsorted_events() -> None:
    c = _compiled(
        [("fixed", "3.2.5"), ("introduced", "3.0.0"), ("fixed", "1.0.2"), ("introduced", "1.0.0")]
    )
    affected = [
        v
        for v in ("0.9", "1.0.0", "1.0.1", "1.0.2", "2.0", "3.0.0", "3.2.4", "3.2.5")
        if _affects(c, v)
    ]
    assert affected == ["1.0.0", "1.0.1", "3.0.0", "3.2.4"]


def test_explicit_versions_and_epochs() -> None:
    c = _compiled([("introduced", "1!0")], versions=("0.5",))
    assert _affects(c, "0.5") and not _affects(c, "0.6") and not _affects(c, "5.0")
    assert _affects(c, "1!0.1")


def test_invalid_versions_are_skipped_with_a_warning() -> None:
    warnings: list[str] = []
    entry = Affected(
        "PyPI",
        "pkg",
        ranges=(
            Range(
                "ECOSYSTEM",
                (Event("introduced", "1.0"), Event("fixed", "nope!"), Event("fixed", "2.0")),
            ),
        ),
        versions=("1.5", "bad one"),
    )
    c = compile_affected([entry], warnings.append, "X-1: pkg")
    assert warnings == [
        "X-1: pkg: 1 listed version(s) not PEP 440 (bad one); skipped",
        "X-1: pkg: fixed 'nope!' is not a PEP 440 version; skipped",
    ]
    assert _affects(c, "1.9") and not _affects(c, "2.0")
    assert c.fixes == ((key_of("2.0"), "2.0"),)


def test_git_and_semver_ranges_are_ignored_for_pypi() -> None:
    entry = Affected(
        "PyPI",
        "pkg",
        ranges=(
            Range("GIT", (Event("introduced", "0"),), repo="https://example.org/x.git"),
            Range("SEMVER", (Event("introduced", "0"),)),
        ),
        versions=("0.5",),
    )
    c = compile_affected([entry], lambda _m: None)
    assert _affects(c, "0.5") and not _affects(c, "0.6")
    assert not reference_affects(entry, Version("0.6"))


# --- properties -----------------------------------------------------------------------------

events_strategy = st.lists(
    st.tuples(
        st.sampled_from(["introduced", "introduced", "fixed", "last_affected", "limit"]),
        st.sampled_from(["0", *RELEASES]),
    ).filter(lambda e: e[1] != "0" or e[0] == "introduced"),
    max_size=8,
)


def _keyed(events: list[tuple[str, str]]) -> list[KeyedEvent]:
    return keyed_events([Event(k, v) for k, v in events], lambda _m: None)


@settings(max_examples=400)
@given(events_strategy)
def test_compiled_form_agrees_with_the_schema_pseudocode(events: list[tuple[str, str]]) -> None:
    keyed = _keyed(events)
    c = CompiledAffected(half_open(compile_range(keyed)))
    for version in UNIVERSE:
        assert c.affects(key_of(version) or "") == range_admits(keyed, Version(version)), version


@st.composite
def well_formed(draw: st.DrawFn) -> list[tuple[str, str, str]]:
    """Disjoint [introduced, end) pairs, end being fixed or last_affected (or open)."""
    points = sorted(draw(st.sets(st.sampled_from(RELEASES), max_size=6)), key=Version)
    pairs = []
    for i in range(0, len(points), 2):
        end = points[i + 1] if i + 1 < len(points) else ""
        pairs.append((points[i], draw(st.sampled_from(["fixed", "last_affected"])), end))
    return pairs


@settings(max_examples=300)
@given(well_formed(), st.randoms(use_true_random=False))
def test_evaluation_agrees_with_a_brute_force_interval_model(
    pairs: list[tuple[str, str, str]], rnd: object
) -> None:
    events = []
    for start, kind, end in pairs:
        events.append(("introduced", start))
        if end:
            events.append((kind, end))
    rnd.shuffle(events)  # type: ignore[attr-defined]  # order in the record must not matter
    c = _compiled(events)

    def brute(v: Version) -> bool:
        for start, kind, end in pairs:
            low_ok = v >= Version(start)
            if not end:
                high_ok = True
            elif kind == "fixed":
                high_ok = v < Version(end)
            else:
                high_ok = v <= Version(end)
            if low_ok and high_ok:
                return True
        return False

    for version in UNIVERSE:
        assert _affects(c, version) == brute(Version(version)), version


@settings(max_examples=200)
@given(st.sampled_from(RELEASES), st.sampled_from(RELEASES))
def test_a_fixed_version_is_never_affected(start: str, fixed: str) -> None:
    c = _compiled([("introduced", start), ("fixed", fixed)])
    assert not _affects(c, fixed)


@settings(max_examples=200)
@given(st.sampled_from(RELEASES), st.sampled_from(RELEASES))
def test_last_affected_is_affected_and_the_next_version_is_not(start: str, last: str) -> None:
    c = _compiled([("introduced", start), ("last_affected", last)])
    if Version(start) <= Version(last):
        assert _affects(c, last)
    assert not _affects(c, last + ".post1")
    assert not _affects(c, last + ".1")
