"""B413: import from the `Crypto` package of PyCrypto, which is unmaintained and has known flaws."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.import_blacklist import ImportBlacklist
from bastion.findings import Confidence, Severity

_BLACKLIST = ImportBlacklist.of(
    (
        "Crypto.Cipher",
        "Crypto.Hash",
        "Crypto.IO",
        "Crypto.Protocol",
        "Crypto.PublicKey",
        "Crypto.Random",
        "Crypto.Signature",
        "Crypto.Util",
    )
)


@rule(
    "B413",
    "import_pycrypto",
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    nodes=(ast.Import, ast.ImportFrom, ast.Call),
    cwe=327,
    calls=_BLACKLIST.call_hints,
)
def check(node: ast.Import | ast.ImportFrom | ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Import from the `Crypto` package of PyCrypto, which is unmaintained and has known flaws.

    ## What it does
    Finds imports from PyCrypto's `Crypto` package (`Crypto.Cipher`, `Crypto.Hash`, ...).

    ## Why is this bad?
    PyCrypto has not had a release since 2013 and has public vulnerabilities, among
    them a heap overflow in its AES code (CVE-2013-7459). `pycryptodome` installs under the same
    `Crypto` name; if that is what the project uses, suppress the finding with a reason, or move
    to `cryptography`.

    ## Example
    ```python
    from Crypto.Cipher import AES

    cipher = AES.new(key, AES.MODE_ECB)
    ```

    ## Use instead
    ```python
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    sealed = AESGCM(key).encrypt(nonce, data, None)
    ```

    ## Differences from bandit
    - Names match by whole dotted segments: `Crypto.IO` covers
      `Crypto.IO.sub` but not `Crypto.IO_extra`,
      which bandit's string prefix test also matches.
    - Relative imports (`from .compat import ...`) name the project's own modules and never
      match.
    - Each B4xx rule reports on its own: `import pickle, subprocess` gives B403 and B404, where
      bandit stops at the first blacklisted name of a statement.
    """
    yield from _BLACKLIST.issues(node, ctx, "PyCrypto is unmaintained, use pyca/cryptography")
