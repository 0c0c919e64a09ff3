"""V102: pinned without a hash."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from bastion.findings import Finding, Location, Severity
from bastion.inventory.model import Dependency
from bastion.verify.facts import Facts
from bastion.verify.rule import REGISTRY, verify_rule


@verify_rule("V102", "missing-hashes", severity=Severity.MEDIUM, cwe=494)
def missing_hashes(facts: Facts) -> Iterator[Finding]:
    """A pinned dependency carries no hash, so any file of that version is accepted.

    ## What it does
    Reports a requirements file whose pinned requirements carry no `--hash` at all (once,
    for the file), and each lock entry without a hash.

    ## Why is this bad?
    A version number names a release, not a file: a release can gain new wheels after you
    pinned it, a mirror or proxy can serve something else, and a compromised index can
    replace what you download. With hashes, pip (in hash-checking mode) and uv refuse any
    file whose digest is not in the lock. pip checks hashes, never signatures: the hash is
    the whole of what pip verifies.

    ## Example
    ```text
    requests==2.32.3
    ```

    ## Use instead
    ```console
    $ bastion verify --add-hashes requirements.txt
    ```
    """
    by_file: dict[str, list[Dependency]] = defaultdict(list)
    for dependency in facts.locked():
        # A URL source's content pin is V105's business (a commit, or a hash in the URL).
        if dependency.version is not None and dependency.origin and dependency.url is None:
            by_file[dependency.origin.path].append(dependency)
    inventory = facts.inventory()
    # One hash in any requirements file of the install turns on pip's hash-checking mode for
    # all of them: then every requirement without one is V103's.
    requirements_hashed = any(d.hashes for d in facts.locked() if facts.kind(d) == "requirements")
    for path, dependencies in by_file.items():
        unhashed = [d for d in dependencies if not d.hashes]
        if not unhashed:
            continue
        if inventory.kinds.get(path) == "requirements":
            if not requirements_hashed:
                first = unhashed[0].origin
                yield RULE.finding(
                    f"{len(unhashed)} pinned requirement{'s' if len(unhashed) != 1 else ''} "
                    "and not one hash",
                    location=Location(path, first.line if first else None),
                    fix=f"bastion verify --add-hashes {path} (or pip-compile "
                    "--generate-hashes); pip then checks every file it installs",
                )
            continue
        for dependency in unhashed:
            yield RULE.finding(
                f"{dependency.name}=={dependency.version} is locked without a hash",
                dependency=dependency,
                fix="relock so that every entry records its files' hashes",
            )


RULE = REGISTRY["V102"]
