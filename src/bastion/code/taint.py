"""Taint tracking: whether untrusted data reaches an expression, and by which path.

This is the interface rules use. The analysis that fills it in lives in this module too.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TaintStep:
    """One step from a source toward a sink: the node where the data is and what happened."""

    node: ast.AST
    message: str


@dataclass(frozen=True, slots=True)
class TaintPath:
    """How untrusted data reaches a sink: the source first, each step, the sink last."""

    source: str
    steps: tuple[TaintStep, ...]
