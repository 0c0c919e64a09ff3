"""E402: a project module named like an installed distribution's module."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.env.facts import EnvFacts
from bastion.env.rule import REGISTRY, env_rule
from bastion.findings import Finding, Location, Severity


@env_rule("E402", "shadows-installed", severity=Severity.MEDIUM)
def shadows_installed(facts: EnvFacts) -> Iterator[Finding]:
    """A module or package of the project has the name of an installed package's module.

    ## What it does
    Compares the top-level modules and packages of the project folder with the top-level
    modules the target's installed distributions provide (from their RECORDs), and reports
    each match (`requests/` beside an installed requests), the project's own package
    excepted.

    ## Why is this bad?
    Run from the project folder, the local copy wins over the installed, locked and
    hash-checked one: an old vendored copy, or a file someone dropped in, replaces it.

    ## Example
    ```text
    project/requests/__init__.py    # and requests is installed in the venv
    ```

    ## Use instead
    ```text
    project/vendor_notes/   # or remove the copy and use the installed package
    ```
    """
    installed = facts.installed_modules
    for name, where in sorted(facts.project_modules.items()):
        owner = installed.get(name)
        if owner is not None and name not in facts.own_names:
            from bastion.inventory.model import normalize_name

            if normalize_name(owner) == normalize_name(name) and name in facts.own_names:
                continue
            yield RULE.finding(
                f"{where.name} shadows {name} of the installed {owner}",
                location=Location(str(where)),
                fix=f"rename or remove the project's {where.name}",
                key=name,
            )


RULE = REGISTRY["E402"]
