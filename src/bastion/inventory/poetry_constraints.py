"""Poetry's version constraints (`^1.2`, `~1.2`, `1.2.*`, `>=1,<2`) as PEP 440 specifiers.

Written here because `packaging` knows only PEP 440 and poetry-core is too large a dependency
for one small grammar. Poetry's `||` (either range) cannot be one PEP 440 specifier set:
`poetry_to_pep440` refuses it, and the readers read such a dependency unpinned.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r"\s*(\^|~=|~|===|==|!=|>=|<=|>|<|=)?\s*([0-9A-Za-z*][0-9A-Za-z.*+!_-]*)\s*")
_CLAUSE = re.compile(r"^(===|==|!=|>=|<=|~=|>|<)(.+)$")


def poetry_to_pep440(constraint: str) -> str:
    """A Poetry version constraint as a PEP 440 specifier string (`""` means any version).

    `^1.2.3` -> `>=1.2.3,<2.0.0`, `^0.2.3` -> `>=0.2.3,<0.3.0`, `~1.2.3` -> `>=1.2.3,<1.3.0`,
    `~1` -> `>=1,<2`, `1.2.*` -> `==1.2.*`, `1.2.3` -> `==1.2.3`, `>= 1.2, < 2` -> `>=1.2,<2`.
    Raises ValueError for what is not a constraint or needs `||`.
    """
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    text = constraint.strip()
    if "|" in text:
        raise ValueError(f"{constraint!r} has alternatives (||), which PEP 440 cannot express")
    parts: list[str] = []
    for raw_clause in text.split(","):
        clause = raw_clause.strip()
        if not clause:
            if text:
                raise ValueError(f"{constraint!r}: empty clause")
            continue
        pos = 0
        while pos < len(clause):
            match = _TOKEN.match(clause, pos)
            if match is None or match.end() == pos:
                raise ValueError(f"{constraint!r} is not a version constraint")
            parts.extend(_poetry_clause(match.group(1), match.group(2), constraint))
            pos = match.end()
    result = ",".join(parts)
    try:
        SpecifierSet(result)
    except InvalidSpecifier:
        raise ValueError(f"{constraint!r} is not a version constraint") from None
    return result


def _poetry_clause(operator: str | None, version: str, original: str) -> list[str]:
    version = re.sub(r"(?<=\.)[xX](?=\.|$)", "*", version)
    if version == "*":
        if operator not in (None, "=", "=="):
            raise ValueError(f"{original!r} is not a version constraint ('*' after {operator})")
        return []
    if operator in (None, "="):
        return [f"=={version}"]
    if operator in ("^", "~"):
        release = _release(version, original)
        if operator == "^":
            bump = next((i for i, n in enumerate(release) if n != 0), len(release) - 1)
        else:
            bump = 0 if len(release) == 1 else 1
        upper = [*release[:bump], release[bump] + 1] + [0] * (len(release) - bump - 1)
        return [f">={version}", "<" + ".".join(map(str, upper))]
    return [f"{operator}{version}"]


def _release(version: str, original: str) -> tuple[int, ...]:
    from packaging.version import InvalidVersion, Version

    try:
        parsed = Version(version)
    except InvalidVersion:
        raise ValueError(f"{original!r}: {version!r} is not a version") from None
    return parsed.release


def poetry_python_marker(constraint: str) -> str | None:
    """Poetry's `python = "^3.8"` on a dependency as a PEP 508 marker (None: any Python)."""
    alternatives: list[str] = []
    for alternative in re.split(r"\s*\|\|?\s*", constraint.strip()):
        specifier = poetry_to_pep440(alternative)
        if not specifier:
            return None
        clauses = []
        for clause in specifier.split(","):
            match = _CLAUSE.match(clause)
            if match is None:  # pragma: no cover - poetry_to_pep440 validated it
                raise ValueError(f"{constraint!r} is not a Python constraint")
            operator, version = match.groups()
            exact = version.rstrip(".*").count(".") >= 2
            variable = "python_full_version" if exact else "python_version"
            clauses.append(f'{variable} {operator} "{version}"')
        alternatives.append(" and ".join(clauses))
    if len(alternatives) == 1:
        return alternatives[0]
    return " or ".join(f"({a})" for a in alternatives)
