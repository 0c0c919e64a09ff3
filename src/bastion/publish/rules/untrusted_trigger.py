"""P103: a publish job reachable from an untrusted or untagged trigger."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bastion.findings import Finding, Location, Severity
from bastion.publish.facts import PublishFacts
from bastion.publish.rule import REGISTRY, publish_rule

#: Triggers whose runs an outsider can start, or that run with another event's code.
UNTRUSTED = frozenset({"pull_request_target", "workflow_run", "issue_comment"})


@publish_rule(
    "P103",
    "untrusted-trigger",
    severity=Severity.HIGH,
    references=(
        "https://securitylab.github.com/resources/github-actions-preventing-pwn-requests/",
    ),
)
def untrusted_trigger(facts: PublishFacts) -> Iterator[Finding]:
    """A publishing job runs on an outsider's trigger or a branch push, not only on a tag.

    ## What it does
    For each workflow with a publishing job, reports the triggers an outsider can start
    (`pull_request_target`, `workflow_run`, `issue_comment`: high) and a `push` without a
    tags filter (medium), unless the job's `if:` limits it to tags or releases.

    ## Why is this bad?
    A release should happen when a maintainer tags one. A publishing job that a pull request
    or a comment can start, or that every push to a branch runs, can be made to upload
    whatever an attacker managed to put into the build.

    ## Example
    ```yaml
    on: pull_request_target
    ```

    ## Use instead
    ```yaml
    on:
      release:
        types: [published]
    ```
    """
    for workflow in facts.workflows:
        publishing = [job for job in workflow.jobs if job.publishing()]
        if not publishing:
            continue
        for job in publishing:
            condition = str(job.data.get("if", ""))
            if "refs/tags" in condition or "release" in condition:
                continue
            for trigger, config in workflow.triggers.items():
                severity = _severity(trigger, config)
                if severity is None:
                    continue
                yield RULE.finding(
                    f"job {job.id} publishes and runs on `{trigger}`"
                    + (" (branches, not only tags)" if trigger == "push" else ""),
                    location=Location(str(workflow.path), workflow.line_of_on or 1),
                    severity=severity,
                    fix="publish only from `release: published` or a tag push (`push: tags:`), "
                    "or gate the job with `if: startsWith(github.ref, 'refs/tags/')`",
                    key=f"{job.id}:{trigger}",
                )


def _severity(trigger: str, config: Any) -> Severity | None:
    if trigger in UNTRUSTED:
        return Severity.HIGH
    if trigger != "push":
        return None
    tags_only = (
        isinstance(config, dict)
        and ("tags" in config or "tags-ignore" in config)
        and "branches" not in config
        and "branches-ignore" not in config
    )
    return None if tags_only else Severity.MEDIUM


RULE = REGISTRY["P103"]
