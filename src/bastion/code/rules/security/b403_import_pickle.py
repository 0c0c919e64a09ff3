"""B403: import of `pickle`, `cPickle`, `dill` or `shelve`, which deserialize by running code."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.import_blacklist import ImportBlacklist
from bastion.findings import Confidence, Severity

_BLACKLIST = ImportBlacklist.of(
    (
        "cPickle",
        "dill",
        "pickle",
        "shelve",
    )
)


@rule(
    "B403",
    "import_pickle",
    severity=Severity.LOW,
    confidence=Confidence.HIGH,
    nodes=(ast.Import, ast.ImportFrom, ast.Call),
    cwe=502,
    calls=_BLACKLIST.call_hints,
)
def check(node: ast.Import | ast.ImportFrom | ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Import of `pickle`, `cPickle`, `dill` or `shelve`, which deserialize by running code.

    ## What it does
    Finds imports of the pickle family of modules: `pickle`, `cPickle`, `dill`, `shelve`.

    ## Why is this bad?
    A pickle is a program for a small stack machine that can call any importable
    function. Loading one that an attacker wrote or altered runs the attacker's code. Importing
    the module is not a bug by itself; the rule points at files worth a closer look.

    ## Example
    ```python
    import pickle

    state = pickle.loads(request.body)
    ```

    ## Use instead
    ```python
    import json

    state = json.loads(request.body)
    ```

    ## Differences from bandit
    - Names match by whole dotted segments: `dill` covers
      `dill.sub` but not `dill_extra`,
      which bandit's string prefix test also matches.
    - Relative imports (`from .compat import ...`) name the project's own modules and never
      match.
    - Each B4xx rule reports on its own: `import pickle, subprocess` gives B403 and B404, where
      bandit stops at the first blacklisted name of a statement.
    """
    yield from _BLACKLIST.issues(node, ctx, "unpickling untrusted data runs arbitrary code")
