"""E102: a venv that includes the system's site-packages."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.env.facts import EnvFacts
from bastion.env.rule import REGISTRY, env_rule
from bastion.findings import Finding, Location, Severity


@env_rule("E102", "system-site-packages", severity=Severity.MEDIUM)
def system_site_packages(facts: EnvFacts) -> Iterator[Finding]:
    """The virtual environment sees every package installed in its base interpreter.

    ## What it does
    Reports `include-system-site-packages = true` in the venv's `pyvenv.cfg` (a venv made
    with `--system-site-packages`).

    ## Why is this bad?
    The base interpreter's site-packages, and its user site, come after the venv's own on
    `sys.path`: any module the project imports that the venv lacks is taken from there,
    installed by whoever could write to it, at whatever version it has.

    ## Example
    ```ini
    # .venv/pyvenv.cfg
    include-system-site-packages = true
    ```

    ## Use instead
    ```ini
    # .venv/pyvenv.cfg (or remake it: bastion env create .venv)
    include-system-site-packages = false
    ```
    """
    target = facts.target
    if target.venv is not None and target.system_site:
        line = _line(target.venv / "pyvenv.cfg", "include-system-site-packages")
        extra = len(target.base_site_dirs)
        yield RULE.finding(
            "the venv includes the system's site-packages"
            + (f" ({extra} directories of the base interpreter)" if extra else ""),
            location=Location(str(target.venv / "pyvenv.cfg"), line),
            fix="set include-system-site-packages = false, or remake the venv without "
            "--system-site-packages",
        )


def _line(path: object, key: str) -> int | None:
    from pathlib import Path

    try:
        lines = Path(str(path)).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return next(
        (n for n, text in enumerate(lines, 1) if text.strip().lower().startswith(key)), None
    )


RULE = REGISTRY["E102"]
