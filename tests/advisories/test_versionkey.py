"""Version keys must sort exactly as packaging's Version does."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.version import Version

from bastion.advisories.versionkey import MIN_KEY, key_of, version_key

numbers = st.integers(min_value=0, max_value=12) | st.integers(min_value=0, max_value=10**12)


@st.composite
def versions(draw: st.DrawFn) -> str:
    """Random PEP 440 versions using every part: epoch, release, pre, post, dev, local."""
    text = ""
    if draw(st.booleans()) and draw(st.booleans()):
        text += f"{draw(numbers)}!"
    text += ".".join(str(draw(numbers)) for _ in range(draw(st.integers(1, 4))))
    if draw(st.booleans()):
        text += draw(st.sampled_from(["a", "b", "rc", "alpha", "c", "pre"])) + str(draw(numbers))
    if draw(st.booleans()):
        text += draw(st.sampled_from([".post", "-", ".r"])) + str(draw(numbers))
    if draw(st.booleans()):
        text += ".dev" + str(draw(numbers))
    if draw(st.booleans()):
        parts = draw(
            st.lists(
                st.from_regex(r"[0-9]{1,3}|[a-z][a-z0-9]{0,3}|[0-9][a-z]", fullmatch=True),
                min_size=1,
                max_size=3,
            )
        )
        text += "+" + draw(st.sampled_from([".", "-", "_"])).join(parts)
    return text


def _sign(a: str | Version, b: str | Version) -> int:
    return int(a > b) - int(a < b)  # type: ignore[operator]


@settings(max_examples=600)
@given(versions(), versions())
def test_keys_order_exactly_like_versions(a: str, b: str) -> None:
    va, vb = Version(a), Version(b)
    assert _sign(version_key(va), version_key(vb)) == _sign(va, vb)


@settings(max_examples=200)
@given(versions(), versions())
def test_no_key_is_the_beginning_of_another(a: str, b: str) -> None:
    ka, kb = key_of(a), key_of(b)
    assert ka is not None and kb is not None
    if ka != kb:
        assert not kb.startswith(ka) and not ka.startswith(kb)
    assert "~" not in ka and "|" not in ka


def test_known_orderings() -> None:
    ordered = [
        "0.dev0",
        "0a0",
        "0",
        "0.post0.dev0",
        "0.post0",
        "1.0.dev1",
        "1.0a1.dev1",
        "1.0a1",
        "1.0a1.post1",
        "1.0b1",
        "1.0rc1",
        "1.0",
        "1.0+abc",
        "1.0+abc.1",
        "1.0+1",
        "1.0.post1",
        "1.0.1",
        "1.10",
        "2",
        "1!0.1",
    ]
    keys = [key_of(v) for v in ordered]
    assert keys == sorted(keys)  # type: ignore[type-var]
    assert len(set(keys)) == len(keys)


def test_equal_versions_share_a_key() -> None:
    assert key_of("1.0") == key_of("1.0.0") == key_of("1") == key_of("v1.0")
    assert key_of("1.0+ABC") == key_of("1.0+abc")
    assert key_of("1.0-1") == key_of("1.0.post1")


def test_invalid_versions_have_no_key() -> None:
    assert key_of("not a version") is None
    assert key_of("0.7.10p1") is None
    assert key_of("1." + "9" * 120) is None  # absurd component: refused, not mis-sorted


def test_min_key_sorts_before_every_version() -> None:
    assert key_of("0.dev0") > MIN_KEY  # type: ignore[operator]
