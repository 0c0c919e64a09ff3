"""V402: a file that its RECORD lists is gone."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.findings import Finding, Severity
from bastion.verify.facts import Facts
from bastion.verify.installed_findings import finding_for
from bastion.verify.rule import REGISTRY, verify_rule


@verify_rule("V402", "missing-file", severity=Severity.MEDIUM, needs=("installed",))
def missing_file(facts: Facts) -> Iterator[Finding]:
    """A file listed in an installed distribution's RECORD is missing.

    ## What it does
    Reports each file an installed distribution's `RECORD` lists with a digest that is not
    on disk (or cannot be read).

    ## Why is this bad?
    The environment is not what was installed: a partly removed or overwritten package, a
    clean-up script that went too far, or a file removed to hide a change. Imports may fall
    back to another module of the same name elsewhere on `sys.path`.

    ## Example
    ```console
    $ rm .venv/lib/python3.12/site-packages/idna/core.py
    ```

    ## Use instead
    ```console
    $ pip install --force-reinstall --no-deps idna==3.10
    ```
    """
    for problem in facts.installed().problems:
        if problem.kind == "missing":
            yield finding_for(RULE, problem, f"{problem.path.name} is missing: {problem.detail}")


RULE = REGISTRY["V402"]
