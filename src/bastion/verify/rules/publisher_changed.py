"""V302: a dependency attested by another publisher than the one the project recorded."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.findings import Finding, Severity
from bastion.verify.facts import Facts
from bastion.verify.provenance import describe, differences
from bastion.verify.rule import REGISTRY, verify_rule


@verify_rule(
    "V302",
    "publisher-changed",
    severity=Severity.HIGH,
    needs=("index", "provenance"),
    cwe=345,
    references=(
        "https://peps.python.org/pep-0740/",
        "https://docs.pypi.org/trusted-publishers/",
    ),
)
def publisher_changed(facts: Facts) -> Iterator[Finding]:
    """A locked file's valid attestation names another publisher than the recorded one.

    ## What it does
    Compares the publisher of each verified attestation (kind, repository, workflow,
    environment) with the publisher the project recorded for that dependency in
    `.bastion/publishers.toml` or `[tool.bastion.publishers]` (`bastion verify
    --trust-on-first-use` records them). Reports a dependency attested from elsewhere.

    ## Why is this bad?
    A trusted publisher is bound to one repository and workflow. A release attested by
    another repository or workflow means that someone changed the project's publishing
    setup on PyPI: the maintainers moved, or an attacker who took over the account
    published from a repository of their own.

    ## Example
    ```toml
    # .bastion/publishers.toml
    [sigstore]
    kind = "GitHub"
    repository = "sigstore/sigstore-python"
    workflow = "release.yml"
    # ... and sigstore==3.6.1 is attested by GitHub someone/sigstore-fork, publish.yml
    ```

    ## Use instead
    ```toml
    # Find out from the project (its changelog, its repository) why its publisher
    # changed; if the move is genuine, record the new publisher.
    [sigstore]
    kind = "GitHub"
    repository = "sigstore/sigstore-python"
    workflow = "publish.yml"
    ```
    """
    provenances = facts.provenance()
    for artifact in provenances.artifacts:
        verified = artifact.verified
        dependency = artifact.dependency
        expected = provenances.publisher_of(dependency.name)
        if verified is None or verified.publisher is None or expected is None:
            continue
        changed = differences(expected, verified.publisher)
        if not changed:
            continue
        yield RULE.finding(
            f"{dependency.name}=={dependency.version}: {artifact.file.filename} was published "
            f"by {describe(verified.publisher)}, not the recorded {describe(expected)}",
            dependency=dependency,
            description="The attestation is valid but names another publisher: "
            + "; ".join(changed)
            + ". A changed publisher is the mark of a taken-over account.",
            fix="find out why the project's publisher changed; if the move is genuine, record "
            "the new publisher in .bastion/publishers.toml",
            key=artifact.file.filename,
        )


RULE = REGISTRY["V302"]
