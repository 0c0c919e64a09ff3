"""B401: import of `telnetlib`, a client for the cleartext Telnet protocol."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.import_blacklist import ImportBlacklist
from bastion.findings import Confidence, Severity

_BLACKLIST = ImportBlacklist.of(("telnetlib",))


@rule(
    "B401",
    "import_telnetlib",
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    nodes=(ast.Import, ast.ImportFrom, ast.Call),
    cwe=319,
    calls=_BLACKLIST.call_hints,
)
def check(node: ast.Import | ast.ImportFrom | ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Import of `telnetlib`, a client for the cleartext Telnet protocol.

    ## What it does
    Finds imports of `telnetlib` (and `__import__`/`importlib.import_module` calls that load it).

    ## Why is this bad?
    Telnet has no encryption or server authentication: anyone on the network path can
    read the password and the session, or take the session over. The module was removed from
    the standard library in Python 3.13.

    ## Example
    ```python
    import telnetlib

    session = telnetlib.Telnet("switch.example.net")
    ```

    ## Use instead
    ```python
    import paramiko  # SSH: encrypted and authenticated

    client = paramiko.SSHClient()
    client.load_system_host_keys()
    client.connect("switch.example.net")
    ```

    ## Differences from bandit
    - Names match by whole dotted segments: `telnetlib` covers
      `telnetlib.sub` but not `telnetlib_extra`,
      which bandit's string prefix test also matches.
    - Relative imports (`from .compat import ...`) name the project's own modules and never
      match.
    - Each B4xx rule reports on its own: `import pickle, subprocess` gives B403 and B404, where
      bandit stops at the first blacklisted name of a statement.
    """
    yield from _BLACKLIST.issues(node, ctx, "Telnet sends credentials and data in cleartext")
