"""V602: pip's `extra-index-url`, which mixes indexes by version."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.findings import Finding, Severity
from bastion.verify.facts import Facts
from bastion.verify.rule import REGISTRY, verify_rule


@verify_rule(
    "V602",
    "extra-index-url",
    severity=Severity.HIGH,
    cwe=427,
    references=("https://pip.pypa.io/en/stable/cli/pip_install/#cmdoption-extra-index-url",),
)
def extra_index_url(facts: Facts) -> Iterator[Finding]:
    """pip is given a second index, and takes each package from whichever has the newest.

    ## What it does
    Reports every `extra-index-url` that pip reads: in its configuration files, in
    `PIP_EXTRA_INDEX_URL`, or as `--extra-index-url` in a requirements file.

    ## Why is this bad?
    pip treats all its indexes as one: for each name it takes the highest version found on
    any of them. Anyone can publish your private package's name on PyPI with a higher
    version, and pip installs theirs (dependency confusion, the 2021 attack on Apple,
    Microsoft and PayPal). pip has no way to tie a name to one index; hashes in a lock stop
    it, an unhashed install does not.

    ## Example
    ```ini
    [global]
    extra-index-url = https://pypi.internal.example/simple/
    ```

    ## Use instead
    ```ini
    [global]
    # one index that serves the private packages and proxies PyPI for the rest
    index-url = https://pypi.internal.example/simple/
    ```
    """
    for setting in facts.sources().settings:
        if setting.tool in ("pip", "requirements") and setting.key == "extra-index-url":
            yield RULE.finding(
                f"pip takes each package from {setting.value} or the main index, whichever "
                "has the higher version",
                location=setting.location,
                key=setting.value,
                fix="serve private packages from one index that proxies PyPI (devpi, a "
                "repository manager), or install with uv, whose default first-index "
                "strategy takes a name only from the first index that has it",
            )


RULE = REGISTRY["V602"]
