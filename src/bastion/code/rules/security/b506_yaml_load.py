"""B506: YAML loaded with a loader that can build arbitrary Python objects."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.ast_helpers import argument_or_unpacked
from bastion.findings import Confidence, Severity

_LOADER_FUNCTIONS = frozenset({"load", "load_all"})
_UNSAFE_FUNCTIONS = frozenset({"unsafe_load", "unsafe_load_all", "full_load", "full_load_all"})
_TAILS = _LOADER_FUNCTIONS | _UNSAFE_FUNCTIONS
_SAFE_LOADERS = frozenset({"SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader"})


@rule(
    "B506",
    "yaml_load",
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    nodes=(ast.Call,),
    cwe=20,
    calls=tuple(_TAILS),
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """Unsafe YAML load.

    ## What it does
    Finds PyYAML `yaml.load` and `yaml.load_all` calls without a safe loader
    (`SafeLoader`, `CSafeLoader`, `BaseLoader`), and calls of `yaml.unsafe_load` and
    `yaml.full_load` (and their `_all` forms).

    ## Why is this bad?
    The full and unsafe loaders build Python objects named by tags in the document
    (`!!python/object/apply:os.system`), so loading an attacker's YAML runs the attacker's
    code.

    ## Example
    ```python
    config = yaml.load(request.body, Loader=yaml.Loader)
    ```

    ## Use instead
    ```python
    config = yaml.safe_load(request.body)
    ```

    ## Differences from bandit
    - `yaml.unsafe_load`, `yaml.full_load` and the `_all` variants are reported; bandit
      only looks at `load`.
    - `BaseLoader` and `CBaseLoader` count as safe: they build nothing but strings, lists
      and dicts.
    - Only PyYAML's own functions count (`yaml.load`, `from yaml import load`); a method
      such as `self.yaml.load(...)` (often ruamel.yaml) is not reported.
    - When the document is a string literal the severity is LOW: no outside data reaches it.
    """
    tail = ctx.call_tail(node)
    if tail not in _TAILS or ctx.call_name(node) != f"yaml.{tail}":
        return
    if tail in _LOADER_FUNCTIONS:
        loader = ctx.argument(node, 1, "Loader")
        if loader is not None and ctx.value_tail(loader) in _SAFE_LOADERS:
            return
    stream = argument_or_unpacked(node, 0, "stream")
    if stream is not None and ctx.is_constant(stream):
        yield Issue(
            node, f"yaml.{tail} of a literal document with an unsafe loader", severity=Severity.LOW
        )
        return
    path = ctx.taint(stream) if stream is not None else None
    yield Issue(node, f"yaml.{tail} can build arbitrary objects, use yaml.safe_load", taint=path)
