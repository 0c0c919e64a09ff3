"""P302: a credential inside an sdist or wheel."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.findings import Finding, Location, Severity
from bastion.publish.artifacts import secrets_in
from bastion.publish.facts import PublishFacts
from bastion.publish.leaks import token_key
from bastion.publish.rule import REGISTRY, publish_rule
from bastion.publish.rules.pypi_token import REVOKE, severity_of
from bastion.publish.secrets import scope


@publish_rule("P302", "credential-in-dist", severity=Severity.CRITICAL, cwe=798)
def credential_in_dist(facts: PublishFacts) -> Iterator[Finding]:
    """An sdist or wheel in `--dist` contains a credential.

    ## What it does
    Reads every text member of every sdist and wheel and reports PyPI tokens (rated by their
    caveats), AWS keys, GitHub tokens and private keys, shown redacted.

    ## Why is this bad?
    Once uploaded, the file is public for good: the credential must then be revoked, and
    until it is, anyone can use it.

    ## Example
    ```text
    demo-1.0-py3-none-any.whl: demo/settings.py: token = "pypi-AgEI..."
    ```

    ## Use instead
    ```python
    token = os.environ["DEMO_TOKEN"]  # read at run time, never shipped
    ```
    """
    for artifact in facts.artifacts:
        for name, secret in secrets_in(artifact):
            severity = Severity.HIGH
            what = f"a {secret.kind}"
            if secret.kind == "PyPI token":
                found = scope(secret.value)
                severity, what = severity_of(found), found.describe()
            yield RULE.finding(
                f"{artifact.path.name}: {name}:{secret.line} holds {what}: {secret.shown}",
                location=Location(str(facts.shown(artifact.path))),
                severity=severity,
                fix=f"do not upload it; {REVOKE}",
                key=f"{artifact.path.name}:{token_key(secret.value)}",
            )


RULE = REGISTRY["P302"]
