"""Checks: each module takes a `CheckContext` and yields findings. A check never prints or exits.

`CHECKS` names every check `bastion check` runs, in order, by module path, so that a command
imports only the checks it runs. Adding a check means adding one module and one line here.
"""

from __future__ import annotations

CHECKS: dict[str, str] = {
    "audit": "bastion.checks.vulnerabilities",
    "scan": "bastion.checks.code",
}
