"""E203: variables that change what the interpreter runs are set."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.env.facts import EnvFacts
from bastion.env.rule import REGISTRY, env_rule
from bastion.findings import Finding, Location, Severity

VARIABLES = {
    "PYTHONPATH": "adds directories ahead of the standard library and site-packages",
    "PYTHONSTARTUP": "runs a file at the start of every interactive session",
    "PYTHONHOME": "replaces the standard library's location",
    "PYTHONUSERBASE": "moves the user site directory, which is on the path",
    "PYTHONINSPECT": "opens an interactive prompt after the program",
    "PYTHONEXECUTABLE": "changes what sys.executable reports",
}


@env_rule("E203", "python-variables", severity=Severity.MEDIUM)
def python_variables(facts: EnvFacts) -> Iterator[Finding]:
    """Environment variables that change what the interpreter imports or runs are set.

    ## What it does
    Reports `PYTHONPATH`, `PYTHONSTARTUP`, `PYTHONHOME`, `PYTHONUSERBASE`, `PYTHONINSPECT`
    and `PYTHONEXECUTABLE` in the environment bastion runs in (the one the project's
    commands inherit).

    ## Why is this bad?
    Each makes the interpreter take code or paths from outside the project and its venv:
    a `PYTHONPATH` directory comes before the standard library, so a `json.py` there
    replaces `json` for every program.

    ## Example
    ```sh
    export PYTHONPATH=/shared/tools
    ```

    ## Use instead
    ```sh
    unset PYTHONPATH    # install the tools into the project's venv instead
    ```
    """
    for name, effect in VARIABLES.items():
        value = facts.environ.get(name)
        if value is None:
            continue
        yield RULE.finding(
            f"{name} is set ({value!r}): it {effect}",
            location=Location(f"${name}"),
            fix=f"unset {name}; put what it provides into the project's venv",
            key=name,
        )


RULE = REGISTRY["E203"]
