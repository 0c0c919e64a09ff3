"""V203: a pinned version that the index does not have."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.findings import Finding, Severity
from bastion.verify.facts import Facts
from bastion.verify.rule import REGISTRY, verify_rule


@verify_rule("V203", "unknown-version", severity=Severity.HIGH, needs=("index",))
def unknown_version(facts: Facts) -> Iterator[Finding]:
    """The index has the project but no file of the pinned version.

    ## What it does
    Reports a pinned dependency whose project is on the index but has no file of that
    version (PEP 440 equal versions count as the same: `1.0` is `1.0.0`).

    ## Why is this bad?
    A release disappears from PyPI when its owner deletes it or when PyPI removes malware.
    A lock still pointing at it either fails to install or, through a mirror or cache that
    kept the files, installs what the index no longer vouches for. It also happens when a
    package was meant to come from another (private) index: then the same name on this one
    is someone else's project.

    ## Example
    ```text
    demo==9.9
    ```

    ## Use instead
    ```text
    demo==1.2
    ```
    """
    from packaging.utils import canonicalize_version

    for dependency in facts.from_index():
        page = facts.pages().get(dependency.name)
        if page is None or dependency.version is None or facts.files_of(dependency):
            continue
        wanted = canonicalize_version(dependency.version)
        if any(canonicalize_version(v) == wanted for v in page.versions):
            continue  # listed, with files the page does not show (PEP 700)
        yield RULE.finding(
            f"{dependency.name}=={dependency.version} is not on the index "
            f"({len(page.versions)} other versions are)",
            dependency=dependency,
            fix="find out where the lock's version came from; pin one the index has",
        )


RULE = REGISTRY["V203"]
