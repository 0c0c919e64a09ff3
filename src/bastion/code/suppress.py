"""Suppression comments: bandit's `# nosec` and bastion's own `# bastion: ignore[...]`.

Semantics follow bandit 1.9 (checked against its source and behaviour):

- `# nosec` alone suppresses every rule; `# nosec B602, B607` (or rule names, such as
  `subprocess_popen_with_shell_equals_true`) only those. The marker is case-sensitive, may be
  followed by `:` and may come after other comment text (`# noqa # nosec`). Words that are no
  rule ID or name (`# nosec - reviewed`) are ignored, and a comment left with none is a bare
  `# nosec`.
- A comment applies to a finding when it is on any line of the node the rule reported (so
  `subprocess.run(  # nosec` on the first line of a multi-line call works, and so does one
  after the closing parenthesis).

Differences, all in the direction a user would expect:

- `# nosec B602,B607` (no space) suppresses both; bandit's pattern keeps only the last ID.
- `nosec` must be a word of its own: bandit also reads `# nosecurity` as a bare `# nosec`.
- `# nosec B999` with an unknown `B` number suppresses only B999; bandit treats an unknown ID
  as a bare `# nosec` that hides everything on the line.
- The first and last line of the enclosing statement count too: `x = [  # nosec` above a
  multi-line literal, or `)  # nosec` closing a multi-line assignment, cover the findings in it.
- For a rule that reports a compound statement (`def`, `class`, `with`...), only the
  statement's header lines count, not its whole body.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

_NOSEC = re.compile(r"#\s*nosec\b:?(?P<rest>[^#]*)")
_BASTION = re.compile(r"#\s*bastion:\s*ignore(?:\[(?P<ids>[^\]]*)\])?")
_WORD = re.compile(r"[A-Za-z0-9_]+")
_RULE_ID = re.compile(r"[Bb]\d{3,4}")


@dataclass(frozen=True, slots=True)
class Suppression:
    """One suppression comment: `ids` None means every rule."""

    kind: str  # "nosec" or "bastion: ignore"
    ids: frozenset[str] | None

    def covers(self, rule_id: str) -> bool:
        return self.ids is None or rule_id in self.ids


def parse_comment(text: str, rule_names: Mapping[str, str]) -> list[Suppression]:
    """The suppressions one comment carries (`rule_names` maps rule names to IDs)."""
    found: list[Suppression] = []
    match = _NOSEC.search(text)
    if match:
        ids = _ids(match.group("rest"), rule_names)
        found.append(Suppression("nosec", frozenset(ids) or None))
    bastion = _BASTION.search(text)
    if bastion:
        listed = bastion.group("ids")
        ids = _ids(listed, rule_names) if listed is not None else set()
        found.append(Suppression("bastion: ignore", frozenset(ids) or None))
    return found


def _ids(text: str, rule_names: Mapping[str, str]) -> set[str]:
    ids: set[str] = set()
    for word in _WORD.findall(text):
        if _RULE_ID.fullmatch(word):
            ids.add(word.upper())
        elif word in rule_names:
            ids.add(rule_names[word])
    return ids


def find_suppressions(source: str, rule_names: Mapping[str, str]) -> dict[int, list[Suppression]]:
    """Suppressions by line number. Only comments count (not `nosec` inside a string)."""
    if "nosec" not in source and "bastion:" not in source:
        return {}
    result: dict[int, list[Suppression]] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT:
                found = parse_comment(token.string, rule_names)
                if found:
                    result.setdefault(token.start[0], []).extend(found)
    except (tokenize.TokenError, SyntaxError):
        # The file parsed, so this is rare; fall back to a line scan.
        for number, line in enumerate(source.splitlines(), 1):
            if "#" in line:
                found = parse_comment(line[line.index("#") :], rule_names)
                if found:
                    result[number] = found
    return result


def suppression_for(
    rule_id: str, lines: Iterable[int], by_line: Mapping[int, list[Suppression]]
) -> Suppression | None:
    """The first suppression on `lines` that covers `rule_id`, or None."""
    for line in lines:
        for suppression in by_line.get(line, ()):
            if suppression.covers(rule_id):
                return suppression
    return None
