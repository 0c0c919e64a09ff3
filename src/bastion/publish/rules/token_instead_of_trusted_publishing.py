"""P101: a publish step that uploads with a password or token."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.findings import Finding, Location, Severity
from bastion.publish.facts import PublishFacts
from bastion.publish.rule import REGISTRY, publish_rule


@publish_rule(
    "P101",
    "token-instead-of-trusted-publishing",
    severity=Severity.HIGH,
    cwe=522,
    references=("https://docs.pypi.org/trusted-publishers/",),
)
def token_instead_of_trusted_publishing(facts: PublishFacts) -> Iterator[Finding]:
    """A release step uploads to PyPI with a password or an API token.

    ## What it does
    Finds the steps of GitHub Actions workflows that publish (`pypa/gh-action-pypi-publish`,
    `twine upload`, `uv publish`, `poetry publish`, `hatch publish`, `pdm publish`, `flit
    publish`, `maturin upload`, `PyO3/maturin-action`) and reports each that passes a
    credential: the action's `password` input, a credential variable (`TWINE_PASSWORD`,
    `UV_PUBLISH_TOKEN`, `POETRY_PYPI_TOKEN_*` ...) or a `--password`/`--token` option. It
    reports it even when the job also has `id-token: write`: the token is then used, and
    Trusted Publishing is not.

    ## Why is this bad?
    A long-lived API token in CI secrets can be stolen from any job that can read it (a
    poisoned dependency, a compromised action, a leaked log) and used from anywhere, for as
    long as it lives. Trusted Publishing gives each run a token that lasts minutes and only
    works for this repository's workflow.

    ## Example
    ```yaml
    - uses: pypa/gh-action-pypi-publish@release/v1
      with:
        password: ${{ secrets.PYPI_API_TOKEN }}
    ```

    ## Use instead
    ```yaml
    permissions:
      id-token: write   # and configure the trusted publisher on PyPI
    steps:
      - uses: pypa/gh-action-pypi-publish@release/v1
    ```
    """
    for workflow in facts.workflows:
        for job in workflow.jobs:
            for step, tool in job.publishing():
                credential = step.credential()
                if credential is None:
                    continue
                how, line = credential
                also = " although the job has id-token: write" if job.id_token else ""
                yield RULE.finding(
                    f"job {job.id} publishes with {tool} using {how}{also}, not Trusted Publishing",
                    location=Location(str(workflow.path), line),
                    fix="configure a trusted publisher on PyPI, give the job `id-token: write`, "
                    "remove the token from the step and revoke it on PyPI",
                    key=f"{job.id}:{step.index}",
                )
    for path, gitlab in facts.gitlab_jobs:
        gitlab_tool = gitlab.publishes()
        if gitlab_tool is None or "PYPI_ID_TOKEN" in gitlab.id_tokens:
            continue
        names = [n for n in gitlab.variables if "PASSWORD" in n or "TOKEN" in n]
        mentioned = [
            v for v in ("TWINE_PASSWORD", "PYPI_TOKEN", "PYPI_API_TOKEN") if v in gitlab.script
        ]
        # Without an OIDC token the job can only authenticate with a stored credential.
        shown = ", ".join(names + mentioned) or "a CI/CD variable"
        yield RULE.finding(
            f"GitLab job {gitlab.name} publishes with {gitlab_tool} using {shown}, not Trusted "
            "Publishing (no id_tokens: PYPI_ID_TOKEN)",
            location=Location(str(path), gitlab.line),
            fix="add `id_tokens: {PYPI_ID_TOKEN: {aud: pypi}}` to the job, configure the "
            "GitLab trusted publisher on PyPI, and revoke the token",
            key=f"gitlab:{gitlab.name}",
        )


RULE = REGISTRY["P101"]
