"""B108: a hardcoded path in a shared temporary directory."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.findings import Confidence, Severity

_TMP_DIRS = ("/tmp", "/var/tmp", "/dev/shm")  # nosec B108 -- the values this rule looks for


def _in_tmp_dir(path: str) -> bool:
    """True for `/tmp`, `/tmp/x`, `/var/tmp/...`, `/dev/shm/...`, not for `/tmpfoo`."""
    for prefix in _TMP_DIRS:
        if path.startswith(prefix) and (len(path) == len(prefix) or path[len(prefix)] == "/"):
            return True
    return False


@rule(
    "B108",
    "hardcoded_tmp_directory",
    severity=Severity.MEDIUM,
    confidence=Confidence.MEDIUM,
    nodes=(ast.Constant,),
    cwe=377,
)
def check(node: ast.Constant, ctx: FileContext) -> Iterator[Issue]:
    """Probable insecure use of a hardcoded temporary file or directory.

    ## What it does
    Finds string literals that are paths in a world-writable temporary directory: `/tmp`,
    `/var/tmp` or `/dev/shm`.

    ## Why is this bad?
    Everyone on the machine can create files there. Another user can create the file first,
    or plant a symlink under the predictable name, and the program then reads attacker data
    or overwrites a file the attacker chose (CWE-377, symlink and race attacks).

    ## Example
    ```python
    with open("/tmp/report.csv", "w") as out:
        out.write(data)
    ```

    ## Use instead
    ```python
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as out:
        out.write(data)
    ```

    ## Differences from bandit
    - The directory must end where the prefix ends: `"/tmpfiles/x"` is not in `/tmp`. bandit
      compares plain string prefixes.
    - The directories are fixed; bandit's `tmp_dirs` option is not read.
    """
    value = node.value
    if type(value) is not str or not value.startswith(_TMP_DIRS):
        return
    if not _in_tmp_dir(value) or type(ctx.parent) is ast.Expr:
        return
    yield Issue(node, f"hardcoded temporary path {value[:60]!r}")
