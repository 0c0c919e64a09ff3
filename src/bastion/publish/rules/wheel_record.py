"""P303: a wheel whose RECORD does not match its content."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.findings import Finding, Location, Severity
from bastion.publish.artifacts import record_problems
from bastion.publish.facts import PublishFacts
from bastion.publish.rule import REGISTRY, publish_rule


@publish_rule(
    "P303",
    "wheel-record-mismatch",
    severity=Severity.HIGH,
    references=(
        "https://packaging.python.org/en/latest/specifications/binary-distribution-format/",
    ),
)
def wheel_record_mismatch(facts: PublishFacts) -> Iterator[Finding]:
    """A wheel's RECORD does not list exactly its files with their hashes.

    ## What it does
    Hashes every member of each wheel in `--dist` and compares with its `.dist-info/RECORD`:
    a member missing from RECORD, a RECORD row without its member, a hash that differs.

    ## Why is this bad?
    RECORD is what installers and `bastion verify --installed` check installed files
    against: a wheel changed after it was built (a file added or patched by something
    between the build and the upload) no longer matches it.

    ## Example
    ```text
    demo/__init__.py: its sha256 differs from RECORD
    ```

    ## Use instead
    ```sh
    rm -rf dist && python -m build   # upload only what the build wrote
    ```
    """
    for artifact in facts.artifacts:
        if artifact.kind != "wheel":
            continue
        for problem in record_problems(artifact):
            yield RULE.finding(
                f"{artifact.path.name}: {problem}",
                location=Location(str(facts.shown(artifact.path))),
                fix="rebuild the wheel and upload it as the build wrote it",
                key=f"{artifact.path.name}:{problem}",
            )


RULE = REGISTRY["P303"]
