"""V606: a password or token inside an index URL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from bastion.findings import Finding, Severity
from bastion.verify.facts import Facts
from bastion.verify.rule import REGISTRY, verify_rule

_URL_KEYS = frozenset({"index-url", "extra-index-url", "find-links", "index"})


@verify_rule("V606", "credentials-in-url", severity=Severity.HIGH, cwe=522)
def credentials_in_url(facts: Facts) -> Iterator[Finding]:
    """An index URL carries credentials (`https://user:token@host/simple/`).

    ## What it does
    Reports index and find-links URLs with a user-info part, in requirements files, pip's
    or uv's configuration, and their environment variables. The credentials are never
    shown: reports print `https://***@host`. High in a file of the project (it is
    committed), medium elsewhere (a plaintext secret on disk or in the environment).

    ## Why is this bad?
    A token in a requirements file or `pyproject.toml` is in the repository, its history,
    every fork and every CI log that prints the file; pip also prints index URLs in its
    output. Whoever reads it can read, and often publish to, the private index.

    ## Example
    ```text
    --extra-index-url https://deploy:s3cr3t@pypi.internal.example/simple/
    ```

    ## Use instead
    ```console
    $ keyring set https://pypi.internal.example/simple/ deploy   # pip and uv ask keyring
    ```
    """
    from bastion.redact import redact

    project = facts.project_dir.resolve()
    for setting in facts.sources().settings:
        if setting.key not in _URL_KEYS or "://" not in setting.value:
            continue
        parts = urlsplit(setting.value)
        if not parts.username and not parts.password:
            continue
        path = setting.location.path
        inside = not path.startswith("$") and Path(path).resolve().is_relative_to(project)
        yield RULE.finding(
            f"{setting.key} {redact(setting.value)} holds credentials",
            location=setting.location,
            severity=Severity.HIGH if inside else Severity.MEDIUM,
            key=redact(setting.value),
            fix="remove them from the URL and revoke them; let keyring or a netrc file "
            "(`machine HOST login USER password TOKEN`, mode 600) supply them",
        )


RULE = REGISTRY["V606"]
