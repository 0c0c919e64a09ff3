"""V204: a dependency that the index does not have at all."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.findings import Finding, Severity
from bastion.verify.facts import Facts
from bastion.verify.rule import REGISTRY, verify_rule


@verify_rule("V204", "unknown-project", severity=Severity.HIGH, needs=("index",), cwe=427)
def unknown_project(facts: Facts) -> Iterator[Finding]:
    """The index has no project of that name.

    ## What it does
    Reports a pinned dependency whose name the index does not know (its project page is a
    404).

    ## Why is this bad?
    Either the package comes from somewhere else (a private index, a file) and the lock
    does not say so, or it was removed (PyPI removes malware). An unclaimed name on the
    public index can be registered by anyone: the next install that reaches PyPI for it
    gets theirs (dependency confusion).

    ## Example
    ```text
    internal-billing==1.4.0
    ```

    ## Use instead
    ```text
    --index-url https://pypi.internal.example/simple/
    internal-billing==1.4.0 --hash=sha256:...
    ```
    """
    pages = facts.pages()
    if facts.index_error is not None:
        return
    seen: set[str] = set()
    for dependency in facts.from_index():
        if dependency.name in pages and pages[dependency.name] is None:
            if dependency.name in seen:
                continue
            seen.add(dependency.name)
            yield RULE.finding(
                f"{dependency.name} is not on {facts.index_url()}",
                dependency=dependency,
                fix="name the index it comes from (--index-url), or register the name "
                "yourself on the public index so nobody else can",
            )


RULE = REGISTRY["V204"]
