"""What the installed-files rules (V401-V404) share: a `Problem` as a finding."""

from __future__ import annotations

from bastion.findings import Finding, Location, PackageRef, Severity
from bastion.verify.record import Problem
from bastion.verify.rule import Rule


def finding_for(
    rule: Rule, problem: Problem, title: str, severity: Severity | None = None
) -> Finding:
    """The finding at the file, naming the distribution it belongs to."""
    finding = rule.finding(
        title,
        location=Location(str(problem.path)),
        severity=severity,
        fix=_fix(problem),
        key=str(problem.path),
    )
    if problem.distribution is not None:
        dist = problem.distribution
        finding.package = PackageRef(dist.name, dist.version, Location(str(dist.dist_info)))
    return finding


def _fix(problem: Problem) -> str:
    if problem.distribution is None:
        return "find out who put it there; remove it, or rebuild the environment from the lock"
    dist = problem.distribution
    return (
        f"reinstall {dist.name}: pip install --force-reinstall --no-deps "
        f"{dist.name}=={dist.version} (or rebuild the environment from the lock)"
    )
