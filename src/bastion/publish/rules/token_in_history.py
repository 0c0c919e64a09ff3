"""P202: a PyPI token in the git history (a later commit may have deleted it)."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.findings import Finding, Location, Severity
from bastion.publish.facts import PublishFacts
from bastion.publish.leaks import token_key
from bastion.publish.rule import REGISTRY, publish_rule
from bastion.publish.rules.pypi_token import REVOKE, severity_of
from bastion.publish.secrets import scope


@publish_rule("P202", "token-in-history", severity=Severity.CRITICAL, cwe=798)
def token_in_history(facts: PublishFacts) -> Iterator[Finding]:
    """A PyPI token is in the git history, though not (or no longer) in the files.

    ## What it does
    Reads every blob of the repository once (`git cat-file --batch-all-objects`), every
    reachable commit of every ref included, deleted files too, and reports each PyPI token
    not already in the working tree once, with the first commit and path where it appears;
    severity by the token's caveats, as for P201. Binary and very large blobs are skipped and
    counted in the report's status line.

    ## Why is this bad?
    Deleting the file does not delete the token: every clone and fork holds the history,
    and scanners harvest public histories for exactly these.

    ## Example
    ```text
    commit 1a2b3c: add deploy.cfg (with a token)
    commit 4d5e6f: remove deploy.cfg
    ```

    ## Use instead
    ```text
    Revoke the token on PyPI (rewriting history does not undo a leak), and publish with
    Trusted Publishing.
    ```
    """
    history = facts.history
    if history is None:
        return
    in_tree = {token_key(i.secret.value) for i in facts.tree_leaks}
    reported: set[str] = set()
    for secret, commit, path in history.found:
        key = token_key(secret.value)
        if secret.kind != "PyPI token" or key in in_tree or key in reported:
            continue
        reported.add(key)
        found = scope(secret.value)
        where = f"commit {commit[:12]}" if commit else "an object no ref reaches"
        yield RULE.finding(
            f"{found.describe()} in the git history ({where}, {path or '?'}): {secret.shown}",
            location=Location(path or ".git", secret.line if path else None),
            severity=severity_of(found),
            fix=REVOKE,
            key=key,
        )


RULE = REGISTRY["P202"]
