"""V601: hash-pinned requirements, and nothing makes pip insist on hashes."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.findings import Finding, Location, Severity
from bastion.verify.facts import Facts
from bastion.verify.rule import REGISTRY, verify_rule


@verify_rule("V601", "require-hashes-off", severity=Severity.LOW)
def require_hashes_off(facts: Facts) -> Iterator[Finding]:
    """The project's requirements are hash-pinned, but pip is not told to require hashes.

    ## What it does
    Reports hash-pinned requirements files when neither the files (`--require-hashes`), nor
    pip's configuration (`require-hashes = true` under `[global]` or `[install]`), nor the
    environment (`PIP_REQUIRE_HASHES`) turns on `require-hashes`; and a configuration that
    turns it off.

    ## Why is this bad?
    pip verifies hashes, never signatures, and only in hash-checking mode. A file with hashes
    turns the mode on by itself, but the day someone deletes the hashes to get past an error,
    or installs one more package by hand, nothing is checked and nothing says so.
    `--require-hashes` makes pip refuse any requirement without a hash.

    ## Example
    ```text
    requests==2.32.3 --hash=sha256:70761cfe03c773ceb22aa2f671b4757976145175cdfca038c02654d061d6dcc6
    ```

    ## Use instead
    ```text
    --require-hashes
    requests==2.32.3 --hash=sha256:70761cfe03c773ceb22aa2f671b4757976145175cdfca038c02654d061d6dcc6
    ```
    """
    hashed_at = [
        d.origin
        for d in facts.locked()
        if facts.kind(d) == "requirements" and d.hashes and d.origin is not None
    ]
    if not hashed_at:
        return
    sources = facts.sources()
    if any(s.tool == "requirements" and s.key == "require-hashes" for s in sources.settings):
        return
    setting = sources.pip_value("require-hashes")
    if setting is not None and setting.flag:
        return
    if setting is not None:
        yield RULE.finding(
            f"require-hashes = {setting.value} turns off pip's hash requirement for "
            "hash-pinned requirements",
            location=setting.location,
            severity=Severity.MEDIUM,
            fix="remove it, or set it to true",
            key="explicit",
        )
        return
    first = hashed_at[0]
    yield RULE.finding(
        "hash-pinned requirements, and nothing makes pip require hashes",
        location=Location(first.path, 1),
        fix="put --require-hashes on the file's first line (or PIP_REQUIRE_HASHES=1 in CI, "
        "or require-hashes = true under [install] in the venv's pip.conf)",
    )


RULE = REGISTRY["V601"]
