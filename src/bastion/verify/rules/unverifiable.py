"""V404: an installed distribution whose files cannot be checked."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.findings import Finding, Severity
from bastion.verify.facts import Facts
from bastion.verify.installed_findings import finding_for
from bastion.verify.rule import REGISTRY, verify_rule


@verify_rule("V404", "unverifiable-install", severity=Severity.LOW, needs=("installed",))
def unverifiable_install(facts: Facts) -> Iterator[Finding]:
    """An installed distribution has no usable RECORD, or its RECORD leaves the environment.

    ## What it does
    Reports a `*.dist-info` without `RECORD` (or one that cannot be read), an `*.egg-info`
    install (`setup.py install`/`develop`, which records no hashes), and, as medium, a
    RECORD row naming a file outside the environment's folder or something that is no
    regular file (such rows are never read).

    ## Why is this bad?
    Without a RECORD nobody can tell whether the distribution's files are the ones that were
    installed, or which files are its. A RECORD pointing outside the environment is not
    something an installer writes.

    ## Example
    ```console
    $ python setup.py develop
    ```

    ## Use instead
    ```console
    $ pip install -e .
    ```
    """
    for problem in facts.installed().problems:
        if problem.kind in ("no-record", "outside"):
            what = problem.distribution.name if problem.distribution else problem.path.name
            yield finding_for(
                RULE,
                problem,
                f"{what}: {problem.detail}",
                severity=Severity.MEDIUM if problem.kind == "outside" else None,
            )


RULE = REGISTRY["V404"]
