"""Baselines: accept the findings a project already has, report only new ones.

A finding matches a baseline entry by rule, project-relative file and fingerprint (a hash of
the flagged statement's normalised code and its occurrence among identical statements; see
`bastion.code.fingerprint`), never by line number: lines added above a finding do not
make it new, while editing the flagged statement does. Matching is by count, so a second copy
of a baselined line is new.

A bandit JSON report (`bandit -f json -o baseline.json`) is accepted too, so an existing
bandit baseline keeps working: bandit's entries carry no fingerprint, so they match by rule and
file, as many findings per pair as the report lists.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bastion.errors import InputError
from bastion.findings import Finding
from bastion.fsutil import write_atomic

FORMAT = "bastion-scan-baseline"
VERSION = 1


@dataclass(slots=True)
class Baseline:
    """Accepted findings, as counts per (rule, file, fingerprint) or, for bandit, (rule, file)."""

    exact: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    loose: Counter[tuple[str, str]] = field(default_factory=Counter)

    def __len__(self) -> int:
        return sum(self.exact.values()) + sum(self.loose.values())


def load_baseline(path: Path) -> Baseline:
    """Read a baseline written by `--write-baseline`, or a bandit JSON report."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("baseline file not found", path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read baseline: {exc}", path) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"baseline is not valid JSON: {exc.msg}", path, exc.lineno) from None
    except (ValueError, RecursionError) as exc:  # nesting, integers over the digit limit
        reason = str(exc).split(";")[0] or type(exc).__name__
        raise InputError(f"baseline is not valid JSON: {reason}", path) from None
    baseline = Baseline()
    if isinstance(data, dict) and data.get("format") == FORMAT:
        for entry in _entries(data.get("findings"), path):
            rule_id, relpath, fingerprint = (
                entry.get("rule_id"),
                entry.get("path"),
                entry.get("fingerprint"),
            )
            if not all(isinstance(v, str) and v for v in (rule_id, relpath, fingerprint)):
                raise InputError("baseline entry needs rule_id, path and fingerprint", path)
            baseline.exact[(str(rule_id), str(relpath), str(fingerprint))] += 1
        return baseline
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        for entry in _entries(data["results"], path):
            rule_id, filename = entry.get("test_id"), entry.get("filename")
            if isinstance(rule_id, str) and isinstance(filename, str):
                baseline.loose[(rule_id, _normal_path(filename))] += 1
        return baseline
    raise InputError(
        "not a baseline: expected one written by --write-baseline or a bandit JSON report",
        path,
    )


def _entries(value: object, path: Path) -> list[dict[str, object]]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise InputError("baseline findings must be a list of objects", path)
    return value


def _normal_path(text: str) -> str:
    text = text.replace("\\", "/")
    while text.startswith("./"):
        text = text[2:]
    return text


def apply_baseline(
    findings: Sequence[Finding], relpaths: Sequence[str], baseline: Baseline
) -> tuple[list[Finding], int]:
    """Findings not in the baseline, and how many were. `relpaths[i]` belongs to `findings[i]`."""
    exact = Counter(baseline.exact)
    loose = Counter(baseline.loose)
    kept: list[Finding] = []
    matched = 0
    for finding, relpath in zip(findings, relpaths, strict=True):
        key = (finding.rule_id, relpath, finding.fingerprint)
        if exact[key] > 0:
            exact[key] -= 1
            matched += 1
            continue
        loose_key = (finding.rule_id, relpath)
        if loose[loose_key] > 0:
            loose[loose_key] -= 1
            matched += 1
            continue
        kept.append(finding)
    return kept, matched


def write_baseline(path: Path, findings: Iterable[Finding], relpaths: Iterable[str]) -> int:
    """Write the findings as a baseline (atomically); returns how many were written."""
    from bastion import __version__

    entries = [
        {
            "rule_id": finding.rule_id,
            "path": relpath,
            "fingerprint": finding.fingerprint,
            "line": finding.location.line if finding.location else None,
            "title": finding.title,
        }
        for finding, relpath in zip(findings, relpaths, strict=True)
    ]
    entries.sort(key=lambda e: (str(e["path"]), e["line"] or 0, str(e["rule_id"])))
    document = {
        "format": FORMAT,
        "version": VERSION,
        "generated_by": f"bastion {__version__}",
        "generated_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "findings": entries,
    }
    try:
        write_atomic(path, json.dumps(document, indent=2) + "\n")
    except OSError as exc:
        raise InputError(f"cannot write baseline: {exc}", path) from None
    return len(entries)
