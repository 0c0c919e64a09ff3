"""Constraints files (`-c`) applied to requirements, as pip applies them for one target.

Constraints are not dependencies. After a whole requirements tree is read, a constraint that
pins one exact version applies to a requirement of the same name that does not pin one, when
the constraint is unconditional or carries the same marker as the requirement (pip would
evaluate markers for the running interpreter, but bastion audits for any target, so a
conditional pin is only trusted where it provably applies). The requirement keeps its own
origin line and takes the constraint's hashes if it has none. Constraints that pin different
versions, or contradict a requirement's pin, give a warning and change nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bastion.findings import Diagnostic
from bastion.inventory.model import Dependency


def apply_constraints(
    dependencies: Sequence[Dependency],
    constraints: Sequence[Dependency],
    diagnostics: list[Diagnostic],
) -> list[Dependency]:
    """Pin unpinned `dependencies` that `constraints` pin to one version (see module doc)."""
    by_name: dict[str, list[Dependency]] = {}
    for item in constraints:
        if item.version is not None:
            by_name.setdefault(item.name, []).append(item)
    if not by_name:
        return list(dependencies)
    result: list[Dependency] = []
    for dep in dependencies:
        applicable = [
            c for c in by_name.get(dep.name, ()) if c.markers is None or c.markers == dep.markers
        ]
        result.append(_constrained(dep, applicable, diagnostics) if applicable else dep)
    return result


def _constrained(
    dep: Dependency, constraints: list[Dependency], diagnostics: list[Diagnostic]
) -> Dependency:
    pins = {c.version for c in constraints}
    where = ", ".join(str(c.origin) for c in constraints if c.origin)
    if len(pins) > 1:
        listed = ", ".join(sorted(str(p) for p in pins))
        diagnostics.append(
            Diagnostic(f"constraints pin {dep.name} to different versions ({listed}; {where})")
        )
        return dep
    (pin,) = pins
    if pin is None:
        return dep
    if dep.url is not None:
        return dep
    if dep.version is not None:
        if dep.version != pin:
            diagnostics.append(
                Diagnostic(
                    f"{dep.name}=={dep.version} contradicts the constraint {dep.name}=={pin} "
                    f"({where})",
                    dep.origin,
                )
            )
            return dep
        if dep.hashes:
            return dep
    elif dep.specifier and not _allows(dep.specifier, pin):
        diagnostics.append(
            Diagnostic(
                f"{dep.name}{dep.specifier} excludes the constraint {dep.name}=={pin} ({where})",
                dep.origin,
            )
        )
        return dep
    hashes = dep.hashes or _common_hashes(constraints)
    return replace(dep, version=pin, hashes=hashes)


def _allows(specifier: str, version: str) -> bool:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        return SpecifierSet(specifier).contains(version, prereleases=True)
    except InvalidSpecifier:
        return True


def _common_hashes(constraints: list[Dependency]) -> tuple[str, ...]:
    """The hashes every hash-carrying constraint accepts (pip intersects them)."""
    lists = [c.hashes for c in constraints if c.hashes]
    if not lists:
        return ()
    common = set(lists[0]).intersection(*lists[1:])
    return tuple(h for h in lists[0] if h in common)
