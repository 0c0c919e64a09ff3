"""V301: a locked file's PEP 740 provenance does not verify."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.findings import Finding, Severity
from bastion.verify.facts import Facts
from bastion.verify.rule import REGISTRY, verify_rule


@verify_rule(
    "V301",
    "invalid-provenance",
    severity=Severity.CRITICAL,
    needs=("index", "provenance"),
    cwe=347,
    references=("https://peps.python.org/pep-0740/", "https://docs.pypi.org/attestations/"),
)
def invalid_provenance(facts: Facts) -> Iterator[Finding]:
    """A locked file comes with a PEP 740 provenance that does not verify.

    ## What it does
    For each file a lock names by hash, fetches the provenance the index publishes for it
    (PEP 740) and verifies every attestation with `pypi-attestations`, offline against
    Sigstore's bundled trust root: the signing certificate must chain to Sigstore, the
    statement must name this file and its digest, and the certificate's identity must be
    the publisher the attestation claims. Reports a file for which any of that fails.

    ## Why is this bad?
    An index only serves an attestation that verified when the file was uploaded. One that
    no longer verifies was altered afterwards, or belongs to another file: the file, its
    provenance or the index that serves them cannot be trusted.

    ## Example
    ```text
    sigstore==3.6.1 --hash=sha256:ee60...f865   # provenance signed for another digest
    ```

    ## Use instead
    ```text
    # Do not install the file: report it to the index (security@pypi.org), and stay on a
    # release whose provenance verifies.
    sigstore==3.6.0 --hash=sha256:...
    ```
    """
    for artifact in facts.provenance().artifacts:
        verified = artifact.verified
        if verified is None or verified.error is None:
            continue
        dependency = artifact.dependency
        yield RULE.finding(
            f"{dependency.name}=={dependency.version}: the provenance of "
            f"{artifact.file.filename} does not verify: {verified.error}",
            dependency=dependency,
            description="The file's PEP 740 attestation does not verify for its digest and "
            "the publisher it names, offline against Sigstore's trust root.",
            fix="do not install this file; report it to the index (security@pypi.org)",
            key=artifact.file.filename,
        )


RULE = REGISTRY["V301"]
