"""P107: tools installed in the publishing job without hashes."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.findings import Finding, Location, Severity
from bastion.publish.facts import PublishFacts
from bastion.publish.rule import REGISTRY, publish_rule
from bastion.publish.workflows import INSTALL


@publish_rule("P107", "adhoc-install", severity=Severity.MEDIUM, cwe=494)
def adhoc_install(facts: PublishFacts) -> Iterator[Finding]:
    """The publishing job installs tools from the index without hash checking.

    ## What it does
    Reports `pip install`, `python -m pip install`, `uv pip install`, `uv tool install` and
    `pipx install` in a publishing job's `run` steps without `--require-hashes` or a hash.

    ## Why is this bad?
    Whatever the index serves at that moment for `build` or `twine` (or their dependencies)
    runs in the job that can upload. A hash-pinned requirements file makes that install
    the one reviewed; better still, the upload job runs only the publish action.

    ## Example
    ```yaml
    - run: pip install build twine
    ```

    ## Use instead
    ```yaml
    - run: pip install --require-hashes -r requirements/release.txt
    ```
    """
    for workflow, job in facts.publishing_jobs:
        for step in job.steps:
            for line in (step.run or "").splitlines():
                if INSTALL.search(line) and "--require-hashes" not in line and "--hash" not in line:
                    yield RULE.finding(
                        f"job {job.id} installs without hashes: {line.strip()[:120]}",
                        location=Location(str(workflow.path), step.line),
                        fix="install from a hash-pinned file with --require-hashes (bastion "
                        "verify --add-hashes writes the hashes)",
                        key=f"{job.id}:{step.index}:{line.strip()}",
                    )


RULE = REGISTRY["P107"]
