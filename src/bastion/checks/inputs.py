"""The options that say which dependency inputs to read, shared by the checks that read
them (`audit`, `verify`): one flag each, whichever of those commands is run."""

from __future__ import annotations

from bastion.config import Option

INPUT_OPTIONS: tuple[Option, ...] = (
    Option(
        "requirement",
        ("-r", "--requirement"),
        "read this requirements file (repeatable)",
        multiple=True,
        metavar="FILE",
    ),
    Option(
        "lock",
        ("--lock",),
        "read this lock file (uv.lock, poetry.lock, Pipfile.lock, pylock.toml)",
        metavar="FILE",
    ),
    Option(
        "python",
        ("--python",),
        "read what is installed in this interpreter or venv",
        metavar="PATH",
    ),
    Option(
        "recursive",
        ("--recursive",),
        "read every project below PATH (a monorepo), each with its own authoritative input",
        kind=bool,
        default=False,
    ),
)

#: The package index the audit's staying-current advice and verify ask (one flag for both).
INDEX_URL = Option(
    "index-url",
    ("--index-url", "-i"),
    "the package index to check against (default: the inputs' --index-url, else "
    "pip's configuration, else https://pypi.org/simple/)",
    metavar="URL",
)
