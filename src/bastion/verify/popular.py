"""The most-downloaded PyPI projects: what a typosquat imitates.

bastion ships the 15,000 most-downloaded names (`data/popular-names.json`: top-pypi-packages
by Hugo van Kemenade, from ClickHouse's PyPI download data; names only, most downloaded
first, normalized; the file says when it was taken). `--popular-list FILE` replaces it: the
same JSON, top-pypi-packages' own JSON (`rows` of `project`), or a text file of one name per
line (`#` comments allowed).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bastion import shape
from bastion.errors import InputError
from bastion.inventory.model import normalize_name

BUNDLED = Path(__file__).with_name("data") / "popular-names.json"


@dataclass(frozen=True, slots=True)
class Popular:
    """Popular names with their rank (0 is the most downloaded), and where they came from."""

    ranks: dict[str, int]
    source: str

    def __contains__(self, name: str) -> bool:
        return name in self.ranks

    def rank(self, name: str) -> int | None:
        return self.ranks.get(name)


def load_popular(path: str | Path | None = None) -> Popular:
    """The bundled list, or the one at `path` (`--popular-list`)."""
    from bastion.documents import parse_json, read_text

    chosen = Path(path) if path else BUNDLED
    text = read_text(chosen)
    if chosen.suffix == ".json" or text.lstrip().startswith("{"):
        names = _json_names(parse_json(text, chosen), chosen)
    else:
        names = [
            line.split("#", 1)[0].strip()
            for line in text.splitlines()
            if line.split("#", 1)[0].strip()
        ]
    ranks: dict[str, int] = {}
    for name in names:
        ranks.setdefault(normalize_name(name), len(ranks))
    shown = "the bundled list" if chosen == BUNDLED else str(chosen)
    return Popular(ranks=ranks, source=shown)


def _json_names(data: Any, path: Path) -> list[str]:
    try:
        table = shape.table(data, "the file")
        if "names" in table:
            return shape.strings(table.get("names"), "names")
        rows = shape.array(table.get("rows"), "rows")
        return [
            shape.string(shape.table(row, shape.at("rows", i)).get("project"), "project")
            for i, row in enumerate(rows)
        ]
    except shape.WrongShape as exc:
        raise InputError(
            f'not a popular-names list ({exc}); expected {{"names": [...]}}, '
            "top-pypi-packages' JSON, or one name per line",
            path,
        ) from None
