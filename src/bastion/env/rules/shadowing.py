"""E401: a project module named like a standard-library module."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.env.facts import EnvFacts
from bastion.env.rule import REGISTRY, env_rule
from bastion.findings import Finding, Location, Severity

#: Standard-library names projects use for their own folders, which nothing imports from
#: the standard library (its regression tests).
ALLOWED = frozenset({"test", "__main__", "this", "antigravity"})


@env_rule("E401", "shadows-stdlib", severity=Severity.MEDIUM)
def shadows_stdlib(facts: EnvFacts) -> Iterator[Finding]:
    """A module or package of the project has the name of a standard-library module.

    ## What it does
    Compares the top-level modules and packages of the project folder (and of `PYTHONPATH`
    directories, which come before the standard library) with `sys.stdlib_module_names` of
    the target interpreter, and reports each match (`random.py`, `email/`, `code/`), the
    project's own package excepted.

    ## Why is this bad?
    A program run from the project folder has that folder first on `sys.path`: its
    `random.py` is what `import random` gives every module, the standard library's own
    modules included, and a file dropped into the folder takes over the same way.

    ## Example
    ```text
    project/random.py
    ```

    ## Use instead
    ```text
    project/dice.py
    ```
    """
    modules = dict(facts.project_modules)
    for raw in facts.pythonpath:
        from pathlib import Path

        folder = Path(raw or ".")
        if folder.is_dir():
            for entry in sorted(folder.iterdir()):
                name = entry.stem if entry.suffix == ".py" else entry.name
                if entry.suffix == ".py" or (entry / "__init__.py").is_file():
                    modules.setdefault(name, entry)
    for name, where in sorted(modules.items()):
        if name in facts.stdlib_modules and name not in ALLOWED and name not in facts.own_names:
            yield RULE.finding(
                f"{where.name} shadows the standard library's {name}",
                location=Location(str(where)),
                fix="rename it (and its imports) to a name the standard library does not use",
                key=name,
            )


RULE = REGISTRY["E401"]
