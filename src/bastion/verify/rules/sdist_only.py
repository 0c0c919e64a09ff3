"""V104: locked to the sdist where the index has wheels."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.findings import Finding, Severity
from bastion.verify.facts import Facts
from bastion.verify.rule import REGISTRY, verify_rule


@verify_rule("V104", "sdist-only", severity=Severity.MEDIUM, needs=("index",), cwe=829)
def sdist_only(facts: Facts) -> Iterator[Finding]:
    """The lock allows only the source distribution of a version that has wheels.

    ## What it does
    Reports a dependency whose hashes all name source distributions (`.tar.gz`, `.zip`) of
    its version while the index also publishes wheels of it.

    ## Why is this bad?
    Installing an sdist runs its build: `setup.py` or the build backend executes arbitrary
    code on the installing machine, with its credentials. A wheel is unpacked, not run.
    Locking only the sdist forces that build everywhere, for no reason when wheels exist.

    ## Example
    ```text
    demo==1.0 --hash=sha256:<digest of demo-1.0.tar.gz>
    ```

    ## Use instead
    ```text
    demo==1.0 \\
        --hash=sha256:<digest of demo-1.0-py3-none-any.whl> \\
        --hash=sha256:<digest of demo-1.0.tar.gz>
    ```
    """
    for dependency in facts.from_index():
        files = facts.files_of(dependency)
        if not files or not dependency.hashes:
            continue
        locked = {h.partition(":")[2].lower() for h in dependency.hashes}
        chosen = [f for f in files if locked & set(f.hashes.values())]
        wheels = [f for f in files if f.is_wheel]
        if chosen and wheels and all(f.is_sdist for f in chosen):
            yield RULE.finding(
                f"{dependency.name}=={dependency.version} is locked to its sdist "
                f"({chosen[0].filename}); the index has {len(wheels)} "
                f"wheel{'s' if len(wheels) != 1 else ''}",
                dependency=dependency,
                fix="add the wheels' hashes (bastion verify --add-hashes, or relock) so "
                "that nothing is built at install",
            )


RULE = REGISTRY["V104"]
