"""B607: a process started by a bare program name, found through `PATH`."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.processes import (
    PROCESS_FUNCTIONS,
    PROCESS_TAILS,
    command_argument,
    program_literal,
)
from bastion.findings import Confidence, Severity


def _is_full_path(program: str) -> bool:
    """True for `/usr/bin/x`, `./x`, `..\\x`, `\\\\server\\x` and `C:...`."""
    return program[:1] in ("/", "\\", ".") or (
        len(program) > 1 and program[1] == ":" and program[0].isascii() and program[0].isalpha()
    )


@rule(
    "B607",
    "start_process_with_partial_path",
    severity=Severity.LOW,
    confidence=Confidence.HIGH,
    nodes=(ast.Call,),
    cwe=78,
    calls=tuple(PROCESS_FUNCTIONS),
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Process started with a partial executable path.

    ## What it does
    Finds process-starting calls (`subprocess`, `os.system`, `os.exec*`, `os.spawn*`, ...)
    whose literal program is a bare name such as `"git"` or `["ls", "-l"]` rather than an
    absolute or relative path.

    ## Why is this bad?
    The program is looked up in `PATH`. Whoever controls `PATH`, or a directory early in
    it, decides which binary actually runs.

    ## Example
    ```python
    subprocess.run(["git", "status"])
    ```

    ## Use instead
    ```python
    GIT = shutil.which("git", path="/usr/bin:/bin")
    subprocess.run([GIT, "status"])
    ```

    ## Differences from bandit
    - For `os.spawn*` the program is read from the second argument (the first is the
      mode); bandit reads the mode and never reports these calls.
    - A command passed by keyword (`args=...`) is checked too.
    """
    if ctx.call_tail(node) not in PROCESS_TAILS:
        return
    qualname = ctx.call_name(node)
    if qualname not in PROCESS_FUNCTIONS:
        return
    program = program_literal(command_argument(node, qualname))
    if program and not _is_full_path(program):
        name = program.split(maxsplit=1)[0] if program.strip() else program
        yield Issue(node, f"{qualname} starts `{name}` through a PATH lookup")
