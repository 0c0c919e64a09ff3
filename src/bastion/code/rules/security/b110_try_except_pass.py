"""B110: `except: pass`, an exception swallowed without a trace."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.ast_helpers import catches_everything
from bastion.findings import Confidence, Severity


@rule(
    "B110",
    "try_except_pass",
    severity=Severity.LOW,
    confidence=Confidence.HIGH,
    nodes=(ast.ExceptHandler,),
    cwe=703,
)
def check(node: ast.ExceptHandler, ctx: FileContext) -> Iterator[Issue]:
    """`try`/`except`/`pass`: every error is silently ignored.

    ## What it does
    Finds `except` clauses that catch everything (bare `except:`, `except Exception:` or
    `except BaseException:`) and whose only statement is `pass`.

    ## Why is this bad?
    Whatever went wrong, from a failed permission check to a corrupted download, disappears
    without a log line, and the program carries on in a state nobody checked. Attackers rely
    on failures that leave no trace.

    ## Example
    ```python
    try:
        verify_signature(package)
    except Exception:
        pass
    ```

    ## Use instead
    ```python
    try:
        verify_signature(package)
    except SignatureError:
        log.warning("bad signature on %s", package)
        raise
    ```

    ## Differences from bandit
    - `except BaseException:` is reported too (it swallows even more); bandit only reports a
      bare `except:` and `except Exception:`.
    """
    body = node.body
    if len(body) == 1 and type(body[0]) is ast.Pass and catches_everything(node):
        yield Issue(node, "exception caught and ignored with pass")
