"""P105: a publishing job without a deployment environment."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.findings import Finding, Location, Severity
from bastion.publish.facts import PublishFacts
from bastion.publish.rule import REGISTRY, publish_rule


@publish_rule(
    "P105",
    "no-environment",
    severity=Severity.LOW,
    references=("https://docs.pypi.org/trusted-publishers/security-model/",),
)
def no_environment(facts: PublishFacts) -> Iterator[Finding]:
    """The job that publishes names no GitHub deployment environment.

    ## What it does
    Reports a publishing job without `environment:`.

    ## Why is this bad?
    PyPI recommends binding the trusted publisher to an environment (`pypi`), which can
    require a reviewer's approval and limit which branches or tags deploy: then a workflow
    change alone cannot release.

    ## Example
    ```yaml
    publish:
      runs-on: ubuntu-latest
    ```

    ## Use instead
    ```yaml
    publish:
      runs-on: ubuntu-latest
      environment: pypi
    ```
    """
    for workflow, job in facts.publishing_jobs:
        if job.environment is None:
            yield RULE.finding(
                f"job {job.id} publishes without a deployment environment",
                location=Location(str(workflow.path), job.line),
                fix="add `environment: pypi` (protected, with required reviewers) and name "
                "it in the trusted publisher on PyPI",
                key=job.id,
            )


RULE = REGISTRY["P105"]
