"""V501: a dependency whose name imitates a popular project's."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.findings import Confidence, Finding, Severity
from bastion.verify.facts import Facts
from bastion.verify.rule import REGISTRY, verify_rule


@verify_rule(
    "V501",
    "typosquat",
    severity=Severity.MEDIUM,
    references=("https://github.com/DataDog/guarddog",),
)
def typosquat(facts: Facts) -> Iterator[Finding]:
    """A dependency's name is one slip away from a popular project's, and is not popular.

    ## What it does
    Compares every dependency's name with the 15,000 most-downloaded PyPI projects (the
    bundled list, or `--popular-list FILE`) and reports a name that is not on the list but
    is one character added, left out, changed or swapped away from one of the first 5,000,
    or the same with separators dropped, a look-alike (`rn` for `m`, `0` for `o`), or a
    `py`/`python` or digit affix (`python-requests`, `requests3`). It names the project
    imitated.

    ## Why is this bad?
    Typosquatting is the commonest way malware reaches PyPI users: attackers register
    `reqeusts`, `python-dateutils` or `colourama` and wait for a typo in a requirements file
    or a `pip install`. The package works like the real one and steals credentials at
    install or import time. Similar legitimate names exist too, so confirm the name; this
    is a medium-confidence finding.

    ## Example
    ```text
    colourama==0.4.6
    ```

    ## Use instead
    ```text
    colorama==0.4.6
    ```
    """
    from bastion.verify.typosquat import imitated

    popular = facts.popular()
    seen: set[str] = set()
    for dependency in facts.inventory().dependencies:
        if dependency.name in seen or dependency.editable:
            continue
        seen.add(dependency.name)
        found = imitated(dependency.name, popular)
        if found is None:
            continue
        yield RULE.finding(
            f"{dependency.name} looks like the popular {found.target} ({found.how})",
            dependency=dependency,
            confidence=Confidence.MEDIUM,
            description=f"{found.target} is among the most-downloaded projects on PyPI "
            f"({popular.source}); {dependency.name} is not. Check that {dependency.name} is "
            "the project you mean before installing it.",
            fix=f"if you meant {found.target}, depend on {found.target}; if not, accept this "
            "finding with the reason",
        )


RULE = REGISTRY["V501"]
