"""B301: deserialization with `pickle` and the libraries built on it."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.ast_helpers import data_argument
from bastion.code.rules.calls import CallBlacklist, sink_issue
from bastion.findings import Confidence, Severity

_CALLS = CallBlacklist.of(
    (
        "pickle.loads",
        "pickle.load",
        "pickle.Unpickler",
        "_pickle.loads",
        "_pickle.load",
        "_pickle.Unpickler",
        "cloudpickle.loads",
        "cloudpickle.load",
        "dill.loads",
        "dill.load",
        "dill.Unpickler",
        "joblib.load",
        "shelve.open",
        "shelve.DbfilenameShelf",
        "jsonpickle.decode",
        "jsonpickle.unpickler.decode",
        "jsonpickle.unpickler.Unpickler",
        "pandas.read_pickle",
    )
)
# The argument is the serialized data itself (not a file name or stream).
_TAKES_DATA = frozenset(
    (
        "pickle.loads",
        "_pickle.loads",
        "cloudpickle.loads",
        "dill.loads",
        "jsonpickle.decode",
        "jsonpickle.unpickler.decode",
    )
)
# Calls whose arguments are not the input to parse or load.
_NO_INPUT = frozenset(("jsonpickle.unpickler.Unpickler",))
_DATA_KEYWORDS = ("data", "file", "filename", "string", "filepath_or_buffer")


@rule(
    "B301",
    "pickle",
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    nodes=(ast.Call,),
    calls=tuple(_CALLS.names),
    cwe=502,
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Deserialization with `pickle` or a library built on it, which can run code.

    ## What it does
    Finds calls that unpickle data: `pickle.load`/`loads`/`Unpickler` (and `_pickle`,
    `cloudpickle`, `dill`), `shelve.open`, `jsonpickle.decode`, `joblib.load` and
    `pandas.read_pickle`.

    ## Why is this bad?
    A pickle is a small program: loading it can import and call any function, so unpickling
    data that someone else wrote or could alter runs their code (CWE-502). Files, caches,
    cookies and network messages all count as someone else's.

    ## Example
    ```python
    state = pickle.loads(request.cookies["state"])
    ```

    ## Use instead
    ```python
    state = json.loads(request.cookies["state"])  # data, not code
    ```

    ## Differences from bandit
    - `_pickle`, `cloudpickle` and `joblib.load` are checked too.
    - When the argument is the serialized data itself and only constants reach it
      (`pickle.loads(b"...")`), bastion reports LOW severity instead of MEDIUM.
    - The module must be imported in the file: a local object that happens to be called
      `pickle` is not the library.
    """
    name = _CALLS.match(node, ctx)
    if name is None:
        return
    if name in _NO_INPUT:
        yield Issue(node, f"{name} deserializes by running code the data names")
        return
    data = data_argument(node, *_DATA_KEYWORDS)
    yield sink_issue(
        node,
        ctx,
        data,
        f"{name} deserializes by running code the data names",
        literal_data=name in _TAKES_DATA,
    )
