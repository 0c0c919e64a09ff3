"""E302: the working directory, or a relative directory, is on the path."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.env.facts import EnvFacts
from bastion.env.rule import REGISTRY, env_rule
from bastion.findings import Finding, Location, Severity


@env_rule("E302", "relative-path-entry", severity=Severity.MEDIUM, cwe=427)
def relative_path_entry(facts: EnvFacts) -> Iterator[Finding]:
    """An empty or relative entry on the path makes the working directory importable.

    ## What it does
    Reports an empty entry (`PYTHONPATH=:/opt/x` or a trailing `:`) or a relative one
    (`PYTHONPATH=lib`) that puts the working directory, whichever it is, on the target's
    `sys.path`.

    ## Why is this bad?
    Running any Python tool from a downloaded folder then imports the folder's `json.py`
    or `requests/` instead of the real ones.

    ## Example
    ```sh
    export PYTHONPATH=/opt/tools:
    ```

    ## Use instead
    ```sh
    export PYTHONPATH=/opt/tools    # better: install the tools into the venv
    ```
    """
    for raw in facts.pythonpath:
        if raw and raw.startswith("/"):
            continue
        shown = repr(raw) if raw else "an empty entry (the working directory)"
        yield RULE.finding(
            f"PYTHONPATH has {shown}: the working directory's modules are importable",
            location=Location("$PYTHONPATH"),
            fix="use absolute directories only in PYTHONPATH, with no empty entry",
            key=raw,
        )


RULE = REGISTRY["E302"]
