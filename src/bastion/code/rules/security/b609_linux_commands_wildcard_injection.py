"""B609: a shell command line where `*` expands into the options of chown, chmod, tar or rsync."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.ast_helpers import is_true, string_value
from bastion.code.rules.processes import SHELL_FUNCTIONS, SUBPROCESS_FUNCTIONS, command_argument
from bastion.findings import Confidence, Severity

_CANDIDATE_TAILS = frozenset(n.rpartition(".")[2] for n in SHELL_FUNCTIONS | SUBPROCESS_FUNCTIONS)
# One of the programs as a command word: after start, a blank, a separator or a directory.
_PROGRAM = re.compile(r"(?:^|[\s;&|(/`])(chown|chmod|tar|rsync)(?=\s|$)")


def _command_text(command: ast.expr | None) -> str | None:
    """A literal command line, or the words of a literal argument list joined by spaces."""
    if isinstance(command, ast.List | ast.Tuple):
        words = [string_value(e) for e in command.elts]
        return None if None in words else " ".join(w for w in words if w is not None)
    return string_value(command)


@rule(
    "B609",
    "linux_commands_wildcard_injection",
    severity=Severity.HIGH,
    confidence=Confidence.MEDIUM,
    nodes=(ast.Call,),
    cwe=155,
    calls=tuple(SHELL_FUNCTIONS | SUBPROCESS_FUNCTIONS),
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Wildcard injection in a shell command.

    ## What it does
    Finds shell command lines (`os.system`, `os.popen`, `subprocess` with `shell=True`)
    that run `chown`, `chmod`, `tar` or `rsync` with a `*` wildcard.

    ## Why is this bad?
    The shell expands `*` into file names before the program sees them. Anyone who can
    create a file in that directory can name it like an option (`--checkpoint-action=exec=sh
    x.sh` for tar, `--reference=evil` for chmod, `-e sh x.sh` for rsync) and take over the
    command.

    ## Example
    ```python
    os.system("cd /srv/uploads && tar czf /backup/uploads.tgz *")
    ```

    ## Use instead
    ```python
    subprocess.run(["tar", "czf", "/backup/uploads.tgz", "-C", "/srv/uploads", "--", "."])
    ```

    ## Differences from bandit
    - The program must appear as a command word; bandit matches substrings, so `start *`
      counted as `tar`.
    - A command passed by keyword is checked too.
    """
    if ctx.call_tail(node) not in _CANDIDATE_TAILS:
        return
    qualname = ctx.call_name(node)
    if qualname is None:
        return
    if qualname in SUBPROCESS_FUNCTIONS:
        if not is_true(ctx.keyword(node, "shell")):
            return
    elif qualname not in SHELL_FUNCTIONS:
        return
    text = _command_text(command_argument(node, qualname))
    if text is None or "*" not in text:
        return
    match = _PROGRAM.search(text)
    if match:
        yield Issue(node, f"{qualname} runs {match.group(1)} with a shell wildcard")
