"""V103: hashes on some requirements of a file but not all."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.findings import Finding, Severity
from bastion.verify.facts import Facts
from bastion.verify.rule import REGISTRY, verify_rule


@verify_rule("V103", "partial-hashes", severity=Severity.MEDIUM)
def partial_hashes(facts: Facts) -> Iterator[Finding]:
    """A requirement lacks the hashes that the other requirements of its install carry.

    ## What it does
    Reports each requirement without `--hash` when another requirement of the same
    requirements files (the file and what it includes with `-r`) has one.

    ## Why is this bad?
    One `--hash` anywhere turns on pip's hash-checking mode for the whole install, and pip
    then refuses to install anything: "Hashes are required in --require-hashes mode, but they
    are missing from some requirements". The usual way out, deleting the hashes, removes the
    protection for every package.

    ## Example
    ```text
    requests==2.32.3 --hash=sha256:70761cfe03c773ceb22aa2f671b4757976145175cdfca038c02654d061d6dcc6
    idna==3.10
    ```

    ## Use instead
    ```text
    requests==2.32.3 --hash=sha256:70761cfe03c773ceb22aa2f671b4757976145175cdfca038c02654d061d6dcc6
    idna==3.10 --hash=sha256:946d195a0d259cbba61165e88e65941f16e9b36ea6ddb97f00452bae8b1287d3
    ```
    """
    requirements = [d for d in facts.locked() if facts.kind(d) == "requirements"]
    if not any(d.hashes for d in requirements):
        return
    for dependency in requirements:
        if not dependency.hashes:
            pinned = dependency.version is not None
            yield RULE.finding(
                f"{dependency.name} has no hash, and other requirements do: pip refuses "
                "the whole install",
                dependency=dependency,
                fix=(
                    f"add its hashes (bastion verify --add-hashes {dependency.origin.path})"
                    if pinned and dependency.origin is not None
                    else f"pin {dependency.name} to one version and add its hashes"
                ),
            )


RULE = REGISTRY["V103"]
