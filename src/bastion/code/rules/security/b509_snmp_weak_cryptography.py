"""B509: SNMPv3 used without privacy (encryption)."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.findings import Confidence, Severity

_NO_PRIVACY = frozenset({"usmNoPrivProtocol"})


@rule(
    "B509",
    "snmp_weak_cryptography",
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    nodes=(ast.Call,),
    cwe=319,
    calls=("pysnmp.hlapi.UsmUserData",),
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """SNMPv3 without encryption.

    ## What it does
    Finds pysnmp `UsmUserData(...)` calls with no privacy key, or with
    `privProtocol=usmNoPrivProtocol`: the noAuthNoPriv and authNoPriv security levels.

    ## Why is this bad?
    Without privacy the SNMP traffic, including everything read from or written to the
    device, crosses the network in cleartext; without authentication anyone can send
    requests.

    ## Example
    ```python
    auth = UsmUserData("monitor", auth_key)
    ```

    ## Use instead
    ```python
    auth = UsmUserData("monitor", auth_key, priv_key,
                       authProtocol=usmHMACSHAAuthProtocol, privProtocol=usmAesCfb128Protocol)
    ```

    ## Differences from bandit
    - A privacy key passed by keyword (`privKey=...`) counts; bandit only counts positional
      arguments and reports such calls.
    - An explicit `privProtocol=usmNoPrivProtocol` is reported even with a key.
    """
    if ctx.call_tail(node) != "UsmUserData":
        return
    qualname = ctx.call_name(node)
    if qualname is None or not qualname.startswith("pysnmp."):
        return
    key = ctx.argument(node, 2, "privKey")
    protocol = ctx.keyword(node, "privProtocol")
    no_key = key is None or (type(key) is ast.Constant and key.value is None)
    if no_key or (protocol is not None and ctx.value_tail(protocol) in _NO_PRIVACY):
        yield Issue(node, "SNMPv3 without privacy: traffic is not encrypted")
