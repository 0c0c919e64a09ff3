"""V105: a URL or VCS requirement that can change under the same name."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bastion.findings import Finding, Severity
from bastion.verify.facts import Facts
from bastion.verify.rule import REGISTRY, verify_rule

_COMMIT = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")
_VCS = ("git+", "hg+", "svn+", "bzr+")


@verify_rule("V105", "mutable-url", severity=Severity.HIGH, cwe=494)
def mutable_url(facts: Facts) -> Iterator[Finding]:
    """A dependency installed from a URL that is not pinned to immutable content.

    ## What it does
    Reports a VCS requirement (`git+https://...`) whose revision is not a full commit hash
    (a branch, a tag, or nothing), and an archive URL with no hash (neither `#sha256=` in
    the URL nor `--hash`, nor a lock's hash).

    ## Why is this bad?
    A branch moves with every push and a tag can be moved; the file behind a URL can be
    replaced. Whoever can push to the repository or write to the server decides what you
    install next time, with no change to your lock.

    ## Example
    ```text
    mylib @ git+https://github.com/org/mylib@main
    ```

    ## Use instead
    ```text
    mylib @ git+https://github.com/org/mylib@4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e
    ```
    """
    for dependency in facts.locked():
        url = dependency.url
        if url is None:
            continue
        lowered = url.lower()
        if lowered.startswith(_VCS):
            revision = _revision(url)
            if revision is None or not _COMMIT.match(revision.lower()):
                shown = f"at {revision!r}" if revision else "with no revision"
                yield RULE.finding(
                    f"{dependency.name} comes from {url.split('#', 1)[0]} {shown}, which can move",
                    dependency=dependency,
                    fix="pin the full commit hash (@<40 hex digits>)",
                )
        elif "://" in lowered and not dependency.hashes:
            yield RULE.finding(
                f"{dependency.name} comes from {url} with no hash of its content",
                dependency=dependency,
                fix="add #sha256=<digest> to the URL, or --hash=sha256:<digest>",
            )


def _revision(url: str) -> str | None:
    """The revision of a VCS URL: `@rev` after the path, or uv's `#commit` / `?rev=`."""
    base, _, fragment = url.partition("#")
    if fragment and "=" not in fragment:
        return fragment  # uv.lock: git+https://...?rev=main#<commit>
    path = base.split("://", 1)[-1]
    path = path.split("?", 1)[0]
    host_and_path = path.split("/", 1)
    if len(host_and_path) < 2 or "@" not in host_and_path[1]:
        return None
    return host_and_path[1].rsplit("@", 1)[1] or None


RULE = REGISTRY["V105"]
