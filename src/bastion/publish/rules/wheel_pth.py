"""P304: a wheel that installs a `.pth` file with code."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.findings import Finding, Location, Severity
from bastion.publish.facts import PublishFacts
from bastion.publish.rule import REGISTRY, publish_rule


@publish_rule("P304", "wheel-pth-code", severity=Severity.MEDIUM, cwe=94)
def wheel_pth_code(facts: PublishFacts) -> Iterator[Finding]:
    """A wheel in `--dist` installs a `.pth` file with a line that runs at every start.

    ## What it does
    Reports top-level `.pth` members of a wheel (they land in site-packages) with a line
    starting with `import`, which `site` executes at every interpreter start.

    ## Why is this bad?
    The code runs in every Python process of every user who installs the package, even when
    nothing imports it; `bastion env` and other tools flag such files, and users should.

    ## Example
    ```text
    demo_hook.pth: import demo._startup
    ```

    ## Use instead
    ```python
    # an entry point or an explicit import, run when the user asks for it
    ```
    """
    for artifact in facts.artifacts:
        if artifact.kind != "wheel":
            continue
        for name, data in artifact.members.items():
            if "/" in name or not name.endswith(".pth"):
                continue
            for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
                if line.startswith(("import ", "import\t")):
                    yield RULE.finding(
                        f"{artifact.path.name} installs {name}, whose line {number} runs at every "
                        f"interpreter start: {line[:120]}",
                        location=Location(str(facts.shown(artifact.path))),
                        fix="run that code from an entry point or an import instead",
                        key=f"{artifact.path.name}:{name}:{number}",
                    )


RULE = REGISTRY["P304"]
