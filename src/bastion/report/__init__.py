"""Reports: renderers of a run's result. Only here is output formatted.

Each format is one module exposing `render(result: RunResult, *, color: bool) -> str`.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bastion.findings import Diagnostic, Finding, Severity
from bastion.policy import Ignore

if TYPE_CHECKING:
    from bastion.inventory.model import Dependency

FORMATS: dict[str, str] = {
    "text": "bastion.report.text",
    "json": "bastion.report.json_format",
    "markdown": "bastion.report.markdown",
    "sarif": "bastion.report.sarif",
}


# No `__eq__`: nothing compares these, and each generated method costs start-up time.
@dataclass(slots=True, eq=False)
class RunResult:
    """Everything a report shows: active findings, what policy ignored, and how the run went."""

    command: str
    findings: list[Finding] = field(default_factory=list)
    ignored: list[tuple[Finding, Ignore]] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    data_status: list[str] = field(default_factory=list)
    advice: list[str] = field(default_factory=list)
    audited: list[Dependency] = field(default_factory=list)
    """Every dependency the audit checked, findings or not."""
    inputs: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)
    fail_on: Severity = Severity.LOW
    failed: bool = False
    never_fails: bool = False
    """`--fail-on none` or `--exit-zero`: findings do not fail the run."""

    @property
    def fail_on_label(self) -> str:
        return "none" if self.never_fails else self.fail_on.label

    errors: list[str] = field(default_factory=list)
    """Checks that failed under `bastion check` (the others ran): their findings are missing."""
    incomplete: list[str] = field(default_factory=list)
    """What checks could not read (files not analysed): their other findings are here."""


def render(fmt: str, result: RunResult, *, color: bool = False) -> str:
    """Render `result` in format `fmt` (one of FORMATS)."""
    module = importlib.import_module(FORMATS[fmt])
    text: str = module.render(result, color=color)
    return text


def render_chunks(fmt: str, result: RunResult, *, color: bool = False) -> Iterator[bytes]:
    """The report as written, in pieces: a format whose module has `render_chunks` (JSON,
    SARIF) streams its findings; the others are one piece."""
    module = importlib.import_module(FORMATS[fmt])
    chunks = getattr(module, "render_chunks", None)
    if chunks is not None:
        produced: Iterator[bytes] = chunks(result, color=color)
        return produced
    return iter((render_bytes(fmt, result, color=color),))


def render_bytes(fmt: str, result: RunResult, *, color: bool = False) -> bytes:
    """The report as written: UTF-8, ending in a newline.

    A format whose module has `render_bytes` (JSON and SARIF, through orjson) produces bytes
    directly: decoding a 3 MB report to text only to encode it again cost 8 ms of an audit.
    """
    module = importlib.import_module(FORMATS[fmt])
    native = getattr(module, "render_bytes", None)
    if native is not None:
        data: bytes = native(result, color=color)
        return data
    text: str = module.render(result, color=color)
    if text and not text.endswith("\n"):
        text += "\n"
    return text.encode("utf-8")
