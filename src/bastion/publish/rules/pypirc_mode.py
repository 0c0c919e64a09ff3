"""P204: a `.pypirc` with credentials that others can read."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.findings import Finding, Location, Severity
from bastion.publish.facts import PublishFacts
from bastion.publish.rule import REGISTRY, publish_rule


@publish_rule("P204", "pypirc-mode", severity=Severity.MEDIUM, cwe=732)
def pypirc_mode(facts: PublishFacts) -> Iterator[Finding]:
    """A `.pypirc` holding credentials can be read by group or others.

    ## What it does
    Reports a `.pypirc` with a `password` whose mode is wider than 0600.

    ## Why is this bad?
    Any other account on the machine (a service, a shared CI runner's other jobs) can read
    the credential.

    ## Example
    ```sh
    -rw-r--r--  ~/.pypirc
    ```

    ## Use instead
    ```sh
    chmod 600 ~/.pypirc
    ```
    """
    for pypirc in facts.pypirc_files:
        if pypirc.passwords and pypirc.mode & 0o077:
            yield RULE.finding(
                f"{pypirc.path} holds credentials and has mode {pypirc.mode:o}",
                location=Location(str(pypirc.path)),
                fix=f"chmod 600 {pypirc.path}",
            )


RULE = REGISTRY["P204"]
