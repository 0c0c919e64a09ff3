"""V100: the project declares ranges and locks nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from bastion.findings import Finding, Location, Severity
from bastion.verify.facts import MANIFEST_KINDS, Facts
from bastion.verify.rule import REGISTRY, verify_rule


@verify_rule("V100", "no-lock", severity=Severity.LOW)
def no_lock(facts: Facts) -> Iterator[Finding]:
    """The project's dependencies come from a manifest only, with no lock file beside it.

    ## What it does
    Reports a `Pipfile`, or the `pyproject.toml` of an application, read as the project's
    dependency input when no lock file (uv.lock, poetry.lock, pylock.toml, Pipfile.lock) or
    compiled requirements file pins what gets installed. A `pyproject.toml` is an
    application's when it has no `[build-system]` (what `uv init` writes for an app) or says
    `package-mode = false` (Poetry); a library, which publishes ranges on purpose, is not
    reported.

    ## Why is this bad?
    A range such as `requests>=2` installs whatever the index serves on the day: a new,
    compromised release is installed the moment it is uploaded, and no hash says which file
    was meant. A lock names the exact versions and their hashes, so that an install is the
    same every time and a replaced file is refused. Libraries publish ranges on purpose; this
    is about what an application, a service or a CI job installs.

    ## Example
    ```toml
    [project]
    dependencies = ["requests>=2"]
    ```

    ## Use instead
    ```console
    $ uv lock            # or: pip-compile --generate-hashes -o requirements.txt pyproject.toml
    ```
    """
    inventory = facts.inventory()
    kinds = {facts.kind(d) for d in inventory.dependencies}
    if not inventory.dependencies or not kinds <= MANIFEST_KINDS:
        return
    for source in inventory.sources:
        kind = inventory.kinds.get(source)
        if kind == "pipfile" or (kind == "pyproject" and _is_application(Path(source))):
            yield RULE.finding(
                f"{len(inventory.dependencies)} dependencies declared as ranges, and no lock",
                location=Location(source),
                fix="lock them: `uv lock`, `poetry lock`, `pipenv lock`, or "
                "`pip-compile --generate-hashes`, and install from the lock",
            )


def _is_application(path: Path) -> bool:
    """No `[build-system]`, or Poetry's `package-mode = false`: nothing to publish."""
    from bastion.documents import parse_toml, read_text
    from bastion.errors import InputError

    try:
        data = parse_toml(read_text(path), path)
    except (InputError, OSError):
        return False
    poetry = data.get("tool", {}).get("poetry", {}) if isinstance(data.get("tool"), dict) else {}
    if isinstance(poetry, dict) and poetry.get("package-mode") is False:
        return True
    return "build-system" not in data


RULE = REGISTRY["V100"]
