"""B310: `urllib.request` opening a URL whose scheme nobody checked."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.code.context import FileContext
from bastion.code.rule import Issue, rule
from bastion.code.rules.ast_helpers import data_argument, string_value
from bastion.code.rules.calls import CallBlacklist
from bastion.findings import Confidence, Severity

_CALLS = CallBlacklist.of(
    (
        "urllib.request.urlopen",
        "urllib.request.urlretrieve",
        "urllib.request.URLopener",
        "urllib.request.FancyURLopener",
        "six.moves.urllib.request.urlopen",
        "six.moves.urllib.request.urlretrieve",
        "six.moves.urllib.request.URLopener",
        "six.moves.urllib.request.FancyURLopener",
    )
)
_OPENERS = frozenset(n for n in _CALLS.names if n.endswith("URLopener"))
_WEB_SCHEMES = ("http://", "https://")


@rule(
    "B310",
    "urllib_urlopen",
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    nodes=(ast.Call,),
    calls=tuple(_CALLS.names),
    cwe=22,
)
def check(node: ast.Call, ctx: FileContext) -> Iterator[Issue]:
    """`urllib.request` opening a URL without checking its scheme.

    ## What it does
    Finds `urllib.request.urlopen` and `urlretrieve` calls (and the legacy `URLopener` and
    `FancyURLopener` classes), also through `six.moves`, unless the URL is a constant
    `http://` or `https://` address.

    ## Why is this bad?
    `urllib` opens more than web pages: a `file://` URL reads any local file, and other
    handlers may be installed. When the URL comes from outside, the program can be made to
    read `/etc/passwd` or its own secrets, or to make requests on the attacker's behalf to
    internal services (server-side request forgery).

    ## Example
    ```python
    page = urllib.request.urlopen(request.args["url"]).read()
    ```

    ## Use instead
    ```python
    url = request.args["url"]
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise ValueError("only http(s) URLs")
    page = urllib.request.urlopen(url, timeout=10).read()  # and check the host too
    ```

    ## Differences from bandit
    - A constant `http://` or `https://` URL cannot be turned into another scheme: bastion
      does not report it; bandit does. Other constant URLs (`file://...`) are reported, and
      a constant URL whose text is not known is LOW severity.
    - The module must be imported in the file: a local object that happens to carry the
      module's name is not the library.
    """
    name = _CALLS.match(node, ctx)
    if name is None:
        return
    if name in _OPENERS:
        yield Issue(node, f"{name} opens any URL scheme, file:// included")
        return
    url = data_argument(node, "url")
    if url is not None and ctx.is_constant(url):
        text = string_value(url)
        if text is None:
            yield Issue(node, f"{name} of a constant URL", severity=Severity.LOW)
        elif not text.lower().startswith(_WEB_SCHEMES):
            yield Issue(node, f"{name} of a URL that is not http(s): {text[:40]!r}")
        return
    yield Issue(
        node,
        f"{name} opens any URL scheme, file:// included: check the scheme",
        taint=ctx.taint(url) if url is not None else None,
    )
