"""Checks: each module takes a `CheckContext` and yields findings. A check never prints or exits.

`CHECKS` names every check `bastion check` runs, in order, by module path, so that a command
imports only the checks it runs. Each module exposes `CHECK`: its `name`, a one-line
`summary`, the `options` it reads (each a flag and a `[tool.bastion]` key, see `config`) and
`run(ctx)`. Adding a check means adding one module, one line here, and its command
(`bastion.commands`), which names the check; see docs/architecture.md.
"""

from __future__ import annotations

CHECKS: dict[str, str] = {
    "env": "bastion.checks.env",
    "audit": "bastion.checks.audit",
    "verify": "bastion.checks.verify",
    "scan": "bastion.checks.scan",
    "publish": "bastion.checks.publish",
}
