"""B615: a Hugging Face Hub download not pinned to a commit."""

from __future__ import annotations

import ast
import string
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.ast_helpers import is_true, string_value
from bastion.findings import Confidence, Severity

# function name -> the package its qualified name must go through
_DOWNLOADERS = {
    "from_pretrained": "transformers",
    "load_dataset": "datasets",
    "hf_hub_download": "huggingface_hub",
    "snapshot_download": "huggingface_hub",
}
_HEX = frozenset(string.hexdigits)
# Builders of `datasets` that read local files rather than a Hub repository.
_LOCAL_BUILDERS = frozenset(
    {
        "arrow",
        "audiofolder",
        "csv",
        "generator",
        "imagefolder",
        "json",
        "pandas",
        "parquet",
        "sql",
        "text",
        "videofolder",
        "webdataset",
        "xml",
    }
)


def _is_commit(revision: str) -> bool:
    return len(revision) >= 7 and _HEX.issuperset(revision)


@rule(
    "B615",
    "huggingface_unsafe_download",
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    nodes=(ast.Call,),
    cwe=494,
    calls=tuple(_DOWNLOADERS),
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Hugging Face Hub download without a pinned revision.

    ## What it does
    Finds `transformers` `from_pretrained`, `datasets.load_dataset` and `huggingface_hub`
    `hf_hub_download`/`snapshot_download` calls that fetch from the Hub without a
    `revision` (or `commit_id`) that is a commit hash.

    ## Why is this bad?
    Without a pinned commit the call fetches whatever the repository holds today. If its
    owner's account is compromised, or the repository changes hands, the next run loads
    different weights or code (models may ship Python via `trust_remote_code`, and older
    formats are pickles).

    ## Example
    ```python
    model = AutoModel.from_pretrained("acme/sentiment")
    ```

    ## Use instead
    ```python
    model = AutoModel.from_pretrained(
        "acme/sentiment", revision="4f0c5c6a5c3e2b1d9a8f7e6d5c4b3a2918f7e6d5"
    )
    ```

    ## Differences from bandit
    - Calls with `local_files_only=True`, and `load_dataset` with a local builder (`"csv"`,
      `"json"`, `"parquet"`, ...), download nothing and are not reported.
    - Bandit's unused `repository_id` entry is left out: no such download function exists.
    """
    tail = ctx.call_tail(node)
    package = _DOWNLOADERS.get(tail or "")
    if package is None:
        return
    qualname = ctx.call_name(node)
    if qualname is None or package not in qualname.split("."):
        return
    for kw in node.keywords:
        if kw.arg in ("revision", "commit_id"):
            revision = string_value(kw.value)
            if type(kw.value) is not ast.Constant or (revision and _is_commit(revision)):
                return  # a commit hash, or a value we cannot judge
        elif kw.arg == "local_files_only" and is_true(kw.value):
            return
    source = string_value(ctx.argument(node, 0))
    if source is not None and (
        source.startswith(("./", "/", "../"))
        or (tail == "load_dataset" and source in _LOCAL_BUILDERS)
    ):
        return
    yield Issue(node, f"{tail}() downloads from the Hugging Face Hub without a pinned revision")
