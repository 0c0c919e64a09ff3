"""P102: the publish action's attestations switched off."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.findings import Finding, Location, Severity
from bastion.publish.facts import PublishFacts
from bastion.publish.rule import REGISTRY, publish_rule
from bastion.publish.workflows import PUBLISH_ACTION
from bastion.publish.yamlfile import line_of


@publish_rule(
    "P102",
    "attestations-off",
    severity=Severity.MEDIUM,
    references=("https://docs.pypi.org/attestations/",),
)
def attestations_off(facts: PublishFacts) -> Iterator[Finding]:
    """The publish action is told not to attest the uploaded files.

    ## What it does
    Reports `attestations: false` on a `pypa/gh-action-pypi-publish` step.

    ## Why is this bad?
    With Trusted Publishing the action signs each file (PEP 740) for free; users who verify
    provenance (`bastion verify`) then know the file came from this repository's workflow.
    Without it a later upload made with a stolen token looks the same as a real release.

    ## Example
    ```yaml
    - uses: pypa/gh-action-pypi-publish@release/v1
      with:
        attestations: false
    ```

    ## Use instead
    ```yaml
    - uses: pypa/gh-action-pypi-publish@release/v1
    ```
    """
    for workflow in facts.workflows:
        for job in workflow.jobs:
            for step, tool in job.publishing():
                value = step.with_.get("attestations")
                if tool == PUBLISH_ACTION and str(value).strip().lower() == "false":
                    yield RULE.finding(
                        f"job {job.id} publishes with attestations switched off",
                        location=Location(str(workflow.path), line_of(value, step.line)),
                        fix="remove `attestations: false`",
                        key=f"{job.id}:{step.index}",
                    )


RULE = REGISTRY["P102"]
