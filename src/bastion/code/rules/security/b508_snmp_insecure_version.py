"""B508: SNMP used in version 1 or 2c, which authenticates with a cleartext community."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.findings import Confidence, Severity


@rule(
    "B508",
    "snmp_insecure_version",
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    nodes=(ast.Call,),
    cwe=319,
    calls=("pysnmp.hlapi.CommunityData",),
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """SNMPv1 or SNMPv2c in use.

    ## What it does
    Finds pysnmp `CommunityData(...)`, the credentials object of SNMP versions 1 and 2c.

    ## Why is this bad?
    SNMPv1 and v2c send the community string, their only credential, in cleartext with
    every request, and offer no encryption. Anyone who sees one packet can read, and with
    a write community change, the device's configuration.

    ## Example
    ```python
    auth = CommunityData("public", mpModel=1)
    ```

    ## Use instead
    ```python
    auth = UsmUserData("monitor", auth_key, priv_key,
                       authProtocol=usmHMACSHAAuthProtocol, privProtocol=usmAesCfb128Protocol)
    ```

    ## Differences from bandit
    - Every `CommunityData` call is reported, not only those passing `mpModel=0` or
      `mpModel=1`: without `mpModel` pysnmp uses v2c, and there is no secure value.
    """
    if ctx.call_tail(node) != "CommunityData":
        return
    qualname = ctx.call_name(node)
    if qualname is None or not qualname.startswith("pysnmp."):
        return
    model = ctx.keyword(node, "mpModel")
    version = "v1" if type(model) is ast.Constant and model.value == 0 else "v2c"
    yield Issue(node, f"SNMP{version} community authentication is sent in cleartext")
