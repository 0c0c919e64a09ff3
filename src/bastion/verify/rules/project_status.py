"""V205: a project the index marks quarantined, archived or deprecated (PEP 792)."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.findings import Finding, Severity
from bastion.verify.facts import Facts
from bastion.verify.rule import REGISTRY, verify_rule

_SEVERITY = {
    "quarantined": Severity.CRITICAL,
    "deprecated": Severity.MEDIUM,
    "archived": Severity.LOW,
}
_MEANING = {
    "quarantined": "the index suspects it of being malicious and serves none of its files",
    "deprecated": "its maintainers say it should no longer be used",
    "archived": "its maintainers have stopped updating it: no more fixes, security ones too",
}


@verify_rule(
    "V205",
    "project-status",
    severity=Severity.MEDIUM,
    needs=("index",),
    references=("https://peps.python.org/pep-0792/",),
)
def project_status(facts: Facts) -> Iterator[Finding]:
    """The index marks the project quarantined, deprecated or archived.

    ## What it does
    Reports a dependency whose project page carries a PEP 792 status other than `active`:
    `quarantined` (critical: PyPI's state for a project under review for malware),
    `deprecated` (medium) or `archived` (low), with the reason when the index gives one.

    ## Why is this bad?
    A quarantined project may be malware: PyPI stops serving it while it is reviewed.
    A deprecated or archived one gets no more releases, so the next vulnerability found in
    it stays unfixed.

    ## Example
    ```text
    old-thing==0.1   # archived: "no longer maintained"
    ```

    ## Use instead
    ```text
    maintained-thing==2.0
    ```
    """
    seen: set[str] = set()
    for dependency in facts.from_index():
        page = facts.pages().get(dependency.name)
        if page is None or page.status == "active" or dependency.name in seen:
            continue
        seen.add(dependency.name)
        reason = f" ({page.status_reason})" if page.status_reason else ""
        yield RULE.finding(
            f"{dependency.name} is {page.status} on the index{reason}: "
            f"{_MEANING.get(page.status, '')}",
            dependency=dependency,
            severity=_SEVERITY.get(page.status, Severity.MEDIUM),
            fix=f"replace {dependency.name}, or remove it",
        )


RULE = REGISTRY["V205"]
