"""V101: a requirement of a requirements file or lock not pinned to one version."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.findings import Finding, Severity
from bastion.verify.facts import Facts
from bastion.verify.rule import REGISTRY, verify_rule


@verify_rule("V101", "unpinned-requirement", severity=Severity.MEDIUM)
def unpinned_requirement(facts: Facts) -> Iterator[Finding]:
    """A requirement that should pin one version allows several.

    ## What it does
    Reports each requirement of a requirements file or lock that does not pin exactly one
    version with `==` (no wildcard) or `===`, and is not a URL or local path.

    ## Why is this bad?
    `requests>=2.31` installs the newest matching release on the day of the install: a
    malicious release, or a broken one, arrives with no change to the file. It also cannot
    carry hashes that mean anything (pip refuses hashes on an unpinned requirement in
    hash-checking mode), and an audit cannot say which version is in use.

    ## Example
    ```text
    requests>=2.31
    ```

    ## Use instead
    ```text
    requests==2.32.3 \\
        --hash=sha256:70761cfe03c773ceb22aa2f671b4757976145175cdfca038c02654d061d6dcc6
    ```
    """
    for dependency in facts.locked():
        if dependency.version is None and dependency.url is None:
            written = dependency.specifier or "any version"
            yield RULE.finding(
                f"{dependency.name} is not pinned ({written})",
                dependency=dependency,
                fix=f"pin one version: {dependency.name}==VERSION, with its hashes "
                "(pip-compile --generate-hashes, uv pip compile --generate-hashes)",
            )


RULE = REGISTRY["V101"]
