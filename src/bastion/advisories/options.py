"""The settings of `bastion db update` (each a flag and a `[tool.bastion]` key).

Apart from the command so that the `[tool.bastion]` key check can know them without
importing a command module.
"""

from __future__ import annotations

from bastion.config import Option

UPDATE_OPTIONS: tuple[Option, ...] = (
    Option(
        "osv-export-url",
        ("--osv-export-url",),
        "folder of OSV's PyPI export, holding all.zip, modified_id.csv and ID.json "
        "(default: https://osv-vulnerabilities.storage.googleapis.com/PyPI)",
        default="https://osv-vulnerabilities.storage.googleapis.com/PyPI",
        metavar="URL",
    ),
    Option(
        "offline",
        ("--offline",),
        "never touch the network (`db update` then fails: it needs the network)",
        kind=bool,
        default=False,
    ),
)
