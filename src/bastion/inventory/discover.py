"""Find what a project declares and decide which input is authoritative."""

from __future__ import annotations

from pathlib import Path

from bastion.config import Settings
from bastion.errors import InputError
from bastion.findings import Diagnostic
from bastion.inventory.model import Inventory


def load_inventory(project: Path, settings: Settings, diagnostics: list[Diagnostic]) -> Inventory:
    """The project's dependencies from the inputs the settings name, or those discovered."""
    raise InputError(f"{project}: no dependency inputs found")
