"""E204: the user site directory is on the path and holds packages."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.env.facts import EnvFacts
from bastion.env.rule import REGISTRY, env_rule
from bastion.findings import Finding, Location, Severity


@env_rule("E204", "user-site", severity=Severity.MEDIUM)
def user_site(facts: EnvFacts) -> Iterator[Finding]:
    """The user site directory is on the interpreter's path and is not empty.

    ## What it does
    Reports the user site directory (`~/.local/lib/pythonX.Y/site-packages`, or where
    `PYTHONUSERBASE` moves it) when `site` would add it to the target's path (a system
    interpreter, or a venv that includes system site-packages) and it holds anything.

    ## Why is this bad?
    Whatever `pip install --user` put there, for any project, is importable by this one,
    ahead of the system's site-packages.

    ## Example
    ```sh
    pip install --user some-tool
    ```

    ## Use instead
    ```sh
    pipx install some-tool    # or install it into the project's venv
    ```
    """
    site = facts.user_site
    if site is None:
        return
    try:
        count = sum(1 for _ in site.iterdir())
    except OSError:
        return
    if count:
        yield RULE.finding(
            f"the user site directory {site} is on the path and holds {count} entries",
            location=Location(str(site)),
            fix="move what is there into venvs (or pipx), or set PYTHONNOUSERSITE=1",
        )


RULE = REGISTRY["E204"]
