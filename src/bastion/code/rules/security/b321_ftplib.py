"""B321: an FTP connection, which sends everything in clear text."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.calls import CallBlacklist
from bastion.findings import Confidence, Severity

_CALLS = CallBlacklist.of(("ftplib.FTP",))


@rule(
    "B321",
    "ftplib",
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    nodes=(ast.Call,),
    calls=tuple(_CALLS.names),
    cwe=319,
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Use of FTP, which sends credentials and data unencrypted.

    ## What it does
    Finds `ftplib.FTP` connections (`ftplib.FTP_TLS` is not reported).

    ## Why is this bad?
    FTP sends the login, the password and the files in clear text: anyone on the network
    path can read or change them.

    ## Example
    ```python
    ftp = ftplib.FTP(host)
    ftp.login(user, password)
    ```

    ## Use instead
    ```python
    ftp = ftplib.FTP_TLS(host)
    ftp.login(user, password)
    ftp.prot_p()
    ```

    ## Differences from bandit
    - The module must be imported in the file: a local object that happens to carry the
      module's name is not the library.
    """
    name = _CALLS.match(node, ctx)
    if name is None:
        return
    yield Issue(node, f"{name}: FTP is unencrypted, use SFTP or FTPS")
