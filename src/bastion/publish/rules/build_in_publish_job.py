"""P104: the job that publishes also builds."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.findings import Finding, Location, Severity
from bastion.publish.facts import PublishFacts
from bastion.publish.rule import REGISTRY, publish_rule


@publish_rule(
    "P104",
    "build-in-publish-job",
    severity=Severity.MEDIUM,
    references=(
        "https://packaging.python.org/en/latest/guides/publishing-package-distribution-releases-using-github-actions-ci-cd-workflows/",
    ),
)
def build_in_publish_job(facts: PublishFacts) -> Iterator[Finding]:
    """The job that uploads to PyPI also builds the distributions.

    ## What it does
    Reports a publishing job with a build step (`python -m build`, `uv build`, `poetry
    build`, `hatch build`, `pip wheel`, `maturin build`, `setup.py sdist` ...).

    ## Why is this bad?
    The build runs the project's build backend and every build dependency, downloaded at
    that moment. In the job that holds the upload credential (or the `id-token` permission),
    any of them can publish something else. Build in one job, upload its artifacts in
    another that runs nothing but the upload.

    ## Example
    ```yaml
    publish:
      permissions: {id-token: write}
      steps:
        - run: python -m build
        - uses: pypa/gh-action-pypi-publish@release/v1
    ```

    ## Use instead
    ```yaml
    publish:
      needs: build
      permissions: {id-token: write}
      steps:
        - uses: actions/download-artifact@v4
        - uses: pypa/gh-action-pypi-publish@release/v1
    ```
    """
    for workflow, job in facts.publishing_jobs:
        for step in job.steps:
            if step.builds():
                yield RULE.finding(
                    f"job {job.id} builds ({step.name}) and publishes",
                    location=Location(str(workflow.path), step.line),
                    fix="build in a job of its own and pass the files as an artifact to a "
                    "publish job that only uploads",
                    key=f"{job.id}:{step.index}",
                )


RULE = REGISTRY["P104"]
