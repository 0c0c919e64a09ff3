"""V603: uv told to mix indexes the way pip does."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.findings import Finding, Severity
from bastion.verify.facts import Facts
from bastion.verify.rule import REGISTRY, verify_rule


@verify_rule(
    "V603",
    "unsafe-best-match",
    severity=Severity.HIGH,
    cwe=427,
    references=(
        "https://docs.astral.sh/uv/configuration/indexes/#searching-across-multiple-indexes",
    ),
)
def unsafe_best_match(facts: Facts) -> Iterator[Finding]:
    """uv's `index-strategy` is `unsafe-best-match` (or `unsafe-first-match`).

    ## What it does
    Reports `index-strategy = "unsafe-best-match"` or `"unsafe-first-match"` in uv's
    configuration (`uv.toml`, `[tool.uv]`, `[tool.uv.pip]`) or `UV_INDEX_STRATEGY`.

    ## Why is this bad?
    uv's default (`first-index`) takes a package only from the first index that has the
    name, which defeats dependency confusion. The unsafe strategies look at every index for
    versions, so a public package with your private package's name and a higher version
    wins, as with pip's `--extra-index-url`.

    ## Example
    ```toml
    [tool.uv]
    index-strategy = "unsafe-best-match"
    ```

    ## Use instead
    ```toml
    [[tool.uv.index]]
    name = "internal"
    url = "https://pypi.internal.example/simple/"
    explicit = true

    [tool.uv.sources]
    mylib = { index = "internal" }
    ```
    """
    for setting in facts.sources().of("uv", "index-strategy"):
        if setting.value.startswith("unsafe-"):
            yield RULE.finding(
                f"index-strategy = {setting.value}: uv takes a name from any index",
                location=setting.location,
                key=setting.value,
                fix="remove it (first-index is the default), and tie private packages to "
                "their index with [tool.uv.sources]",
            )


RULE = REGISTRY["V603"]
