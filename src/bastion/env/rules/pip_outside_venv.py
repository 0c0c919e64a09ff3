"""E104: pip may install into the system interpreter."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from bastion.env.facts import EnvFacts
from bastion.env.rule import REGISTRY, env_rule
from bastion.findings import Finding, Location, Severity


@env_rule(
    "E104",
    "pip-outside-venv",
    severity=Severity.LOW,
    references=("https://peps.python.org/pep-0668/",),
)
def pip_outside_venv(facts: EnvFacts) -> Iterator[Finding]:
    """pip is free to install into the system interpreter.

    ## What it does
    For a target that is not a virtual environment, reports when neither the interpreter is
    marked `EXTERNALLY-MANAGED` (PEP 668: pip then refuses on its own) nor pip's
    configuration sets `require-virtualenv` (`PIP_REQUIRE_VIRTUALENV`, or
    `require-virtualenv = true` in a pip.conf).

    ## Why is this bad?
    A `pip install` typed in the wrong terminal, or run by a script, lands in the
    interpreter every other program shares, with the rights of whoever ran it.

    ## Example
    ```sh
    pip install requests    # outside any venv: installs into /usr/lib/python3/...
    ```

    ## Use instead
    ```ini
    # ~/.config/pip/pip.conf
    [global]
    require-virtualenv = true
    ```
    """
    target = facts.target
    if target.venv is not None or target.facts is None:
        return
    stdlib = target.facts.get("stdlib")
    if isinstance(stdlib, str) and (Path(stdlib) / "EXTERNALLY-MANAGED").is_file():
        return
    from bastion.verify.sources import Places, read_sources

    sources = read_sources(facts.project_dir, Places.here(facts.project_dir), [], [])
    setting = sources.pip_value("require-virtualenv")
    if setting is not None and setting.flag:
        return
    yield RULE.finding(
        f"pip may install into {target.path}: it is not EXTERNALLY-MANAGED and pip's "
        "configuration does not set require-virtualenv",
        location=Location(str(target.path)),
        fix="set require-virtualenv = true under [global] in pip.conf (or "
        "PIP_REQUIRE_VIRTUALENV=1)",
    )


RULE = REGISTRY["E104"]
