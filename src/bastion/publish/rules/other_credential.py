"""P205: another credential (cloud key, GitHub token, private key, .env) in the files."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.findings import Confidence, Finding, Location, Severity
from bastion.publish.facts import PublishFacts
from bastion.publish.leaks import token_key
from bastion.publish.rule import REGISTRY, publish_rule

#: Folders whose keys are usually test fixtures: reported, at medium severity and confidence.
TEST_FOLDERS = frozenset({"test", "tests", "testdata", "fixtures", "assets", "testing"})


@publish_rule("P205", "credential-in-tree", severity=Severity.HIGH, cwe=798)
def credential_in_tree(facts: PublishFacts) -> Iterator[Finding]:
    """A cloud key, a GitHub token, a private key or a `.env` file is in the project's files.

    ## What it does
    Reports AWS access key IDs, GitHub tokens (`ghp_`, `github_pat_` ...) and private keys
    in the files git tracks or would track (shown redacted), and `.env` files among them.
    One under a test folder (`tests/`, `fixtures/` ...) is likely a fixture: medium severity
    and confidence.

    ## Why is this bad?
    What is in the tree ends up in an sdist unless something excludes it, and in every
    clone: the credential is then public.

    ## Example
    ```text
    .env
    AWS_ACCESS_KEY_ID=AKIA...
    ```

    ## Use instead
    ```text
    .gitignore: .env   (and the key revoked and kept in a secret store)
    ```
    """
    for item in facts.tree_leaks:
        if item.secret.kind == "PyPI token":
            continue
        fixture = bool(TEST_FOLDERS & {part.lower() for part in item.path.parts[:-1]})
        yield RULE.finding(
            f"a {item.secret.kind} in {item.path}: {item.secret.shown}"
            + (" (a test fixture?)" if fixture else ""),
            location=Location(str(item.path), item.secret.line),
            severity=Severity.MEDIUM if fixture else None,
            confidence=Confidence.MEDIUM if fixture else Confidence.HIGH,
            fix="revoke or rotate it, remove it from the files (and history), keep it in a "
            "secret store",
            key=token_key(item.secret.value),
        )
    from bastion.publish.leaks import tree_files

    for path in tree_files(facts.project_dir):
        if path.name == ".env" or (path.name.startswith(".env.") and path.suffix != ".example"):
            shown = facts.shown(path)
            yield RULE.finding(
                f"{shown} is in the project's files",
                location=Location(str(shown)),
                severity=Severity.MEDIUM,
                fix="remove it from the repository and add it to .gitignore",
                key=str(shown),
            )


RULE = REGISTRY["P205"]
