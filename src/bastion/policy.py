"""Policy: which findings the user has accepted (ignores) and which make the run fail.

An ignore names an ID (any of a finding's IDs matches: PYSEC, GHSA, CVE, a rule ID), must
say why, and may expire. An expired ignore stops applying and is reported; an ignore that
matched nothing is reported too, so stale entries do not pile up.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bastion.config import key_line
from bastion.errors import InputError
from bastion.findings import Diagnostic, Finding, Severity

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# Not frozen: nothing hashes ignores, and a frozen dataclass costs more start-up time.
@dataclass(slots=True)
class Ignore:
    """One accepted finding: `id` matches any of a finding's IDs (case-insensitive)."""

    id: str
    reason: str
    expires: dt.date | None = None
    origin: str = ""

    def expired(self, today: dt.date) -> bool:
        return self.expires is not None and self.expires < today


# No `__eq__`: nothing compares these, and each generated method costs start-up time.
@dataclass(slots=True, eq=False)
class PolicyOutcome:
    """Findings split by policy, and what the policy itself has to say."""

    active: list[Finding] = field(default_factory=list)
    ignored: list[tuple[Finding, Ignore]] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def parse_ignores(entries: Any, path: Path | None) -> list[Ignore]:
    """Read `[[tool.bastion.ignore]]` entries: tables with `id`, `reason`, optional `expires`."""
    if entries is None:
        return []
    if not isinstance(entries, list):
        raise InputError(
            "[tool.bastion] ignore must be a list of tables", path, key_line(path, "ignore")
        )
    ignores = []
    lines = _entry_lines(path, len(entries))
    for entry, line in zip(entries, lines, strict=True):
        if not isinstance(entry, dict):
            raise InputError("each ignore must be a table with id and reason", path, line)
        ident, reason, expires = entry.get("id"), entry.get("reason"), entry.get("expires")
        if not isinstance(ident, str) or not ident.strip():
            raise InputError("an ignore entry has no id", path, line)
        if not isinstance(reason, str) or not reason.strip():
            raise InputError(f"ignore {ident}: a reason is required", path, line)
        ignores.append(
            Ignore(
                ident.strip(),
                reason.strip(),
                _parse_expiry(expires, ident, path, line),
                origin=str(path) if path else "config",
            )
        )
    return ignores


_ENTRY_HEADER = re.compile(
    r"^[ \t]*\[\[[ \t]*tool[ \t]*\.[ \t]*bastion[ \t]*\.[ \t]*ignore[ \t]*\]\]", re.M
)


def _entry_lines(path: Path | None, count: int) -> list[int | None]:
    """The line of each `[[tool.bastion.ignore]]` entry, so an error names the entry at fault;
    the `ignore` key's line for every entry when the file spells them otherwise (an inline
    array), as tomllib gives no positions."""
    fallback = key_line(path, "ignore")
    if path is None:
        return [fallback] * count
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return [fallback] * count
    starts = [match.start() for match in _ENTRY_HEADER.finditer(text)]
    if len(starts) != count:
        return [fallback] * count
    return [text.count("\n", 0, start) + 1 for start in starts]


#: The reason an `--ignore ID` without one gets (the run also says a reason is missing).
NO_REASON = "no reason given"


def parse_cli_ignore(text: str) -> Ignore:
    """`ID`, `ID:REASON` or `ID:REASON:YYYY-MM-DD` from `--ignore` / `--ignore-vuln`.

    On the command line a reason is asked for, not required (pip-audit's `--ignore-vuln ID`
    takes none): without one the ignore applies and the run warns. In `[tool.bastion]`, which
    others read later, a reason is required.
    """
    ident, _, rest = text.partition(":")
    reason, expires = rest, None
    head, _, tail = rest.rpartition(":")
    if head and _DATE.match(tail.strip()):
        reason, expires = head, tail.strip()
    if not ident.strip():
        raise InputError(f"--ignore {text!r}: expected ID[:REASON[:YYYY-MM-DD]]")
    return Ignore(
        ident.strip(),
        reason.strip() or NO_REASON,
        _parse_expiry(expires, ident, None, None),
        origin="--ignore",
    )


def _parse_expiry(value: Any, ident: str, path: Path | None, line: int | None) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise InputError(
        f"ignore {ident}: expires must be a date (YYYY-MM-DD), got {value!r}", path, line
    )


def apply(
    findings: Iterable[Finding],
    ignores: Sequence[Ignore],
    today: dt.date | None = None,
) -> PolicyOutcome:
    """Split findings into active and ignored; report expired and unused ignores."""
    today = today or dt.date.today()
    outcome = PolicyOutcome()
    live: dict[str, Ignore] = {}
    for ignore in ignores:
        if ignore.expired(today):
            outcome.diagnostics.append(
                Diagnostic(
                    f"ignore {ignore.id} expired on {ignore.expires}; "
                    f"it no longer applies ({ignore.origin})"
                )
            )
        else:
            live[ignore.id.upper()] = ignore
    if not live:  # the common case; it spares a look at every ID of thousands of findings
        outcome.active.extend(findings)
        return outcome
    used: set[str] = set()
    for finding in findings:
        match = next((live[i.upper()] for i in finding.ids if i.upper() in live), None)
        if match is None:
            outcome.active.append(finding)
        else:
            used.add(match.id.upper())
            outcome.ignored.append((finding, match))
    for key, ignore in live.items():
        if key not in used:
            outcome.diagnostics.append(
                Diagnostic(
                    f"ignore {ignore.id} matched no finding; "
                    f"remove it if it is no longer needed ({ignore.origin})"
                )
            )
    return outcome


def fails(findings: Iterable[Finding], fail_on: Severity) -> bool:
    """True when any finding is at or above `fail_on`; unknown severity ranks with low."""
    threshold = max(int(fail_on), int(Severity.LOW))
    return any(max(int(f.severity), int(Severity.LOW)) >= threshold for f in findings)
