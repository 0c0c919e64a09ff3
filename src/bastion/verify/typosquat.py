"""Which popular project a name imitates, if any.

A typosquat is a name one slip away from a popular one: one character deleted, inserted or
replaced, two neighbours swapped, separators dropped (`pythondateutil`), a look-alike
(`rn` for `m`, `0` for `o`, `1` or `I` for `l`: names are case-insensitive, so `jeIlyfish`
reaches us as `jeilyfish`, one replacement from `jellyfish`), or a `py`/`python` or digit
affix added or removed (`requests3`, `python-requests`, `dateutil` for `python-dateutil`).

Nobody imitates an obscure name, and short names sit one edit from hundreds of legitimate
ones, so only the `TARGETS` most downloaded names are targets (GuardDog's choice too), only
those of at least `MIN_LENGTH` characters for edits (affixes apply to names of 3 or more),
and a name that is itself on the popular list is never reported. Among several targets the
most downloaded wins. Similar names are common among legitimate projects (of the 15,000
popular names, 522 are one such slip from a more popular one among the first 5,000:
`futures`/`future`, `pymssql`/`pymysql`), so a finding is of medium confidence: it asks
the reader to confirm the name, and says which project it resembles.

Written here because no maintained library does it: GuardDog's typosquatting heuristic is
part of a large application (semgrep, yara), not an importable API. The variants of the
queried name are generated and looked up in the popular set (about 40 per character), so a
check costs microseconds per dependency and nothing at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass

from bastion.verify.popular import Popular

MIN_LENGTH = 5
TARGETS = 5000
_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789-"
_LOOK_ALIKES = (("rn", "m"), ("vv", "w"), ("cl", "d"), ("0", "o"), ("1", "l"), ("5", "s"))
_PREFIXES = ("python-", "python", "py-", "py")
_SUFFIXES = ("-python", "python", "-py", "py", "-lib", "lib")


@dataclass(frozen=True, slots=True)
class Imitation:
    """`name` imitates the popular `target`, by `how` (one phrase: "one letter replaced")."""

    name: str
    target: str
    how: str


def imitated(name: str, popular: Popular) -> Imitation | None:
    """The popular project `name` (normalized) imitates, or None."""
    if name in popular or len(name) < 3:
        return None
    best: tuple[int, str, str] | None = None
    for target, how in _candidates(name, popular):
        rank = popular.rank(target)
        if rank is None or rank >= TARGETS or target == name:
            continue
        if best is None or rank < best[0]:
            best = (rank, target, how)
    return Imitation(name, best[1], best[2]) if best is not None else None


def _candidates(name: str, popular: Popular) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []

    def target_of_edit(candidate: str, how: str) -> None:
        if len(candidate) >= MIN_LENGTH and candidate in popular:
            found.append((candidate, how))

    def target_of_affix(candidate: str, how: str) -> None:
        if len(candidate) >= 3 and candidate in popular:
            found.append((candidate, how))

    joined = name.replace("-", "")
    if joined != name:
        target_of_edit(joined, "separators dropped")
    for index in range(len(name)):
        target_of_edit(name[:index] + name[index + 1 :], "one character added")
        if index + 1 < len(name) and name[index] != name[index + 1]:
            swapped = name[:index] + name[index + 1] + name[index] + name[index + 2 :]
            target_of_edit(swapped, "two characters swapped")
        for letter in _ALPHABET:
            if letter != name[index]:
                target_of_edit(name[:index] + letter + name[index + 1 :], "one character changed")
    for index in range(len(name) + 1):
        for letter in _ALPHABET:
            target_of_edit(name[:index] + letter + name[index:], "one character left out")
    for fake, real in _LOOK_ALIKES:
        if fake in name:
            target_of_edit(name.replace(fake, real), f"look-alike {fake!r} for {real!r}")
        if real in name:
            target_of_edit(name.replace(real, fake), f"look-alike {real!r} for {fake!r}")
    for affix in _PREFIXES:
        if name.startswith(affix):
            target_of_affix(name[len(affix) :].lstrip("-"), f"prefix {affix!r} added")
        target_of_affix(affix + name, f"prefix {affix!r} left out")
    for affix in _SUFFIXES:
        if name.endswith(affix):
            target_of_affix(name[: -len(affix)].rstrip("-"), f"suffix {affix!r} added")
        target_of_affix(name + affix, f"suffix {affix!r} left out")
    stripped = name.rstrip("0123456789").rstrip("-")
    if stripped != name:
        target_of_affix(stripped, "digits added")
    return found
