"""Which identifiers name a secret, the way bandit's B105-B107 decide it."""

from __future__ import annotations

import re
from functools import cache

# One `_`-separated part of an identifier that names a secret: password and its misspellings
# (passwd, pasword, passwrd), pass, passphrase, pwd, token, secret, secrete.
_SECRET_PART = re.compile(r"pas+wo?r?d|pass(?:phrase)?|pwd|token|secrete?", re.IGNORECASE)


@cache
def looks_like_password(identifier: str) -> bool:
    """True when an identifier names a secret, the way bandit's B105-B107 decide it.

    A name qualifies when one of its `_`-separated parts is a secret word: `password`,
    `db_password`, `password_hash` and `api_token` do; `tokenizer`, `passenger`, `dbPassword`
    do not.
    """
    return any(_SECRET_PART.fullmatch(part) for part in identifier.split("_"))
