"""V605: packages fetched over plain HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from bastion.findings import Finding, Severity
from bastion.verify.facts import Facts
from bastion.verify.rule import REGISTRY, verify_rule

_URL_KEYS = frozenset({"index-url", "extra-index-url", "find-links", "index"})


@verify_rule("V605", "insecure-index", severity=Severity.HIGH, cwe=319)
def insecure_index(facts: Facts) -> Iterator[Finding]:
    """An index or find-links location is a plain `http://` URL.

    ## What it does
    Reports an `http://` index URL, extra index URL or find-links location, in a
    requirements file (`--index-url`, `--extra-index-url`, `--find-links`), pip's or uv's
    configuration, or their environment variables. Loopback addresses are not reported.

    ## Why is this bad?
    Without TLS, anyone on the network path can change the index page and the files: a
    different package, or the same version with malware in it. pip warns and refuses plain
    HTTP unless the host is also a `trusted-host`, which is often added to silence it.

    ## Example
    ```text
    --index-url http://pypi.internal.example/simple/
    ```

    ## Use instead
    ```text
    --index-url https://pypi.internal.example/simple/
    ```
    """
    from bastion.net import is_loopback

    for setting in facts.sources().settings:
        if setting.key not in _URL_KEYS or not setting.value.lower().startswith("http://"):
            continue
        host = urlsplit(setting.value).hostname or ""
        if is_loopback(host):
            continue
        yield RULE.finding(
            f"{setting.key} {setting.value} is plain HTTP",
            location=setting.location,
            key=setting.value,
            fix="use https:// (and hashes, so that a changed file is refused either way)",
        )


RULE = REGISTRY["V605"]
