"""P301: a file in an sdist or wheel that should not ship."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.findings import Finding, Location, Severity
from bastion.publish.artifacts import unwanted
from bastion.publish.facts import PublishFacts
from bastion.publish.rule import REGISTRY, publish_rule


@publish_rule("P301", "unwanted-file", severity=Severity.HIGH, cwe=538)
def unwanted_file(facts: PublishFacts) -> Iterator[Finding]:
    """An sdist or wheel in `--dist` holds a file that should not be published.

    ## What it does
    Reads the member names of every sdist and wheel (in memory, nothing extracted) and
    reports credentials files (`.env`, `.pypirc`, `.netrc`, SSH keys), key and certificate
    files, VCS and cache folders (`.git/`, `__pycache__/`, `.tox/`, `.venv/`), files over
    20 MB other than compiled extensions, and members that were not read (links, paths that
    leave the archive, sizes past the limits).

    ## Why is this bad?
    An upload is public and permanent (a deleted release's files stay in mirrors): a `.env`
    in an sdist publishes its credentials to everyone who downloads it.

    ## Example
    ```text
    demo-1.0.tar.gz: demo-1.0/.env
    ```

    ## Use instead
    ```toml
    # pyproject.toml (hatchling): ship only the package
    [tool.hatch.build.targets.sdist]
    include = ["src/demo", "tests", "README.md"]
    ```
    """
    for artifact in facts.artifacts:
        shown = facts.shown(artifact.path)
        for name, data in artifact.members.items():
            why = unwanted(name, len(data))
            if why is not None:
                yield RULE.finding(
                    f"{artifact.path.name} ships {name}: {why}",
                    location=Location(str(shown)),
                    fix="exclude it from the build (the backend's include/exclude settings, or "
                    "MANIFEST.in) and rebuild",
                    key=f"{artifact.path.name}:{name}",
                )
        for refusal in artifact.refused:
            yield RULE.finding(
                f"{artifact.path.name}: {refusal}",
                location=Location(str(shown)),
                severity=Severity.MEDIUM,
                fix="rebuild the file with a standard build backend; check what put that there",
                key=f"{artifact.path.name}:refused:{refusal}",
            )


RULE = REGISTRY["P301"]
