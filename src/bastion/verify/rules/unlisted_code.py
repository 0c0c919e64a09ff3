"""V403: code in the environment that no distribution installed."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.findings import Finding, Severity
from bastion.verify.facts import Facts
from bastion.verify.installed_findings import finding_for
from bastion.verify.rule import REGISTRY, verify_rule


@verify_rule("V403", "unlisted-code", severity=Severity.MEDIUM, needs=("installed",), cwe=829)
def unlisted_code(facts: Facts) -> Iterator[Finding]:
    """A `.py` module, `.pth` file or script in the environment that no RECORD lists.

    ## What it does
    Walks site-packages (bytecode caches and metadata folders left out) for `.py` and
    `.pth` files, and the venv's `bin/` for scripts, that no installed distribution's
    `RECORD` lists. A `.pth` file is high: its `import` lines run at every interpreter
    start. The interpreter's links and the activation scripts that `venv` writes are not
    reported.

    ## Why is this bad?
    Everything a package installer puts into an environment is recorded. A module nobody
    installed was copied in by hand, left over, or planted: a `.pth` file is the classic way
    to run code in every Python process of the environment (the 2024 `ultralytics` and
    2025 `lightning` compromises used import-time code of this kind).

    ## Example
    ```console
    $ echo 'import os; os.system("id")' > .venv/lib/python3.12/site-packages/zzz.pth
    ```

    ## Use instead
    ```console
    $ rm .venv/lib/python3.12/site-packages/zzz.pth   # after finding out who put it there
    ```
    """
    for problem in facts.installed().problems:
        if problem.kind == "unlisted":
            starts = problem.path.suffix == ".pth"
            yield finding_for(
                RULE,
                problem,
                f"{problem.path.name}: {problem.detail}"
                + (" (a .pth file: it runs at every interpreter start)" if starts else ""),
                severity=Severity.HIGH if starts else None,
            )


RULE = REGISTRY["V403"]
