"""B415: import of `pyghmi`, a client for the IPMI management protocol."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.import_blacklist import ImportBlacklist
from bastion.findings import Confidence, Severity

_BLACKLIST = ImportBlacklist.of(("pyghmi",))


@rule(
    "B415",
    "import_pyghmi",
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    nodes=(ast.Import, ast.ImportFrom, ast.Call),
    cwe=319,
    calls=_BLACKLIST.call_hints,
)
def check(node: ast.Import | ast.ImportFrom | ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Import of `pyghmi`, a client for the IPMI management protocol.

    ## What it does
    Finds imports of `pyghmi`.

    ## Why is this bad?
    IPMI gives full control of a server's hardware and has weak, well-documented
    authentication (an IPMI 2.0 RAKP exchange hands out password hashes to anyone who asks).
    Use the vendor's Redfish API over HTTPS instead.

    ## Example
    ```python
    from pyghmi.ipmi import command

    command.Command(bmc="10.0.0.5", userid=user, password=password).set_power("off")
    ```

    ## Use instead
    ```python
    import httpx  # Redfish over verified HTTPS

    httpx.post(f"https://{bmc}/redfish/v1/Systems/1/Actions/ComputerSystem.Reset", auth=auth)
    ```

    ## Differences from bandit
    - Names match by whole dotted segments: `pyghmi` covers
      `pyghmi.sub` but not `pyghmi_extra`,
      which bandit's string prefix test also matches.
    - Relative imports (`from .compat import ...`) name the project's own modules and never
      match.
    - Each B4xx rule reports on its own: `import pickle, subprocess` gives B403 and B404, where
      bandit stops at the first blacklisted name of a statement.
    """
    yield from _BLACKLIST.issues(node, ctx, "IPMI is an insecure management protocol")
