"""P106: an action in the publishing job pinned by a movable reference."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bastion.findings import Finding, Location, Severity
from bastion.publish.facts import PublishFacts
from bastion.publish.rule import REGISTRY, publish_rule

SHA = re.compile(r"^[0-9a-f]{40}$")


@publish_rule("P106", "unpinned-action", severity=Severity.MEDIUM, cwe=829)
def unpinned_action(facts: PublishFacts) -> Iterator[Finding]:
    """An action used in the publishing job is pinned by a tag or branch, not a commit SHA.

    ## What it does
    Reports each `uses: OWNER/REPO@REF` of a publishing job whose `REF` is not a full
    40-character commit SHA (local `./` actions and `docker://` images aside).

    ## Why is this bad?
    A tag or branch can be moved by whoever controls the action's repository: the next
    release then runs their code in the job that holds the upload permission (the
    `tj-actions/changed-files` compromise of 2025 moved its tags).

    ## Example
    ```yaml
    - uses: actions/download-artifact@v4
    ```

    ## Use instead
    ```yaml
    - uses: actions/download-artifact@<the full 40-character commit SHA>  # v4
    ```
    """
    for workflow, job in facts.publishing_jobs:
        for step in job.steps:
            uses = step.uses or ""
            if not uses or uses.startswith(("./", "docker://")):
                continue
            _action, _, ref = uses.partition("@")
            if not SHA.match(ref):
                yield RULE.finding(
                    f"job {job.id} uses {uses}, not pinned to a commit",
                    location=Location(str(workflow.path), step.line),
                    fix="pin it to the full commit SHA of the release (and keep the tag in a "
                    "comment; Dependabot updates both)",
                    key=f"{job.id}:{step.index}",
                )


RULE = REGISTRY["P106"]
