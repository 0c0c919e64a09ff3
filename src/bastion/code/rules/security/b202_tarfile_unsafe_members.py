"""B202: `TarFile.extractall` without a safe extraction filter."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Literal

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.ast_helpers import root_name, string_value
from bastion.findings import Confidence, Severity

# Filters that refuse absolute paths, `..` and links leaving the destination (PEP 706).
_SAFE_FILTER_NAMES = frozenset({"data", "tar"})
_SAFE_FILTER_FUNCTIONS = frozenset({"tarfile.data_filter", "tarfile.tar_filter"})

Archive = Literal["tar", "other", "unknown"]


def _archive_kind(opener: ast.Call, ctx: FileContext) -> Archive:
    """What `opener` returns: a tar archive, something else we know, or unknown."""
    name = ctx.call_name(opener)
    if name is None:
        return "unknown"
    if name.startswith("tarfile."):
        return "tar"
    root = root_name(opener.func)
    return "other" if root is not None and ctx.is_imported(root) else "unknown"


def _receiver_kind(receiver: ast.expr, ctx: FileContext) -> Archive:
    """Whether the object `extractall` is called on is a `TarFile`, as far as can be seen."""
    if isinstance(receiver, ast.Call):
        return _archive_kind(receiver, ctx)
    if isinstance(receiver, ast.Name):
        kinds = {
            _archive_kind(c, ctx) for c in ctx.calls_bound_to(ctx.innermost_scope(), receiver.id)
        }
        if "tar" in kinds:
            return "tar"
        if kinds == {"other"}:
            return "other"
    return "unknown"


def _is_safe_filter(value: ast.expr, ctx: FileContext) -> bool:
    if string_value(value) in _SAFE_FILTER_NAMES:
        return True
    return ctx.qualname(value) in _SAFE_FILTER_FUNCTIONS


@rule(
    "B202",
    "tarfile_unsafe_members",
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    nodes=(ast.Call,),
    calls=("extractall",),
    cwe=22,
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """`tarfile` extraction that trusts the archive's member names.

    ## What it does
    Finds `TarFile.extractall()` calls without a safe extraction filter
    (`filter="data"`, `filter="tar"` or the matching `tarfile` functions). Without `members=`
    it is HIGH severity; with `members=` built by a function call, LOW (the function may
    well filter); with any other `members=` value, MEDIUM.

    ## Why is this bad?
    A tar member may be named `../../home/user/.bashrc` or `/etc/cron.d/job`, or be a link
    pointing outside the destination. Extracting an archive from anyone else then writes
    files wherever its author chose (path traversal, CVE-2007-4559).

    ## Example
    ```python
    with tarfile.open(upload) as archive:
        archive.extractall(destination)
    ```

    ## Use instead
    ```python
    with tarfile.open(upload) as archive:
        archive.extractall(destination, filter="data")  # Python 3.12+, backported to 3.8+
    ```

    ## Differences from bandit
    - `filter="tar"` and `filter=tarfile.data_filter` / `tarfile.tar_filter` are accepted as
      safe, like `filter="data"`.
    - The method must be called `extractall` exactly, and when the receiver is visibly not a
      tar archive (`zipfile.ZipFile(...).extractall()`, or a name bound to one in the same
      function) nothing is reported. bandit reports every `*extractall*` call in a file that
      imports `tarfile`; bastion does too when it cannot tell what the receiver is, and
      also when the receiver visibly comes from `tarfile` even without `import tarfile`.
    """
    func = node.func
    if type(func) is not ast.Attribute or func.attr != "extractall":
        return
    kind = _receiver_kind(func.value, ctx)
    if kind == "other" or (kind == "unknown" and not ctx.imports_module("tarfile")):
        return
    members = None
    for kw in node.keywords:
        if kw.arg == "filter" and _is_safe_filter(kw.value, ctx):
            return
        if kw.arg == "members":
            members = kw.value
    if members is None:
        yield Issue(
            node,
            "tarfile extractall without a safe filter trusts every member path",
            taint=ctx.taint(func.value),
        )
    elif isinstance(members, ast.Call):
        yield Issue(
            node,
            "tarfile extractall with members chosen by a function: check that it drops "
            "absolute paths, '..' and links",
            severity=Severity.LOW,
            confidence=Confidence.LOW,
        )
    else:
        yield Issue(
            node,
            "tarfile extractall with members that may not be validated",
            severity=Severity.MEDIUM,
            confidence=Confidence.MEDIUM,
        )
