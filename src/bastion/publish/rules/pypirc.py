"""P203: a plaintext password or token in a `.pypirc`."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.findings import Finding, Location, Severity
from bastion.publish.facts import PublishFacts
from bastion.publish.leaks import token_key
from bastion.publish.rule import REGISTRY, publish_rule
from bastion.publish.rules.pypi_token import severity_of
from bastion.publish.secrets import redact, scope


@publish_rule(
    "P203",
    "pypirc-password",
    severity=Severity.HIGH,
    cwe=256,
    references=("https://packaging.python.org/en/latest/specifications/pypirc/",),
)
def pypirc_password(facts: PublishFacts) -> Iterator[Finding]:
    """A `.pypirc` (the project's or the home directory's) holds a password or token.

    ## What it does
    Reads `.pypirc` in the project and in the home directory and reports each `password`
    (a token is rated by its caveats, as for P201; a password is high).

    ## Why is this bad?
    The file is plain text: every program the user runs, every backup, every tool that
    copies the home directory can read it. In a project it ends up in the repository.

    ## Example
    ```ini
    [pypi]
    username = __token__
    password = pypi-AgEIcHlwaS5vcmc...
    ```

    ## Use instead
    ```ini
    [pypi]
    username = __token__
    # no password: twine asks keyring (`keyring set https://upload.pypi.org/legacy/ __token__`)
    ```
    """
    for pypirc in facts.pypirc_files:
        for section, line, value in pypirc.passwords:
            if value.startswith("pypi-"):
                found = scope(value)
                what, severity = found.describe(), severity_of(found)
            else:
                what, severity = "a plaintext password", Severity.HIGH
            yield RULE.finding(
                f"{pypirc.path} [{section}] holds {what}: {redact(value)}",
                location=Location(str(pypirc.path), line),
                severity=severity,
                fix="revoke it on PyPI, remove it from the file, and use keyring or Trusted "
                "Publishing",
                key=f"{section}:{token_key(value)}",
            )


RULE = REGISTRY["P203"]
