"""bastion scans itself clean: nothing at medium or above in its own source, apart from
findings an inline `# nosec ID -- reason` accepts."""

from __future__ import annotations

import re
import tokenize
from pathlib import Path

from bastion.code.runner import run_scan
from bastion.code.settings import ScanSettings
from bastion.findings import Severity

SRC = Path(__file__).resolve().parents[2] / "src" / "bastion"


def test_bastion_source_has_no_finding_at_medium_or_above() -> None:
    settings = ScanSettings(cache=False, jobs=1, severity_threshold=Severity.MEDIUM)
    result = run_scan(SRC, settings, SRC.parent)
    assert result.stats.files > 100
    assert [
        (relpath, finding.rule_id, finding.location.line if finding.location else None)
        for finding, relpath in zip(result.findings, result.relpaths, strict=True)
    ] == []
    assert [d.message for d in result.diagnostics if "suppressed" not in d.message] == []


def test_every_suppression_in_the_source_names_its_rules_and_gives_a_reason() -> None:
    """`# nosec B506 -- the loader is a SafeLoader subclass`, never a bare `# nosec`."""
    marker = re.compile(r"#\s*(?:nosec\b|bastion:\s*ignore)(?P<rest>.*)$")
    reasoned = re.compile(r"\s*\[?B\d{3}(?:\s*,\s*B\d{3})*\]?\s+-+\s*\S")
    seen, loose = [], []
    for path in sorted(SRC.rglob("*.py")):
        with path.open(encoding="utf-8") as handle:
            for token in tokenize.generate_tokens(handle.readline):
                found = marker.search(token.string) if token.type == tokenize.COMMENT else None
                if found is not None:
                    where = f"{path.relative_to(SRC).as_posix()}:{token.start[0]}"
                    seen.append(where)
                    if not reasoned.match(found.group("rest")):
                        loose.append(where)
    assert "code/rules/security/b104_hardcoded_bind_all_interfaces.py" in {
        where.partition(":")[0] for where in seen
    }
    assert loose == []
