"""E103: a venv whose base interpreter is gone or is not the one it was made with."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.env.facts import EnvFacts
from bastion.env.rule import REGISTRY, env_rule
from bastion.findings import Finding, Location, Severity


@env_rule("E103", "broken-base", severity=Severity.MEDIUM)
def broken_base(facts: EnvFacts) -> Iterator[Finding]:
    """The venv's base interpreter is gone, or is another version than the venv's.

    ## What it does
    Reports a venv whose `home` in `pyvenv.cfg` names no interpreter, whose `bin/python`
    is a broken link, or whose base interpreter reports another major.minor version than
    the `version` pyvenv.cfg records.

    ## Why is this bad?
    A venv does not copy the standard library: it runs the base interpreter's. When that
    interpreter was removed or upgraded in place, the venv fails, or runs compiled
    extensions built for another Python against a standard library they were not made for.

    ## Example
    ```ini
    # .venv/pyvenv.cfg
    home = /opt/python3.10/bin
    version = 3.10.4
    # ... and /opt/python3.10 was removed
    ```

    ## Use instead
    ```sh
    rm -rf .venv && bastion env create .venv && .venv/bin/pip install -r requirements.txt
    ```
    """
    target = facts.target
    if target.venv is None:
        return
    where = Location(str(target.venv / "pyvenv.cfg"))
    for name in ("python", "python3"):
        link = target.venv / "bin" / name
        if link.is_symlink() and not link.exists():
            yield RULE.finding(
                f"{link} is a broken link (to {link.readlink()})",
                location=Location(str(link)),
                fix="remake the venv with an interpreter that exists",
                key=name,
            )
    if target.facts is None and target.problem and "is gone" in target.problem:
        yield RULE.finding(
            f"the venv's base interpreter is gone: {target.problem}",
            location=where,
            fix="remake the venv with an interpreter that exists",
            key="home",
        )
        return
    recorded = target.config.get("version_info") or target.config.get("version") or ""
    if target.facts is not None and recorded:
        actual = ".".join(str(p) for p in target.facts["version"][:2])
        wanted = ".".join(recorded.split(".")[:2])
        if actual != wanted:
            yield RULE.finding(
                f"the venv was made with Python {recorded}; its base interpreter "
                f"{target.base} is now {actual}",
                location=where,
                fix="remake the venv with the interpreter it is meant to run",
                key="version",
            )


RULE = REGISTRY["E103"]
