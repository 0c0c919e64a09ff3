"""V601: pip's or uv's configuration turns `require-hashes` off for a locked project."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.findings import Finding, Severity
from bastion.verify.facts import Facts
from bastion.verify.rule import REGISTRY, verify_rule


@verify_rule("V601", "require-hashes-off", severity=Severity.LOW)
def require_hashes_off(facts: Facts) -> Iterator[Finding]:
    """pip's or uv's configuration turns `require-hashes` off, and the project locks.

    ## What it does
    Reports `require-hashes` set to false (`no`, `0`, `off`) where pip reads it for
    `pip install` (a `PIP_REQUIRE_HASHES` variable, `[install]`, then `[global]` of every
    pip.conf) or uv reads it (`UV_REQUIRE_HASHES`, `[tool.uv.pip]`, uv.toml), when the
    project has requirements files or locks, unless a requirements file turns it back on
    with `--require-hashes`.

    ## Why is this bad?
    pip checks hashes, never signatures. A requirements file whose every line carries a
    hash puts pip in hash-checking mode by itself; `require-hashes` is what makes it refuse
    a requirement *without* a hash, so that a line added without one, or a lock regenerated
    without `--generate-hashes`, fails instead of installing whatever the index serves.
    Turning it off in a configuration file removes that net for every project installed
    with it, silently.

    ## Example
    ```ini
    # /etc/pip.conf
    [install]
    require-hashes = false
    ```

    ## Use instead
    ```ini
    # /etc/pip.conf (or the project's venv's pip.conf)
    [install]
    require-hashes = true
    ```
    """
    if not facts.locked():
        return
    sources = facts.sources()
    if any(s.tool == "requirements" and s.key == "require-hashes" for s in sources.settings):
        return
    uv = sources.of("uv", "require-hashes")
    uv_chosen = [s for s in uv if s.location.path.startswith("$")] or uv  # UV_* wins
    for setting in (sources.pip_value("require-hashes"), uv_chosen[-1] if uv_chosen else None):
        if setting is None or setting.flag:
            continue
        yield RULE.finding(
            f"require-hashes = {setting.value} turns off the refusal of requirements "
            "without a hash",
            location=setting.location,
            severity=Severity.LOW,
            fix="remove the setting, or set it to true",
            key=f"{setting.tool}:{setting.location.path}",
        )


RULE = REGISTRY["V601"]
