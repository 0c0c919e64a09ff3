"""What the process-execution rules (B602-B607, B609) share: which functions start a process,
how, and where their command is."""

from __future__ import annotations

import ast

from bastion.code.rules.ast_helpers import argument_or_unpacked, literal_truth, string_value

#: Functions that start a process and take `shell=`.
SUBPROCESS_FUNCTIONS = frozenset(
    {
        "subprocess.Popen",
        "subprocess.call",
        "subprocess.check_call",
        "subprocess.check_output",
        "subprocess.run",
    }
)
#: Functions that always run their command through a shell.
SHELL_FUNCTIONS = frozenset(
    {
        "os.system",
        "os.popen",
        "os.popen2",
        "os.popen3",
        "os.popen4",
        "popen2.popen2",
        "popen2.popen3",
        "popen2.popen4",
        "popen2.Popen3",
        "popen2.Popen4",
        "commands.getoutput",
        "commands.getstatusoutput",
        "subprocess.getoutput",
        "subprocess.getstatusoutput",
    }
)
#: Functions that start a program directly, without a shell.
NO_SHELL_FUNCTIONS = frozenset(
    {
        "os.execl",
        "os.execle",
        "os.execlp",
        "os.execlpe",
        "os.execv",
        "os.execve",
        "os.execvp",
        "os.execvpe",
        "os.spawnl",
        "os.spawnle",
        "os.spawnlp",
        "os.spawnlpe",
        "os.spawnv",
        "os.spawnve",
        "os.spawnvp",
        "os.spawnvpe",
        "os.startfile",
    }
)
PROCESS_FUNCTIONS = SUBPROCESS_FUNCTIONS | SHELL_FUNCTIONS | NO_SHELL_FUNCTIONS


def _tails(names: frozenset[str]) -> frozenset[str]:
    return frozenset(n.rpartition(".")[2] for n in names)


#: Last segments of the tables above, to reject a call before resolving its name.
SUBPROCESS_TAILS = _tails(SUBPROCESS_FUNCTIONS)
SHELL_TAILS = _tails(SHELL_FUNCTIONS)
NO_SHELL_TAILS = _tails(NO_SHELL_FUNCTIONS)
PROCESS_TAILS = _tails(PROCESS_FUNCTIONS)


def shell_keyword(call: ast.Call) -> ast.expr | None:
    """The value passed as `shell=` unless it is a falsy literal (`False`, `0`, `None`)."""
    for kw in call.keywords:
        if kw.arg == "shell":
            return None if literal_truth(kw.value) is False else kw.value
    return None


def command_argument(call: ast.Call, qualname: str) -> ast.expr | None:
    """The argument holding the program or command line of a function in `PROCESS_FUNCTIONS`."""
    if qualname in SUBPROCESS_FUNCTIONS:
        return argument_or_unpacked(call, 0, "args")
    if qualname in SHELL_FUNCTIONS:
        return argument_or_unpacked(call, 0, "command" if qualname == "os.system" else "cmd")
    return argument_or_unpacked(call, 1 if qualname.startswith("os.spawn") else 0)


def program_literal(command: ast.AST | None) -> str | None:
    """The literal a command starts with: the string itself, or a literal list's first item."""
    if isinstance(command, ast.List | ast.Tuple) and command.elts:
        return string_value(command.elts[0])
    return string_value(command)
