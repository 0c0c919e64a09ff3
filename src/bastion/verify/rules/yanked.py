"""V202: a pinned version the index has yanked."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.findings import Finding, Severity
from bastion.verify.facts import Facts
from bastion.verify.rule import REGISTRY, verify_rule


@verify_rule(
    "V202",
    "yanked-version",
    severity=Severity.MEDIUM,
    needs=("index",),
    references=("https://peps.python.org/pep-0592/",),
)
def yanked_version(facts: Facts) -> Iterator[Finding]:
    """The pinned version was yanked from the index.

    ## What it does
    Reports a pinned dependency whose files on the index are all yanked (PEP 592), or whose
    locked files (those its hashes name) are, with the reason the maintainers gave.

    ## Why is this bad?
    Maintainers yank a release that is broken or dangerous: a security bug, a packaging
    mistake, sometimes a compromised upload. Installers skip yanked releases unless they
    are pinned exactly, so a pin is the one way to keep installing it without a word.

    ## Example
    ```text
    demo==1.1   # yanked: "broken build"
    ```

    ## Use instead
    ```text
    demo==1.2
    ```
    """
    for dependency in facts.from_index():
        files = facts.files_of(dependency)
        if not files:
            continue
        locked = {h.partition(":")[2].lower() for h in dependency.hashes}
        chosen = [f for f in files if locked & set(f.hashes.values())] or files
        if all(f.yanked is not None for f in chosen):
            reasons = sorted({f.yanked for f in chosen if f.yanked})
            why = f": {'; '.join(reasons)}" if reasons else " (no reason given)"
            yield RULE.finding(
                f"{dependency.name}=={dependency.version} was yanked from the index{why}",
                dependency=dependency,
                fix=f"move to a release of {dependency.name} that is not yanked",
            )


RULE = REGISTRY["V202"]
