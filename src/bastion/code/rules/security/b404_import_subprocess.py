"""B404: import of `subprocess`: the file can start other programs."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.import_blacklist import ImportBlacklist
from bastion.findings import Confidence, Severity

_BLACKLIST = ImportBlacklist.of(("subprocess",))


@rule(
    "B404",
    "import_subprocess",
    severity=Severity.LOW,
    confidence=Confidence.HIGH,
    nodes=(ast.Import, ast.ImportFrom, ast.Call),
    cwe=78,
    calls=_BLACKLIST.call_hints,
)
def check(node: ast.Import | ast.ImportFrom | ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Import of `subprocess`: the file can start other programs.

    ## What it does
    Finds imports of `subprocess`.

    ## Why is this bad?
    Starting processes is where command injection happens. The import alone is not a
    flaw; the process-execution rules (B602-B607) report the calls that are.

    ## Example
    ```python
    import subprocess

    subprocess.run(f"convert {name} out.png", shell=True)
    ```

    ## Use instead
    ```python
    import subprocess

    subprocess.run(["convert", name, "out.png"], check=True)  # no shell, argument list
    ```

    ## Differences from bandit
    - Names match by whole dotted segments: `subprocess` covers
      `subprocess.sub` but not `subprocess_extra`,
      which bandit's string prefix test also matches.
    - Relative imports (`from .compat import ...`) name the project's own modules and never
      match.
    - Each B4xx rule reports on its own: `import pickle, subprocess` gives B403 and B404, where
      bandit stops at the first blacklisted name of a statement.
    """
    yield from _BLACKLIST.issues(node, ctx, "check how this file starts processes")
