"""PEP 440 versions as text keys that sort exactly as `packaging.version.Version` does.

Why by hand: `packaging` orders versions but offers no serializable sort key. The store keeps
every range boundary as such a key, computed once at import, so an audit compares plain strings
and parses only the project's own versions (thousands of boundary parses would otherwise cost
more than the whole audit's time budget). `packaging` stays the only parser: the key is built
from `Version`'s public attributes, and a property test checks that comparing two keys always
agrees with comparing the two `Version`s (including epochs, pre, post, dev and local parts).

Layout, each part prefix-free so that string order equals tuple order:
epoch, release (trailing zeros dropped, as PEP 440 compares), pre, post, dev, local.
"""

from __future__ import annotations

from functools import lru_cache

from packaging.version import InvalidVersion, Version

#: The key of `introduced: "0"`, which the OSV schema defines as before every version.
MIN_KEY = ""

_PRE = {"a": "1", "b": "2", "rc": "3"}


def _number(value: int) -> str:
    digits = str(value)
    if len(digits) > 99:
        raise ValueError("version component has more than 99 digits")
    return f"{len(digits):02d}{digits}"


def version_key(version: Version) -> str:
    """The sort key of a parsed version (equal versions, such as 1.0 and 1.0.0, share a key)."""
    release = list(version.release)
    while release and release[-1] == 0:
        release.pop()
    parts = [_number(version.epoch)]
    parts.extend("1" + _number(n) for n in release)
    parts.append("0")
    pre, post, dev = version.pre, version.post, version.dev
    if pre is None and post is None and dev is not None:
        parts.append("0")  # 1.0.dev0 sorts before 1.0a0
    elif pre is None:
        parts.append("4")  # no pre-release: after every pre-release
    else:
        parts.append(_PRE[pre[0]] + _number(pre[1]))
    parts.append("0" if post is None else "1" + _number(post))
    parts.append("2" if dev is None else "1" + _number(dev))
    if version.local is None:
        parts.append("0")
    else:
        parts.append("1")
        for piece in version.local.split("."):
            if piece.isdigit():
                parts.append("2" + _number(int(piece)))
            else:
                parts.append("1" + piece.lower() + "!")
        parts.append("0")
    return "".join(parts)


@lru_cache(maxsize=16384)
def key_of(text: str) -> str | None:
    """The key of a version string, or None when it is not a valid PEP 440 version."""
    try:
        return version_key(Version(text))
    except (InvalidVersion, ValueError):
        return None
