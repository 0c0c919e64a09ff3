"""V303: a locked file without provenance where provenance is expected."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.findings import Confidence, Finding, Severity
from bastion.verify.facts import Facts
from bastion.verify.provenance import describe
from bastion.verify.rule import REGISTRY, verify_rule


@verify_rule(
    "V303",
    "unattested",
    severity=Severity.HIGH,
    needs=("index", "provenance"),
    cwe=345,
    references=(
        "https://peps.python.org/pep-0740/",
        "https://docs.pypi.org/trusted-publishers/",
    ),
)
def unattested(facts: Facts) -> Iterator[Finding]:
    """A locked file has no provenance, although its project publishes with attestations.

    ## What it does
    Reports a locked file that the index serves without a PEP 740 provenance when the
    project recorded a publisher for that dependency (high), or when earlier releases of
    the dependency were attested (medium: the project may have changed how it publishes).
    Files whose index says nothing of provenance (an index or proxy without PEP 740) are
    counted in the report's status line, not reported.

    ## Why is this bad?
    Trusted Publishing attests every upload by itself. A release without attestation from
    a project that had them was uploaded some other way: with an API token or a password,
    which is how a stolen credential publishes.

    ## Example
    ```toml
    # .bastion/publishers.toml
    [sigstore]
    kind = "GitHub"
    repository = "sigstore/sigstore-python"
    workflow = "release.yml"
    # ... and the locked sigstore-3.6.1.tar.gz has no provenance
    ```

    ## Use instead
    ```text
    # Find out from the project why the release is not attested; until then, stay on
    # the last attested release.
    sigstore==3.6.0 --hash=sha256:...
    ```
    """
    provenances = facts.provenance()
    for artifact in provenances.artifacts:
        if not artifact.known or artifact.verified is not None:
            continue
        dependency = artifact.dependency
        name = artifact.file.filename
        expected = provenances.publisher_of(dependency.name)
        if expected is not None:
            yield RULE.finding(
                f"{dependency.name}=={dependency.version}: {name} has no provenance, but "
                f"the project recorded its publisher ({describe(expected)})",
                dependency=dependency,
                description="A release of a trusted-published project without attestation "
                "was uploaded some other way, as a stolen token would upload it.",
                fix="find out why this release is not attested; stay on the last attested one",
                key=name,
            )
            continue
        page = facts.pages().get(dependency.name)
        uploaded = artifact.file.upload_time
        if page is not None and uploaded and page.attested_before(uploaded):
            yield RULE.finding(
                f"{dependency.name}=={dependency.version}: {name} has no provenance, but "
                f"earlier releases of {dependency.name} were attested",
                dependency=dependency,
                severity=Severity.MEDIUM,
                confidence=Confidence.MEDIUM,
                description="The project published attested releases before this one: it "
                "may have changed how it publishes, or someone published without its "
                "trusted publisher.",
                fix="find out why this release is not attested; record the expected "
                "publisher with `bastion verify --trust-on-first-use` once you trust it",
                key=name,
            )


RULE = REGISTRY["V303"]
