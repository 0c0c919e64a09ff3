"""C101: a pinned dependency behind the newest release it could use."""

from __future__ import annotations

import sys
from collections.abc import Iterator

from bastion.current.newest import behind
from bastion.current.rule import ADVICE, REGISTRY, current_rule
from bastion.findings import Finding, Severity
from bastion.verify.facts import Facts


@current_rule("C101", "outdated", severity=Severity.LOW)
def outdated(facts: Facts) -> Iterator[Finding]:
    """A pinned dependency is behind the newest release the project could install.

    ## What it does
    For each pinned dependency, finds the newest release on the index that is not yanked and
    whose `Requires-Python` allows the oldest Python the project's `requires-python` admits
    (the running Python when it says nothing; pre-releases only when the pin is one), and
    reports how many releases and days the pin is behind. Advice: it fails the run
    only with `--fail-on-outdated`.

    ## Why is this bad?
    Fixes for vulnerabilities not yet in any advisory, and the end of support for old
    releases, arrive in new releases; the further behind, the larger and riskier the jump
    when a fix is urgent.

    ## Example
    ```text
    requests==2.25.1
    ```

    ## Use instead
    ```text
    requests==2.32.5   # bastion audit --fix applies the smallest safe upgrade
    ```
    """
    python = _project_python(facts) or ".".join(str(part) for part in sys.version_info[:3])
    seen: set[tuple[str, str]] = set()
    for dependency in facts.from_index():
        key = (dependency.name, dependency.version or "")
        page = facts.pages().get(dependency.name)
        if page is None or dependency.version is None or key in seen:
            continue
        seen.add(key)
        gap = behind(page, dependency.version, python)
        if gap is None:
            continue
        days = f", {gap.days} days" if gap.days is not None else ""
        yield RULE.finding(
            f"{dependency.name} {dependency.version} is {gap.releases} release"
            f"{'s' if gap.releases != 1 else ''} behind {gap.newest}{days}",
            dependency=dependency,
            fix=f"upgrade {dependency.name} to {gap.newest} (newest that installs here)",
            extra=ADVICE,
        )


def _project_python(facts: Facts) -> str | None:
    """The oldest Python the project's `requires-python` admits, as `X.Y`, if it says."""
    from bastion.code.settings import python_minimum

    pyproject = facts.project_dir / "pyproject.toml"
    lowest = python_minimum(pyproject if pyproject.is_file() else None)
    return f"{lowest[0]}.{lowest[1]}" if lowest is not None else None


RULE = REGISTRY["C101"]
