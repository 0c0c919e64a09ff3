"""E202: a `sitecustomize` or `usercustomize` module on the path."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.env.facts import EnvFacts
from bastion.env.rule import REGISTRY, env_rule
from bastion.findings import Finding, Location, Severity


@env_rule(
    "E202",
    "customize-module",
    severity=Severity.HIGH,
    cwe=94,
    references=("https://docs.python.org/3/library/site.html#module-sitecustomize",),
)
def customize_module(facts: EnvFacts) -> Iterator[Finding]:
    """A `sitecustomize` or `usercustomize` module is on the interpreter's path.

    ## What it does
    Looks for `sitecustomize` and `usercustomize` (a module, a package or bytecode) in every
    directory of the target's `sys.path`, as `site` imports the first of each at start-up.
    Unowned: high; listed in a distribution's RECORD: medium.

    ## Why is this bad?
    `site` imports these modules in every process of the interpreter, before the program:
    whoever can write one runs code in every run, silently.

    ## Example
    ```text
    site-packages/sitecustomize.py
    ```

    ## Use instead
    ```sh
    rm site-packages/sitecustomize.py   # unless you put it there, and know why
    ```
    """
    path = [entry for entry, _source in facts.sys_path]
    from bastion.env.startup import customize_modules

    for module, where in customize_modules(path):
        owner = facts.owner_of(where)
        yield RULE.finding(
            f"{module} runs at every start: {where}"
            + (f" (installed by {owner})" if owner else " (no RECORD or system package lists it)"),
            location=Location(str(where)),
            severity=Severity.MEDIUM if owner else Severity.HIGH,
            fix=f"remove {where.name} unless you put it there and know why",
            key=module,
        )


RULE = REGISTRY["E202"]
