"""C102: a dependency with no release in years."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

from bastion.current.rule import ADVICE, REGISTRY, current_rule
from bastion.findings import Confidence, Finding, Severity
from bastion.verify.facts import Facts

if TYPE_CHECKING:
    from bastion.index.model import ProjectFiles

DEFAULT_YEARS = 3


@current_rule("C102", "unmaintained", severity=Severity.LOW)
def unmaintained(facts: Facts) -> Iterator[Finding]:
    """A dependency's project has published no release for years (a heuristic).

    ## What it does
    Reports a pinned dependency whose newest file on the index was uploaded more than three
    years ago (`--unmaintained-years N`, `unmaintained-years = N`). Advice, at low severity
    and confidence: a finished library can be stable rather than abandoned.

    ## Why is this bad?
    An abandoned project fixes nothing: a vulnerability found in it stays, a new Python
    breaks it, and its name and account are what attackers look for to take over.

    ## Example
    ```text
    some-old-lib==0.4.1   # newest release: 2019
    ```

    ## Use instead
    ```text
    a maintained alternative, or a vendored copy you maintain yourself
    ```
    """
    years = int(facts.settings.get("unmaintained_years") or DEFAULT_YEARS)
    now = dt.datetime.now(dt.UTC)
    seen: set[str] = set()
    for dependency in facts.from_index():
        page = facts.pages().get(dependency.name)
        if page is None or dependency.name in seen or not page.versions:
            continue
        seen.add(dependency.name)
        latest = _latest(page.versions)
        newest = _newest_upload(page, latest) if latest else None
        if latest is None or newest is None:
            continue
        age = (now - newest).days
        if age > years * 365:
            yield RULE.finding(
                f"{dependency.name}: no release for {age // 365} years (newest "
                f"{latest}, {newest.date().isoformat()})",
                dependency=dependency,
                confidence=Confidence.LOW,
                fix=f"check whether {dependency.name} is still maintained; plan a replacement",
                extra=ADVICE,
            )


def _latest(versions: tuple[str, ...]) -> str | None:
    """The highest PEP 440 version of the page (its `versions` list has no set order)."""
    from packaging.version import InvalidVersion, Version

    parsed = []
    for text in versions:
        try:
            parsed.append((Version(text), text))
        except InvalidVersion:
            continue
    return max(parsed)[1] if parsed else None


def _newest_upload(page: ProjectFiles, version: str) -> dt.datetime | None:
    files = page.files_of(version)
    times = [f.upload_time for f in files if f.upload_time]
    if not times:
        return None
    try:
        return max(dt.datetime.fromisoformat(t.replace("Z", "+00:00")) for t in times)
    except ValueError:
        return None


RULE = REGISTRY["C102"]
