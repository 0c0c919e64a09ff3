"""B112: `except: continue`, an exception swallowed inside a loop."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.ast_helpers import catches_everything
from bastion.findings import Confidence, Severity


@rule(
    "B112",
    "try_except_continue",
    severity=Severity.LOW,
    confidence=Confidence.HIGH,
    nodes=(ast.ExceptHandler,),
    cwe=703,
)
def check(node: ast.ExceptHandler, ctx: FileContext) -> Iterator[Issue]:
    """`try`/`except`/`continue`: every error skips the item silently.

    ## What it does
    Finds `except` clauses that catch everything (bare `except:`, `except Exception:` or
    `except BaseException:`) and whose only statement is `continue`.

    ## Why is this bad?
    Items that fail for any reason, including ones an attacker crafted to fail a check, are
    skipped without a trace, and the loop's result looks complete when it is not.

    ## Example
    ```python
    for package in packages:
        try:
            verify_signature(package)
        except Exception:
            continue
    ```

    ## Use instead
    ```python
    for package in packages:
        try:
            verify_signature(package)
        except SignatureError:
            log.warning("skipping %s: bad signature", package)
            continue
    ```

    ## Differences from bandit
    - `except BaseException:` is reported too (it swallows even more); bandit only reports a
      bare `except:` and `except Exception:`.
    """
    body = node.body
    if len(body) == 1 and type(body[0]) is ast.Continue and catches_everything(node):
        yield Issue(node, "exception caught and ignored with continue")
