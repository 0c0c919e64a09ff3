"""P201: a PyPI token in the project's files."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.findings import Finding, Location, Severity
from bastion.publish.facts import PublishFacts
from bastion.publish.leaks import token_key
from bastion.publish.rule import REGISTRY, publish_rule
from bastion.publish.secrets import Scope, scope

REVOKE = (
    "revoke it now on PyPI (Account settings, API tokens), then publish with Trusted "
    "Publishing; removing it from the file does not make it safe"
)


def severity_of(found: Scope) -> Severity:
    """Whole account: critical; some projects or unknown: high; a publisher's: medium;
    expired: low."""
    if found.expired:
        return Severity.LOW
    if found.kind == "account":
        return Severity.CRITICAL
    if found.kind == "publisher":
        return Severity.MEDIUM
    return Severity.HIGH


@publish_rule(
    "P201",
    "pypi-token",
    severity=Severity.CRITICAL,
    cwe=798,
    references=("https://docs.pypi.org/trusted-publishers/",),
)
def pypi_token(facts: PublishFacts) -> Iterator[Finding]:
    """A PyPI or TestPyPI API token is in a file of the project.

    ## What it does
    Looks for PyPI tokens (`pypi-` and a base64 macaroon) in every file git tracks or would
    track (every file, outside git), and reads the token's caveats to say what it may do: a
    token for the whole account is critical, one restricted to some projects (or of unknown
    scope) high, an expired one low. The token is shown by its first characters and length
    only, in every report format.

    ## Why is this bad?
    Anyone who reads the file can upload releases of every project the token covers: the
    repository's readers, its forks, every CI log and package that copies it.

    ## Example
    ```ini
    # deploy.cfg
    token = pypi-AgEIcHlwaS5vcmc...
    ```

    ## Use instead
    ```yaml
    # .github/workflows/release.yml: Trusted Publishing, no token anywhere
    permissions:
      id-token: write
    ```
    """
    for item in facts.tree_leaks:
        if item.secret.kind != "PyPI token":
            continue
        found = scope(item.secret.value)
        yield RULE.finding(
            f"{found.describe()} in {item.path}: {item.secret.shown}",
            location=Location(str(item.path), item.secret.line),
            severity=severity_of(found),
            fix=REVOKE,
            key=token_key(item.secret.value),
        )


RULE = REGISTRY["P201"]
