"""E101: the interpreter is not a virtual environment."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.env.facts import EnvFacts
from bastion.env.rule import REGISTRY, env_rule
from bastion.findings import Finding, Location, Severity


@env_rule("E101", "not-a-venv", severity=Severity.MEDIUM)
def not_a_venv(facts: EnvFacts) -> Iterator[Finding]:
    """The project runs on an interpreter that is not a virtual environment.

    ## What it does
    Reports a target interpreter with no `pyvenv.cfg`: a system or shared interpreter.

    ## Why is this bad?
    Every program and every user of a shared interpreter installs into the same
    site-packages: one `pip install` for another project (or a package's install hook) can
    replace what this project imports, and nothing records what is there.

    ## Example
    ```sh
    /usr/bin/python3 -m pip install -r requirements.txt
    ```

    ## Use instead
    ```sh
    bastion env create .venv && . .venv/bin/activate && pip install -r requirements.txt
    ```
    """
    target = facts.target
    if target.venv is None:
        yield RULE.finding(
            f"{target.path} is not a virtual environment ({target.how}): whatever else "
            "installs into it changes what this project imports",
            location=Location(str(target.path)),
            fix="make one for the project: bastion env create .venv",
        )


RULE = REGISTRY["E101"]
