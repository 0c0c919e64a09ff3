"""B402: import of `ftplib`, a client for the cleartext FTP protocol."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.ast_helpers import quoted_names
from bastion.code.rules.import_blacklist import ImportBlacklist
from bastion.findings import Confidence, Severity

_BLACKLIST = ImportBlacklist.of(("ftplib",))


@rule(
    "B402",
    "import_ftplib",
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    nodes=(ast.Import, ast.ImportFrom, ast.Call),
    cwe=319,
    calls=_BLACKLIST.call_hints,
)
def check(node: ast.Import | ast.ImportFrom | ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Import of `ftplib`, a client for the cleartext FTP protocol.

    ## What it does
    Finds imports of `ftplib` (and dynamic imports of it).

    ## Why is this bad?
    Plain FTP sends the login and every file unencrypted, so they can be read or
    altered in transit.

    ## Example
    ```python
    from ftplib import FTP

    FTP("ftp.example.net", user, password).retrbinary("RETR data.csv", sink.write)
    ```

    ## Use instead
    ```python
    import paramiko  # SFTP over SSH

    transport = paramiko.Transport(("sftp.example.net", 22))
    ```

    ## Differences from bandit
    - Names match by whole dotted segments: `ftplib` covers
      `ftplib.sub` but not `ftplib_extra`,
      which bandit's string prefix test also matches.
    - Relative imports (`from .compat import ...`) name the project's own modules and never
      match.
    - Each B4xx rule reports on its own: `import pickle, subprocess` gives B403 and B404, where
      bandit stops at the first blacklisted name of a statement.
    - An import that brings in only `ftplib.FTP_TLS` (`from ftplib import FTP_TLS`) is
      reported with LOW severity: FTP over TLS encrypts the session, but the data channel is
      protected only after `prot_p()`, so it is still worth a look.
    """
    names = _BLACKLIST.loaded_by(node, ctx)
    if not names:
        return
    quoted = quoted_names(names)
    if all(name == "ftplib.FTP_TLS" for name in names):
        yield Issue(
            node,
            f"import of {quoted}: FTP over TLS, check that the data channel is protected",
            severity=Severity.LOW,
        )
        return
    yield Issue(node, f"import of {quoted}: FTP sends credentials and files in cleartext")
