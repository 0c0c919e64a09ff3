"""V201: a locked hash that no file on the index has."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.findings import Finding, Severity
from bastion.inventory.model import Dependency
from bastion.verify.facts import Facts
from bastion.verify.rule import REGISTRY, verify_rule


@verify_rule("V201", "hash-mismatch", severity=Severity.CRITICAL, needs=("index",), cwe=494)
def hash_mismatch(facts: Facts) -> Iterator[Finding]:
    """A hash in the lock matches no file the index published for that version.

    ## What it does
    For every pinned dependency with hashes, compares each hash with the digests the index
    lists for the files of that version (PEP 691), and reports the dependency when one of
    its hashes matches none of them. Before reporting, the index is asked again, past the
    cache, so that a file uploaded since is not a false alarm.

    ## Why is this bad?
    A lock's hashes are what makes an install refuse a replaced file. A hash that belongs to
    no published file means the lock was edited by hand or by an attacker (a "poisoned
    lock": a malicious file served from elsewhere, its hash written into the lock), or that
    the file it named was deleted from the index. Either way, an install from this lock is
    not installing what the index published.

    ## Example
    ```text
    idna==3.10 --hash=sha256:0000000000000000000000000000000000000000000000000000000000000000
    ```

    ## Use instead
    ```console
    $ git log -p requirements.txt                 # find who changed the hash, and why
    $ bastion verify --add-hashes requirements.txt
    ```
    """
    suspects = [d for d in facts.from_index() if d.hashes and _unmatched(facts, d)]
    if not suspects:
        return
    facts.recheck([d.name for d in suspects])
    for dependency in suspects:
        unmatched = _unmatched(facts, dependency)
        if not unmatched:
            continue
        shown = ", ".join(h[:19] + "…" for h in unmatched[:3])
        more = f" and {len(unmatched) - 3} more" if len(unmatched) > 3 else ""
        yield RULE.finding(
            f"{dependency.name}=={dependency.version}: {len(unmatched)} hash"
            f"{'es' if len(unmatched) != 1 else ''} match no file the index published "
            f"({shown}{more})",
            dependency=dependency,
            description="A hash of the lock belongs to no file of this version on "
            f"{facts.index_url()}: the lock was changed by hand or by an attacker, or a "
            "file was deleted from the index.",
            fix="find out who changed the lock and why (git log -p); then regenerate its "
            "hashes from the index",
            key=",".join(unmatched),
        )


def _unmatched(facts: Facts, dependency: Dependency) -> list[str]:
    """The dependency's hashes that match no published file of its version (hashes of an
    algorithm the index does not list cannot be judged and are left out)."""
    files = facts.files_of(dependency)
    if not files:
        return []  # V203 / V204 speak of a version or project the index does not have
    published: dict[str, set[str]] = {}
    for item in files:
        for algorithm, digest in item.hashes.items():
            published.setdefault(algorithm, set()).add(digest)
    unmatched = []
    for entry in dependency.hashes:
        algorithm, _, digest = entry.partition(":")
        if algorithm in published and digest.lower() not in published[algorithm]:
            unmatched.append(entry)
    return unmatched


RULE = REGISTRY["V201"]
