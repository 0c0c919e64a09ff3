"""zizmor's GitHub Actions audits, as bastion findings, when zizmor is installed.

zizmor (a maintained Rust binary on PyPI; `pip install 'bastion[workflows]'`) has some 40
audits of workflows in general (template injection, dangerous triggers, excessive
permissions, cache poisoning ...). bastion does not rewrite them: it runs `zizmor --offline
--format json` on the project's `.github/workflows` (offline, so it asks no API) and turns
each result into a finding `zizmor/<audit>` at zizmor's primary location, severity mapped
(High, Medium, Low; Informational and Unknown are left out), confidence kept, its
documentation URL as the reference. bastion's own P1xx rules cover the release path where
zizmor is silent (a token passed although `id-token: write` is granted, a publish job
without an environment, ad hoc installs with pip or uv).

zizmor runs on the workflow files only and executes nothing of them. A zizmor that fails is
a partial result, never silence.
"""

from __future__ import annotations

import json
import shutil
import subprocess  # nosec B404 -- runs zizmor, a static analyser, on workflow files
import sys
from pathlib import Path
from typing import Any

from bastion.errors import SourceError
from bastion.findings import Confidence, Finding, Location, Severity

SEVERITIES = {"High": Severity.HIGH, "Medium": Severity.MEDIUM, "Low": Severity.LOW}
CONFIDENCES = {"High": Confidence.HIGH, "Medium": Confidence.MEDIUM, "Low": Confidence.LOW}
TIMEOUT_SECONDS = 300


def executable() -> str | None:
    """zizmor beside bastion's interpreter (the same venv), else on PATH."""
    beside = Path(sys.executable).with_name("zizmor")
    if beside.is_file():
        return str(beside)
    return shutil.which("zizmor")


def run_zizmor(program: str, workflows: Path, shown: Path) -> list[Finding]:
    try:
        result = subprocess.run(  # nosec B603 -- fixed arguments, no shell
            [program, "--offline", "--format", "json", "--no-progress", str(workflows)],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise SourceError(f"zizmor could not run: {exc}") from None
    # zizmor exits 0, or 10-14 when it has findings of some severity.
    if result.returncode not in (0, 10, 11, 12, 13, 14):
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise SourceError(f"zizmor failed ({result.returncode}): {last}")
    try:
        answer = json.loads(result.stdout or "[]")
    except ValueError:
        raise SourceError("zizmor's answer is not JSON") from None
    if not isinstance(answer, list):
        raise SourceError("zizmor's answer is not a list of findings")
    return [f for item in answer if (f := _finding(item, workflows, shown)) is not None]


def _finding(item: Any, workflows: Path, shown: Path) -> Finding | None:
    if not isinstance(item, dict) or not isinstance(item.get("ident"), str):
        return None
    determinations = item.get("determinations") or {}
    severity = SEVERITIES.get(str(determinations.get("severity")))
    if severity is None:
        return None
    path, line = _primary(item.get("locations"), workflows, shown)
    ident = item["ident"]
    url = item.get("url")
    return Finding(
        rule_id=f"zizmor/{ident}",
        check="publish",
        title=f"{item.get('desc', ident)} (zizmor {ident})",
        severity=severity,
        confidence=CONFIDENCES.get(str(determinations.get("confidence")), Confidence.MEDIUM),
        location=Location(path, line),
        references=(url,) if isinstance(url, str) else (),
        fingerprint=f"publish:zizmor/{ident}:{path}:{line}",
    )


def _primary(locations: Any, workflows: Path, shown: Path) -> tuple[str, int | None]:
    if not isinstance(locations, list) or not locations:
        return str(shown), None
    chosen = next(
        (
            loc
            for loc in locations
            if isinstance(loc, dict) and (loc.get("symbolic") or {}).get("kind") == "Primary"
        ),
        locations[0],
    )
    symbolic = chosen.get("symbolic") or {} if isinstance(chosen, dict) else {}
    given = ((symbolic.get("key") or {}).get("Local") or {}).get("verbatim_path")
    row = (((chosen.get("concrete") or {}).get("location") or {}).get("start_point") or {}).get(
        "row"
    )
    path = str(shown / Path(given).name) if isinstance(given, str) else str(shown)
    return path, row + 1 if isinstance(row, int) else None
